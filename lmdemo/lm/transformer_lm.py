"""The Transformer language model: a ``GPT`` network, its tokenizer, scoring and generation."""

import jax
import jax.numpy as jnp
import numpy as np

from lmdemo.config import TransformerConfig
from lmdemo.networks.gpt import GPT
from lmdemo.data.batching import pad_batch
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

    @property
    def max_length(self):
        return self.config.max_length

    def describe(self):
        c = self.config
        return (f"A decoder-only Transformer (GPT-style, pre-LayerNorm): {c.num_layers} layers, {c.num_heads} heads, "
                f"width {c.d_model}, feed-forward {c.hidden_dim} ({c.activation}), {c.position} positions, "
                f"context {c.max_length} tokens" + (", output layer tied to the token embeddings" if c.tie_embeddings else ""))

    # -- pure functions of the weights (jitted) ----------------------------------------------------
    def _forward(self, params, token_ids):
        return self._call(params, token_ids).output  # (batch, seq, vocab)

    def _prefill_fn(self, params, token_ids, lengths):
        batch = token_ids.shape[0]
        cache = self.network.backbone.empty_cache(batch)
        result = self._call(params, token_ids, cache=cache, cache_index=0)
        last = jnp.take_along_axis(result.output, (lengths - 1)[:, None, None], axis=1)[:, 0]  # (batch, vocab)
        return result.cache, last

    def _step(self, params, token, cache, index):
        result = self._call(params, token[:, None], cache=cache, cache_index=index)
        return result.output[:, 0], result.cache

    def _prefill(self, rows):
        lengths = np.array([len(r) for r in rows], dtype=np.int32)
        ids, _ = pad_batch(rows, self.max_length)
        return self._prefill_jit(self._params(), ids, lengths)

    def _score_windows(self, inputs, targets):
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
            out[i:i + batch] = np.asarray(target_log_probs(self._forward_jit(params, x), y))[: batch - pad]
        return out

    def inspect(self, text, add_start=False):
        """Every intermediate of one forward pass over ``text`` (at most ``max_length`` tokens).

        Args:
            text: the input.
            add_start: read the tokenizer's start token first, as ``log_probs`` and
                ``next_token_probs`` do; then ``probs[-1]`` equals ``next_token_probs(text)``.

        Returns:
            dict of numpy arrays: token ids, embeddings, per block Q, K, V, the scores, the
            attention weights (heads, seq, seq), each head's output, the heads combined, the
            feed-forward layer before and after its activation, the logits and next-token
            probabilities.
        """
        prefix = self.encode_for_scoring(text)[0] if add_start else []
        ids = prefix + self.tokenizer.encode(text)
        if not ids:
            raise ValueError("text is empty: give at least one token to look inside the model")
        if len(ids) > self.max_length:
            raise ValueError(f"text has {len(ids)} tokens; inspect at most max_length={self.max_length}")
        inter = self._call(self._params(), np.asarray([ids], np.int32), return_details=True).details
        out = jax.tree.map(lambda a: np.asarray(a)[0] if np.ndim(a) and a.shape[0] == 1 else np.asarray(a), inter)
        out["token_ids"] = np.asarray(ids)
        out["tokens"] = [self.tokenizer.id_to_token(i) for i in ids]
        out["probs"] = np.asarray(jax.nn.softmax(out["logits"], axis=-1))
        return out

