"""A model made of a Keras network and a tokenizer: creating it, storing its weights, calling it purely.

Every network-backed model (the language models, the classifier, the encoder–decoder, the masked
LM) is stored as a ``StoredModel``: ``config.json``, ``tokenizer.json``, ``model.weights.h5`` (Keras'
``save_weights``: arrays only), the card. A subclass sets ``kind``, ``config_class`` and
``network_class``, and takes ``(network, tokenizer, card=None, encryption=None)``.
"""

import os

import keras

from lmdemo.kernels import bf16_matmul
from lmdemo.storage import checkpoint
from lmdemo.storage.stored_model import StoredModel


class NetworkModel(StoredModel):
    """Base: a Keras network with its tokenizer; ``create`` and pure calls of the weights."""

    config_class = None
    network_class = None
    float_weights = True

    def __init__(self, network, tokenizer, card=None, encryption=None):
        if network.config.vocab_size != tokenizer.vocab_size:
            raise ValueError(
                f"the network's vocab_size={network.config.vocab_size} differs from the tokenizer's "
                f"vocab_size={tokenizer.vocab_size}")
        self.network = network
        self.tokenizer = tokenizer
        self.card = card
        self.encryption = encryption

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

    def _call(self, params, *args, method=None, **kwargs):
        """The network's ``call`` (or another of its methods, ``method``) with the weights ``params``
        from ``_params()``: a pure function of them, usable under ``jax.jit``. A third entry of
        ``params``, {variable path: packed matrix}, gives matrices read as bfloat16
        (``lmdemo.kernels.bf16_matmul``)."""
        with bf16_matmul.packed_weights(params[2] if len(params) > 2 else None):
            if method is None:
                outputs, _ = self.network.stateless_call(params[0], params[1], *args, **kwargs)
                return outputs
            net = self.network
            mapping = list(zip(net.trainable_variables, params[0])) + list(zip(net.non_trainable_variables, params[1]))
            with keras.StatelessScope(state_mapping=mapping):
                return method(*args, **kwargs)

    # -- storage (``StoredModel``'s hooks) ----------------------------------------------------------------
    def _config_dict(self):
        return self.config.to_dict()

    @classmethod
    def _stored_files(cls, config):
        return (checkpoint.WEIGHTS_FILE,)

    def _write_files(self, folder):
        weights = os.path.join(folder, checkpoint.WEIGHTS_FILE)
        self.network.save_weights(weights)
        if self.half_precision:
            checkpoint.to_half_precision(weights)

    @classmethod
    def _from_files(cls, path, config, folder, tokenizer):
        network = cls.network_class(cls.config_class.from_dict(config))
        network.build((None, None))
        weights = os.path.join(folder, checkpoint.WEIGHTS_FILE)
        try:
            network.load_weights(weights)
        except Exception as e:  # h5py and Keras raise several types for damaged files
            raise ValueError(f"corrupt checkpoint: cannot read weights {weights!r} ({type(e).__name__}: {e})") from None
        model = cls(network, tokenizer)
        model.half_precision = checkpoint.is_half_precision(weights)
        return model
