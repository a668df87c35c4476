"""A model made of a Keras network and a tokenizer: creating, saving and loading it, calling it purely.

Every network-backed model (the language models, the classifier, the encoder–decoder) is
stored the same way: ``config.json``, ``tokenizer.json``, ``model.weights.h5``, the card,
optionally encrypted (see ``lmdemo.checkpoint``). A subclass sets ``kind``, ``config_class``
and ``network_class``, and takes ``(network, tokenizer, card=None, encryption=None)``.
"""

import os

from lmdemo import checkpoint, encryption
from lmdemo.tokenizers import load_tokenizer


class NetworkModel:
    """Base: a Keras network with its tokenizer; ``create``, ``save``, ``load`` and pure calls of the weights."""

    kind = None
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

    # -- pure functions of the weights ---------------------------------------------------------------
    def _params(self):
        return ([v.value for v in self.network.trainable_variables],
                [v.value for v in self.network.non_trainable_variables])

    def _call(self, params, *args, **kwargs):
        outputs, _ = self.network.stateless_call(params[0], params[1], *args, **kwargs)
        return outputs

    half_precision = False  # the weights file stores float16 (set by ``save``; detected by ``load``)

    def save(self, path, card=None, metrics=None, encrypt=None, key=None, passphrase=None, half_precision=None):
        """Write a checkpoint folder (see ``lmdemo.checkpoint``).

        Args:
            path: the folder.
            card: the model card (default: the one it was loaded with).
            metrics: measured metrics for ``metrics.json``.
            encrypt: store it encrypted (AES-256-GCM). Default: encrypted if ``key`` or
                ``passphrase`` is given or the model came from an encrypted checkpoint.
            key, passphrase: the key (32 bytes, or hex/base64) or a passphrase (scrypt); with
                ``encrypt=True`` and neither, ``$LMDEMO_CHECKPOINT_KEY`` / ``$LMDEMO_CHECKPOINT_PASSPHRASE``.
            half_precision: store the weights as float16 (half the size; loaded back as float32).
                Default: as the checkpoint it was loaded from.
        """
        self.encryption = encryption.for_model_save(self.encryption, encrypt, key, passphrase)
        if half_precision is not None:
            self.half_precision = bool(half_precision)

        extra = self._extra_files()

        def write_weights(folder):
            weights = os.path.join(folder, checkpoint.WEIGHTS_FILE)
            self.network.save_weights(weights)
            if self.half_precision:
                checkpoint.to_half_precision(weights)
            for name, write in extra.items():
                write(os.path.join(folder, name))

        return checkpoint.write_checkpoint(path, self.kind, self.config.to_dict(), self.tokenizer, write_weights,
                                           card=card if card is not None else self.card, metrics=metrics,
                                           encryption=self.encryption,
                                           encrypted_files=checkpoint.ENCRYPTED_FILES + tuple(extra))

    def _extra_files(self):
        """Files a subclass stores beside the weights (encrypted like them): ``{name: write(path)}``."""
        return {}

    @classmethod
    def _extra_file_names(cls, config):
        """The names ``_extra_files`` wrote, from the checkpoint's config dict (to decrypt them)."""
        return ()

    @classmethod
    def load(cls, path, key=None, passphrase=None):
        """Load a checkpoint folder; only arrays are read from it, never code.

        Encrypted checkpoints need ``key`` or ``passphrase`` (or the environment variables of
        ``lmdemo.encryption``); every file is authenticated before anything is loaded.
        """
        def files(config):
            return checkpoint.ENCRYPTED_FILES + tuple(cls._extra_file_names(config))

        with checkpoint.opened(path, cls.kind, files=files, key=key, passphrase=passphrase) as (info, folder, enc):
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
        model = cls(network, tokenizer, card=checkpoint.read_card(path), encryption=enc)
        model.half_precision = checkpoint.is_half_precision(weights)
        return model
