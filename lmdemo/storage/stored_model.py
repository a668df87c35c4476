"""The one way every model kind is saved and loaded: a checkpoint folder, optionally encrypted.

``StoredModel.save`` and ``StoredModel.load`` write and read the folder (``config.json`` with the
kind and the task, ``tokenizer.json``, the model's own files, the card, ``metrics.json``), encrypt
and authenticate it, and keep or convert half precision. A kind says only what is its own, in
three hooks:

- ``_config_dict()``: its hyperparameters, JSON-serializable;
- ``_stored_files(config)`` and ``_write_files(folder)``: the names of the files it stores beside
  the tokenizer (a function of the config dict, so they can be decrypted before the model exists)
  and how it writes them;
- ``_from_files(path, config, folder, tokenizer)``: the model, built from those files.
"""

import os

from lmdemo.storage import checkpoint
from lmdemo.storage import encryption as _encryption
from lmdemo.tokenizers import load_tokenizer


class StoredModel:
    """Base of every model kind: a tokenizer, a card, an encryption, a task, and ``save``/``load``."""

    kind = None
    task = None  # what the kind does when its checkpoint does not say (``lmdemo.registry.KIND_TASKS``)
    float_weights = False  # True when the weights are floats that may be stored in half precision
    half_precision = False  # the weights are stored as float16 (set by ``save``; read back by ``load``)
    tokenizer = None
    card = None
    encryption = None  # set when loaded from (or saved to) an encrypted checkpoint

    # -- what a kind provides --------------------------------------------------------------------------
    def _config_dict(self):
        raise NotImplementedError

    @classmethod
    def _stored_files(cls, config):
        raise NotImplementedError

    def _write_files(self, folder):
        raise NotImplementedError

    @classmethod
    def _from_files(cls, path, config, folder, tokenizer):
        raise NotImplementedError

    def stored_files(self):
        """The files this model's checkpoint holds beside ``config.json`` and the card."""
        return (checkpoint.TOKENIZER_FILE,) + tuple(self._stored_files(self._config_dict()))

    # -- saving and loading ----------------------------------------------------------------------------
    def save(self, path, card=None, metrics=None, encrypt=None, key=None, passphrase=None, half_precision=None):
        """Write a checkpoint folder atomically (see ``lmdemo.storage.checkpoint``).

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
        if half_precision and not self.float_weights:
            raise ValueError(f"half_precision is for models with float weights; a {self.kind!r} model has none")
        self.encryption = _encryption.for_model_save(self.encryption, encrypt, key, passphrase)
        if half_precision is not None:
            self.half_precision = bool(half_precision)
        return checkpoint.write_checkpoint(path, self.kind, self._config_dict(), self.tokenizer, self._write_files,
                                           card=card if card is not None else self.card, metrics=metrics,
                                           encryption=self.encryption, encrypted_files=self.stored_files(),
                                           task=self.task)

    @classmethod
    def load(cls, path, key=None, passphrase=None):
        """Load a checkpoint folder of this kind; only arrays and JSON are read from it, never code.

        Encrypted checkpoints need ``key`` or ``passphrase`` (or the environment variables of
        ``lmdemo.storage.encryption``); every file is authenticated before anything is loaded.

        Raises:
            ValueError: not a checkpoint of this kind, a missing or corrupt file, a wrong key.
        """
        def files(config):
            return (checkpoint.TOKENIZER_FILE,) + tuple(cls._stored_files(config))

        with checkpoint.opened(path, cls.kind, files=files, key=key, passphrase=passphrase) as (info, folder, enc):
            config = info["config"]
            for name in files(config):
                if not os.path.isfile(os.path.join(folder, name)):
                    raise ValueError(f"not a checkpoint: {name} is missing in path={path!r}")
            tokenizer = load_tokenizer(os.path.join(folder, checkpoint.TOKENIZER_FILE))
            model = cls._from_files(path, config, folder, tokenizer)
        model.card = checkpoint.read_card(path)
        model.encryption = enc
        if info.get("task"):
            model.task = info["task"]
        return model
