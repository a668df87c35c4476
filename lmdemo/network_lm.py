"""A language model backed by a Keras network: checkpoints, parameters and pure calls.

``TransformerLM`` and the recurrent models share this: they differ in their network and in
how they read a prompt, not in how they are stored or called.
"""

import os

import jax
import jax.numpy as jnp
import numpy as np

from lmdemo import checkpoint, encryption
from lmdemo.language_model import LanguageModel
from lmdemo.tokenizers import load_tokenizer


class NetworkLM(LanguageModel):
    """Base of the Keras-network models. Subclasses set ``kind``, ``config_class`` and ``network_class``."""

    config_class = None
    network_class = None

    def __init__(self, network, tokenizer, card=None, encryption=None):
        if network.config.vocab_size != tokenizer.vocab_size:
            raise ValueError(
                f"the network's vocab_size={network.config.vocab_size} differs from the tokenizer's "
                f"vocab_size={tokenizer.vocab_size}")
        self.network = network
        self.tokenizer = tokenizer
        self.card = card
        self.encryption = encryption  # set when loaded from (or saved to) an encrypted checkpoint

    @classmethod
    def create(cls, tokenizer, config=None, **overrides):
        """A new, randomly initialised model for ``tokenizer`` (``config``: the model's config class)."""
        data = {**(config.to_dict() if config is not None else {}), **overrides, "vocab_size": tokenizer.vocab_size}
        network = cls.network_class(cls.config_class.from_dict(data))
        network.build((None, None))
        return cls(network, tokenizer)

    @property
    def config(self):
        return self.network.config

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
        self.encryption = encryption.for_model_save(self.encryption, encrypt, key, passphrase)

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
        with checkpoint.opened(path, cls.kind, key=key, passphrase=passphrase) as (info, folder, enc):
            return cls._load_files(path, info, folder, enc)

    @classmethod
    def _load_files(cls, path, info, folder, enc):
        config = cls.config_class.from_dict(info["config"])
        tokenizer = load_tokenizer(os.path.join(folder, checkpoint.TOKENIZER_FILE))
        weights = os.path.join(folder, checkpoint.WEIGHTS_FILE)
        if not os.path.isfile(weights):
            raise ValueError(f"not a checkpoint: {checkpoint.WEIGHTS_FILE} is missing in path={path!r}")
        network = cls.network_class(config)
        network.build((None, None))
        try:
            network.load_weights(weights)
        except Exception as e:  # h5py and Keras raise several types for damaged files
            raise ValueError(f"corrupt checkpoint: cannot read weights {weights!r} ({type(e).__name__}: {e})") from None
        return cls(network, tokenizer, card=checkpoint.read_card(path), encryption=enc)

    # -- pure functions of the weights ---------------------------------------------------------------
    def _params(self):
        return ([v.value for v in self.network.trainable_variables],
                [v.value for v in self.network.non_trainable_variables])

    def _call(self, params, *args, **kwargs):
        outputs, _ = self.network.stateless_call(params[0], params[1], *args, **kwargs)
        return outputs


@jax.jit
def target_log_probs(logits, targets):
    """ln softmax(logits)[target] at every position: (..., vocab), (...) → (...)."""
    log_probs = jax.nn.log_softmax(logits.astype(jnp.float32), axis=-1)
    return jnp.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]


def bucket(length, cap):
    """Round a length up to a power of two (≥ 8, ≤ ``cap``) so a jitted call compiles a few times only."""
    size = 8
    while size < length:
        size *= 2
    return min(size, cap)


def pad_rows(rows, width):
    """Right-pad equal- or unequal-length token lists with 0 to (len(rows), width) int32."""
    ids = np.zeros((len(rows), width), dtype=np.int32)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = r
    return ids
