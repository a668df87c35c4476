"""The Transformer language model: a ``GPT`` network, its tokenizer, scoring and generation."""

import functools
import os
import tempfile

import jax
import jax.numpy as jnp
import numpy as np

from lmdemo import checkpoint, encryption
from lmdemo.config import TransformerConfig
from lmdemo.gpt import GPT
from lmdemo.language_model import LanguageModel
from lmdemo.tokenizers import load_tokenizer

SCORE_BATCH = 16


def _bucket(length, max_length):
    """Round a prompt length up to a power of two (≥ 8) so prefill compiles a few times only."""
    size = 8
    while size < length:
        size *= 2
    return min(size, max_length)


class TransformerLM(LanguageModel):
    """A decoder-only Transformer language model with a tokenizer.

    Args:
        network: a ``lmdemo.gpt.GPT`` (built).
        tokenizer: the tokenizer its vocabulary comes from.

    Example:
        >>> lm = lmdemo.load_model("shakespeare-char")
        >>> lm.generate("ROMEO:", max_new_tokens=50, sampler="top_k", top_k=10, seed=0)
    """

    kind = "transformer"

    def __init__(self, network, tokenizer, card=None, encryption=None):
        if network.config.vocab_size != tokenizer.vocab_size:
            raise ValueError(
                f"the network's vocab_size={network.config.vocab_size} differs from the tokenizer's "
                f"vocab_size={tokenizer.vocab_size}")
        self.network = network
        self.tokenizer = tokenizer
        self.card = card
        self.encryption = encryption  # set when loaded from (or saved to) an encrypted checkpoint
        self._forward_jit = jax.jit(self._forward)
        self._prefill_jit = jax.jit(self._prefill_fn)

    @classmethod
    def create(cls, tokenizer, config=None, **overrides):
        """A new, randomly initialised model for ``tokenizer`` (``config``: a TransformerConfig)."""
        config = config or TransformerConfig()
        data = {**config.to_dict(), **overrides, "vocab_size": tokenizer.vocab_size}
        network = GPT(TransformerConfig.from_dict(data))
        network.build((None, None))
        return cls(network, tokenizer)

    @property
    def config(self):
        return self.network.config

    @property
    def max_length(self):
        return self.config.max_length

    def num_params(self):
        return int(self.network.count_params())

    # -- checkpoints ------------------------------------------------------------------------------
    def save(self, path, card=None, metrics=None, encrypt=None, key=None, passphrase=None):
        """Write a checkpoint folder (see ``lmdemo.checkpoint``).

        Args:
            path: the folder.
            card: the model card (default: the one it was loaded with).
            metrics: measured metrics for ``metrics.json``.
            encrypt: store it encrypted (AES-256-GCM). Default: encrypted if ``key`` or
                ``passphrase`` is given or the model came from an encrypted checkpoint.
            key, passphrase: the key (32 bytes, or hex/base64) or a passphrase (scrypt); with
                ``encrypt=True`` and neither, ``$LMDEMO_CHECKPOINT_KEY`` / ``$LMDEMO_CHECKPOINT_PASSPHRASE``.
        """
        if key is not None or passphrase is not None or (encrypt and self.encryption is None):
            self.encryption = encryption.for_saving(key, passphrase)
        elif encrypt is False:
            self.encryption = None

        def write_weights(folder):
            self.network.save_weights(os.path.join(folder, checkpoint.WEIGHTS_FILE))

        return checkpoint.write_checkpoint(path, self.kind, self.config.to_dict(), self.tokenizer, write_weights,
                                           card=card if card is not None else self.card, metrics=metrics,
                                           encryption=self.encryption)

    @classmethod
    def load(cls, path, key=None, passphrase=None):
        """Load a checkpoint folder; only arrays are read from it, never code.

        Encrypted checkpoints need ``key`` or ``passphrase`` (or the environment variables of
        ``lmdemo.encryption``); every file is authenticated before anything is loaded.
        """
        info = checkpoint.read_checkpoint_config(path)
        if info["kind"] != cls.kind:
            raise ValueError(f"checkpoint path={path!r} holds a {info['kind']!r} model, not a {cls.kind!r} one")
        if info["encryption"]:
            enc = encryption.for_loading(info["encryption"], path, key, passphrase)
            with tempfile.TemporaryDirectory(prefix="lmdemo-decrypted-") as plain:
                encryption.decrypt_to(path, checkpoint.ENCRYPTED_FILES, enc, plain)
                return cls._load_files(path, info, plain, enc)
        return cls._load_files(path, info, path, None)

    @classmethod
    def _load_files(cls, path, info, folder, enc):
        config = TransformerConfig.from_dict(info["config"])
        tokenizer = load_tokenizer(os.path.join(folder, checkpoint.TOKENIZER_FILE))
        weights = os.path.join(folder, checkpoint.WEIGHTS_FILE)
        if not os.path.isfile(weights):
            raise ValueError(f"not a checkpoint: {checkpoint.WEIGHTS_FILE} is missing in path={path!r}")
        network = GPT(config)
        network.build((None, None))
        try:
            network.load_weights(weights)
        except Exception as e:  # h5py and Keras raise several types for damaged files
            raise ValueError(f"corrupt checkpoint: cannot read weights {weights!r} ({type(e).__name__}: {e})") from None
        card_path = os.path.join(path, checkpoint.CARD_FILE)
        card = open(card_path, encoding="utf-8").read() if os.path.isfile(card_path) else None
        return cls(network, tokenizer, card=card, encryption=enc)

    # -- pure functions of the weights (jitted) ----------------------------------------------------
    def _params(self):
        return ([v.value for v in self.network.trainable_variables],
                [v.value for v in self.network.non_trainable_variables])

    def _call(self, params, *args, **kwargs):
        outputs, _ = self.network.stateless_call(params[0], params[1], *args, **kwargs)
        return outputs

    def _forward(self, params, token_ids):
        return self._call(params, token_ids)  # (batch, seq, vocab)

    def _prefill_fn(self, params, token_ids, lengths):
        batch = token_ids.shape[0]
        cache = self.network.backbone.empty_cache(batch)
        logits, cache = self._call(params, token_ids, cache=cache, cache_index=0)
        last = jnp.take_along_axis(logits, (lengths - 1)[:, None, None], axis=1)[:, 0]  # (batch, vocab)
        return cache, last

    def _step(self, params, token, cache, index):
        logits, cache = self._call(params, token[:, None], cache=cache, cache_index=index)
        return logits[:, 0], cache

    def _prefill(self, rows):
        lengths = np.array([len(r) for r in rows], dtype=np.int32)
        width = _bucket(int(lengths.max()), self.max_length)
        ids = np.zeros((len(rows), width), dtype=np.int32)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = r
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
            out[i:i + batch] = np.asarray(_target_log_probs(self._forward_jit(params, x), y))[: batch - pad]
        return out

    def next_token_probs(self, text):
        """P(next token | text) over the vocabulary, as a float64 array (the softmax of the last logits)."""
        prefix, ids = self.encode_for_scoring(text)
        seq = (prefix + ids)[-self.max_length:]
        _, logits = self._prefill([seq])
        return np.asarray(jax.nn.softmax(logits[0].astype(jnp.float32)), dtype=np.float64)

    def inspect(self, text):
        """Every intermediate of one forward pass over ``text`` (at most ``max_length`` tokens).

        Returns:
            dict of numpy arrays: token ids, embeddings, per block the attention weights
            (heads, seq, seq) and activations, the logits and next-token probabilities.
        """
        ids = self.tokenizer.encode(text)
        if not ids:
            raise ValueError("text is empty: give at least one token to look inside the model")
        if len(ids) > self.max_length:
            raise ValueError(f"text has {len(ids)} tokens; inspect at most max_length={self.max_length}")
        _, inter = self._call(self._params(), np.asarray([ids], np.int32), return_intermediates=True)
        out = jax.tree.map(lambda a: np.asarray(a)[0] if np.ndim(a) and a.shape[0] == 1 else np.asarray(a), inter)
        out["token_ids"] = np.asarray(ids)
        out["tokens"] = [self.tokenizer.id_to_token(i) for i in ids]
        out["probs"] = np.asarray(jax.nn.softmax(out["logits"], axis=-1))
        return out


@functools.partial(jax.jit)
def _target_log_probs(logits, targets):
    log_probs = jax.nn.log_softmax(logits.astype(jnp.float32), axis=-1)
    return jnp.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]
