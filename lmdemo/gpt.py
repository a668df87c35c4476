"""The GPT-style language model network: backbone, then a linear layer to vocabulary logits."""

import keras

from lmdemo.config import TransformerConfig
from lmdemo.transformer_backbone import TransformerBackbone


@keras.saving.register_keras_serializable(package="lmdemo")
class GPT(keras.Model):
    """token ids → logits over the vocabulary at every position; softmax(logits) = P(next token).

    Args:
        config: a ``TransformerConfig`` or its dict.
    """

    def __init__(self, config, **kwargs):
        super().__init__(**kwargs)
        if isinstance(config, dict):
            config = TransformerConfig.from_dict(config)
        self.config = config
        self.backbone = TransformerBackbone(**config.to_dict(), name="backbone")
        self.lm_head = keras.layers.Dense(config.vocab_size, name="lm_head")

    def build(self, input_shape=(None, None)):
        self.backbone.build(input_shape)
        self.lm_head.build(tuple(input_shape) + (self.config.d_model,))
        self.built = True

    def call(self, token_ids, padding_mask=None, cache=None, cache_index=None, training=None,
             return_intermediates=False):
        """Like ``TransformerBackbone.call``, with (batch, seq, vocab) logits in place of hidden states."""
        result = self.backbone(token_ids, padding_mask=padding_mask, cache=cache, cache_index=cache_index,
                               training=training, return_intermediates=return_intermediates)
        result = result if isinstance(result, tuple) else (result,)
        logits = self.lm_head(result[0])  # (batch, seq, vocab)
        if return_intermediates:
            result[-1]["logits"] = logits
        outputs = (logits,) + result[1:]
        return outputs[0] if len(outputs) == 1 else outputs

    def get_config(self):
        config = super().get_config()
        config.update({"config": self.config.to_dict()})
        return config
