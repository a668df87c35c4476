"""The Transformer language model: a ``GPT`` network, its tokenizer, scoring and generation."""

import jax
import jax.numpy as jnp
import keras
import numpy as np

from lmdemo.config import WEIGHTS, TransformerConfig
from lmdemo.networks.gpt import GPT
from lmdemo.data.batching import pad_batch
from lmdemo.data.checks import is_int
from lmdemo.kernels import bf16_matmul
from lmdemo.layers.logits import target_log_probs
from lmdemo.lm.language_model import NetworkLM

SCORE_BATCH = 16


class TransformerLM(NetworkLM):
    """A decoder-only Transformer language model with a tokenizer.

    Args:
        network: a ``lmdemo.networks.gpt.GPT`` (built).
        tokenizer: the tokenizer its vocabulary comes from.

    Example:
        >>> lm = lmdemo.load_model("shakespeare-char")
        >>> lm.generate("ROMEO:", max_new_tokens=50, sampler="top_k", top_k=10, seed=0)
    """

    kind = "transformer"
    config_class = TransformerConfig
    network_class = GPT

    def __init__(self, network, tokenizer, card=None, encryption=None):
        super().__init__(network, tokenizer, card=card, encryption=encryption)
        self._forward_jit = jax.jit(self._forward)
        self._prefill_jit = jax.jit(self._prefill_fn)
        self._lens_jit = jax.jit(self._lens_fn, static_argnames=("top_k",))
        self.weights = "f32"
        self._packed = None  # (the float32 arrays it was packed from, {variable path: packed}) once weights == "bf16"

    @property
    def max_length(self):
        return self.config.max_length

    def describe(self):
        c = self.config
        norm = "RMSNorm" if c.norm == "rms" else "LayerNorm"
        return (f"A decoder-only Transformer (GPT-style, pre-{norm}): {c.num_layers} layers, {c.num_heads} heads, "
                f"width {c.d_model}, feed-forward {c.hidden_dim} ({c.activation}), {c.position} positions, "
                f"context {c.max_length} tokens" + (", QK-norm" if c.qk_norm else "")
                + (", output layer tied to the token embeddings" if c.tie_embeddings else ""))

    def use_weights(self, weights):
        """Which weights the model reads: ``"f32"`` (the default) or ``"bf16"``; returns the model.

        With ``"bf16"`` every matrix of the network (and the tied output layer) is also kept rounded to
        bfloat16, and the model reads that copy through ``lmdemo.kernels.bf16_matmul`` wherever it runs
        (generation with every sampler, ``log_probs``, ``next_token_probs``, ``inspect``): half the bytes
        a decoding step reads, about twice the tokens/s at GPT-2's shape here (docs/speed.md), at the cost
        of rounding each weight to 8 significant bits (the perplexity cost is in docs/speed.md). Activations
        and sums stay float32; training reads the float32 weights, and the copy is made anew when they
        change. The copy takes half the float32 weights' memory again. Scoring long texts is slower than
        in float32 (the kernel is made for a few rows at a time). CPU only; compiled on first use.

        Raises:
            ValueError: ``weights`` is neither.
            lmdemo.kernels.build.KernelUnavailable (a ValueError): ``"bf16"`` on a machine where the
                kernel cannot be built (no C++ compiler) or JAX does not run on the CPU.
        """
        if weights not in WEIGHTS:
            raise ValueError(f"weights must be one of {WEIGHTS}, received weights={weights!r}")
        if weights == "bf16":
            bf16_matmul.load()
        self.weights = weights
        self._packed = None
        return self

    def _params(self):
        params = super()._params()
        if self.weights == "f32":
            return params
        sources = self._packed_sources()
        if self._packed is None or any(a is not b for a, b in zip(self._packed[0], (v.value for v in sources))):
            packed = {v.path: bf16_matmul.pack(np.asarray(v.value).T if v is self._table() else v.value)
                      for v in sources}
            self._packed = ([v.value for v in sources], packed)
        return (*params, self._packed[1])

    def _table(self):
        return self.network.backbone.embedding.token_embedding.embeddings if self.config.tie_embeddings else None

    def _packed_sources(self):
        """The variables read as bfloat16: every ``Dense`` kernel, and the tied embedding table."""
        kernels = [layer.kernel for layer in self.network._flatten_layers() if isinstance(layer, keras.layers.Dense)]
        return kernels + ([self._table()] if self.config.tie_embeddings else [])

    # -- pure functions of the weights (jitted) ----------------------------------------------------
    def _forward(self, params, token_ids, head_mask=None):
        return self._call(params, token_ids, head_mask=head_mask).output  # (batch, seq, vocab)

    def _prefill_fn(self, params, token_ids, lengths, head_mask=None):
        batch = token_ids.shape[0]
        cache = self.network.backbone.empty_cache(batch)
        result = self._call(params, token_ids, cache=cache, cache_index=0, head_mask=head_mask)
        last = jnp.take_along_axis(result.output, (lengths - 1)[:, None, None], axis=1)[:, 0]  # (batch, vocab)
        return result.cache, last

    def _step(self, params, token, cache, index):
        result = self._call(params, token[:, None], cache=cache, cache_index=index)
        return result.output[:, 0], result.cache

    def _cache_length(self, positions):
        """The KV-cache positions a decoding call ending at ``positions`` reads: the smallest of
        ``max_length`` / 8, / 4, / 2 and ``max_length`` that holds them (four compiled loops at most).
        Attention over the empty end of the cache adds nothing but its reads: at GPT-2 124M's shape,
        100 tokens after a short prompt, a token took 21.9 ms with them and 19.3 without (docs/speed.md)."""
        length = self.max_length
        while length % 2 == 0 and length // 2 >= max(positions, 1) and length > self.max_length // 8:
            length //= 2
        return None if length == self.max_length else length

    def _lens_fn(self, params, token_ids, head_mask, top_k):
        details = self._call(params, token_ids, head_mask=head_mask, return_details=True).details
        streams = [details["embeddings"]] + [block["output"] for block in details["blocks"]]
        logits = self._call(params, jnp.stack([s[0] for s in streams]), method=self.network.read_out)
        probs = jax.nn.softmax(logits.astype(jnp.float32), axis=-1)  # (layers + 1, seq, vocab)
        return jax.lax.top_k(probs, top_k)

    def _prefill(self, rows, head_mask=None):
        lengths = np.array([len(r) for r in rows], dtype=np.int32)
        ids, _ = pad_batch(rows, self.max_length)
        return self._prefill_jit(self._params(), ids, lengths, head_mask)

    def _head_mask(self, ablate_heads):
        """(num_layers, num_heads) float32 ones with a 0 at every ``(layer, head)`` of ``ablate_heads``."""
        c = self.config
        pairs = ablate_heads if isinstance(ablate_heads, (list, tuple)) else None
        if pairs is None or not all(isinstance(p, (list, tuple)) and len(p) == 2 and all(is_int(v) for v in p)
                                    for p in pairs):
            raise ValueError(f"ablate_heads must be a list of (layer, head) pairs of ints, received "
                             f"ablate_heads={ablate_heads!r}")
        mask = np.ones((c.num_layers, c.num_heads), np.float32)
        for layer, head in pairs:
            if not (0 <= layer < c.num_layers and 0 <= head < c.num_heads):
                raise ValueError(f"ablate_heads holds ({layer}, {head}); this model has layers 0…{c.num_layers - 1} "
                                 f"and heads 0…{c.num_heads - 1} (0-based), received ablate_heads={ablate_heads!r}")
            mask[layer, head] = 0.0
        return mask

    def _score_windows(self, inputs, targets, head_mask=None):
        params = self._params()
        out = np.zeros(inputs.shape, dtype=np.float64)
        n = len(inputs)
        batch = min(SCORE_BATCH, n)
        for i in range(0, n, batch):
            x = inputs[i:i + batch]
            y = targets[i:i + batch]
            pad = batch - len(x)
            if pad:
                x = np.concatenate([x, np.zeros((pad, x.shape[1]), x.dtype)])
                y = np.concatenate([y, np.zeros((pad, y.shape[1]), y.dtype)])
            logits = self._forward_jit(params, x, head_mask)
            out[i:i + batch] = np.asarray(target_log_probs(logits, y))[: batch - pad]
        return out

    def _read_for_inspection(self, text, add_start, what):
        """(prefix, ids): the start token (with ``add_start``) and the text's tokens, checked to fit the window."""
        prefix = self.encode_for_scoring(text)[0] if add_start else []
        ids = self.tokenizer.encode(text)
        if not ids:
            raise ValueError(f"text is empty: give at least one token to {what}")
        if len(prefix) + len(ids) > self.max_length:
            raise ValueError(f"text has {len(ids)} tokens; {what} reads at most {self.max_length - len(prefix)} "
                             f"(max_length={self.max_length})")
        return prefix, ids

    def inspect(self, text, add_start=False, ablate_heads=None):
        """Every intermediate of one forward pass over ``text`` (at most ``max_length`` tokens).

        Args:
            text: the input.
            add_start: read the tokenizer's start token first, as ``log_probs`` and
                ``next_token_probs`` do; then ``probs[-1]`` equals ``next_token_probs(text)``.
            ablate_heads: heads to switch off, as in ``log_probs``.

        Returns:
            dict of numpy arrays: token ids, embeddings, per block Q, K, V, the scores, the
            attention weights (heads, seq, seq), each head's output, the heads combined, the
            feed-forward layer before and after its activation, the logits and next-token
            probabilities.
        """
        ablation = self._ablation(ablate_heads)
        prefix, ids = self._read_for_inspection(text, add_start, "looking inside the model")
        ids = prefix + ids
        inter = self._call(self._params(), np.asarray([ids], np.int32), return_details=True, **ablation).details
        out = jax.tree.map(lambda a: np.asarray(a)[0] if np.ndim(a) and a.shape[0] == 1 else np.asarray(a), inter)
        out["token_ids"] = np.asarray(ids)
        out["tokens"] = [self.tokenizer.token_text(i) for i in ids]
        out["probs"] = np.asarray(jax.nn.softmax(out["logits"], axis=-1))
        return out

    def logit_lens(self, text, top_k=5, ablate_heads=None):
        """What the model would predict if it stopped early: the logit lens.

        The residual stream after the embeddings and after every block is passed through the
        final LayerNorm and the output layer, as the last block's output always is. The start
        token is read first, as in ``next_token_probs``.

        Args:
            text: at least one token, with the start token at most ``max_length`` tokens.
            top_k: next tokens kept per position, 1 … 100.
            ablate_heads: heads to switch off, as in ``log_probs``.

        Returns:
            a list with one entry per layer output (the embeddings first, then each block);
            each entry a list over the text's tokens of the ``top_k`` most probable next tokens,
            ``(token, probability)`` pairs. The last entry's last position is
            ``next_token_probs(text)``'s top ``top_k``.
        """
        if not is_int(top_k) or not 1 <= top_k <= min(100, self.tokenizer.vocab_size):
            raise ValueError(f"top_k must be an int in [1, {min(100, self.tokenizer.vocab_size)}], "
                             f"received top_k={top_k!r}")
        mask = self._ablation(ablate_heads).get("head_mask")
        prefix, ids = self._read_for_inspection(text, True, "the logit lens")
        first = len(prefix)  # the start token's prediction is not the text's
        probs, order = self._lens_jit(self._params(), np.asarray([prefix + ids], np.int32), mask, top_k=int(top_k))
        probs, order = np.asarray(probs, np.float64)[:, first:], np.asarray(order)[:, first:]
        tok = self.tokenizer.token_text
        return [[[(tok(int(i)), float(p)) for i, p in zip(ids_at, ps_at)] for ids_at, ps_at in zip(layer_ids, layer_ps)]
                for layer_ids, layer_ps in zip(order, probs)]

    def head_effects(self, text, heads=None):
        """How much each attention head matters for predicting ``text``: the change in bits per
        character when that head alone is switched off.

        Args:
            text: the text to score (as ``log_probs``; a few hundred characters is enough).
            heads: ``[(layer, head), ...]`` to try, 0-based; default every head.

        Returns:
            (bits_per_char, effects): the model's bits per character on ``text`` with every head on,
            and a list of ``(layer, head, change)`` most harmful switch-off first (``change`` > 0:
            the text became harder to predict).
        """
        c = self.config
        heads = [(l, h) for l in range(c.num_layers) for h in range(c.num_heads)] if heads is None else heads
        self._head_mask(heads)  # checks every pair
        bits = lambda off: -self.log_probs(text, ablate_heads=off).sum() / len(text) / np.log(2)  # noqa: E731
        base = bits([])  # log_probs checks the text first
        effects = [(int(layer), int(head), float(bits([(layer, head)]) - base)) for layer, head in heads]
        effects.sort(key=lambda e: -e[2])
        return float(base), effects
