"""The GPT-style language model network: backbone, then a linear layer to vocabulary logits."""

import keras

from lmdemo.config import TransformerConfig
from lmdemo.layers.layer_output import LayerOutput
from lmdemo.layers.linear import linear
from lmdemo.layers.logits import tied_logits
from lmdemo.networks.transformer_backbone import TransformerBackbone


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
        self.backbone = TransformerBackbone(**config.backbone_args(), name="backbone")
        if not config.tie_embeddings:
            self.lm_head = keras.layers.Dense(config.vocab_size, name="lm_head")

    def build(self, input_shape=(None, None)):
        self.backbone.build(input_shape)
        if self.config.tie_embeddings:  # logits = h Eᵀ + b, E the token embedding matrix
            self.output_bias = self.add_weight(shape=(self.config.vocab_size,), initializer="zeros", name="output_bias")
        else:
            self.lm_head.build(tuple(input_shape) + (self.config.d_model,))
        self.built = True

    def _logits(self, hidden):
        if self.config.tie_embeddings:
            table = self.backbone.embedding.token_embedding.embeddings
            return tied_logits(hidden, table) + self.output_bias
        return linear(self.lm_head, hidden)

    def read_out(self, residual):
        """Logits from a residual-stream vector: the final LayerNorm, then the output layer.

        Applied to the last block's output this is the model's own output; applied to the
        embeddings or an earlier block's output it is the logit lens."""
        return self._logits(self.backbone.final_norm(residual))

    def call(self, token_ids, padding_mask=None, cache=None, cache_index=None, training=None, return_details=False,
             head_mask=None):
        """Like ``TransformerBackbone.call``: a ``LayerOutput`` whose ``output`` is the (batch, seq, vocab)
        logits in place of the hidden states (``details`` then holds them as ``logits`` too)."""
        result = self.backbone(token_ids, padding_mask=padding_mask, cache=cache, cache_index=cache_index,
                               training=training, return_details=return_details, head_mask=head_mask)
        logits = self._logits(result.output)  # (batch, seq, vocab)
        if return_details:
            result.details["logits"] = logits
        return LayerOutput(logits, result.cache, result.details)

    def get_config(self):
        config = super().get_config()
        config.update({"config": self.config.to_dict()})
        return config
