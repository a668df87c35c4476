"""A BERT-style text classifier network: encoder, one vector per text (mean, max or first token), label softmax."""

import keras
from keras import ops

from lmdemo.config import ClassifierConfig
from lmdemo.layers.dropout import Dropout
from lmdemo.layers.logits import MASK_VALUE
from lmdemo.networks.transformer_encoder import encoder_of


@keras.saving.register_keras_serializable(package="lmdemo")
class TextClassifier(keras.Model):
    """(batch, seq) ids and padding mask → (batch, num_labels) logits; softmax of them = P(label | text).

    The text's vector h is the mean of the encoder's output over its real tokens (padding left
    out), or with ``pooling="max"`` its largest value in each dimension (Kim, 2014's
    max-over-time pooling), or with ``pooling="first"`` the output at the first token (BERT's:
    [CLS], a token that is there only to be read this way). Then

        pooled = tanh(W_p h + b_p)            (BERT's pooler)
        logits = W_y dropout(pooled) + b_y    (the label head)

    Args:
        config: a ``ClassifierConfig`` or its dict.
    """

    def __init__(self, config, **kwargs):
        super().__init__(**kwargs)
        if isinstance(config, dict):
            config = ClassifierConfig.from_dict(config)
        self.config = c = config
        self.encoder = encoder_of(c)
        self.pooler = keras.layers.Dense(c.d_model, activation="tanh", name="pooler")
        self.pooled_dropout = Dropout(c.dropout, name="pooled_dropout")
        self.label_head = keras.layers.Dense(c.num_labels, name="label_head")

    def build(self, input_shape=None):
        self.encoder.build((None, None))
        self.pooler.build((None, self.config.d_model))
        self.label_head.build((None, self.config.d_model))
        self.built = True

    def pooled(self, token_ids, padding_mask, training=None):
        """The text vector: the mean or max of the encoder's output over real tokens, or the first token's
        output; then tanh(W h + b)."""
        hidden = self.encoder(token_ids, padding_mask, training=training).output  # (batch, seq, d_model)
        if self.config.pooling == "first":
            pooled = hidden[:, 0]  # (batch, d_model): the [CLS] token's vector
        elif self.config.pooling == "max":
            pooled = ops.max(ops.where(padding_mask[..., None], hidden, MASK_VALUE), axis=1)
            pooled = ops.where(ops.any(padding_mask, axis=1)[:, None], pooled, 0.0)  # no tokens: zeros, as the mean
        else:
            weights = ops.cast(padding_mask, hidden.dtype)[..., None]
            pooled = ops.sum(hidden * weights, axis=1) / ops.maximum(ops.sum(weights, axis=1), 1.0)
        return self.pooler(pooled)

    def call(self, token_ids, padding_mask=None, training=None):
        if padding_mask is None:
            padding_mask = ops.ones_like(token_ids, dtype="bool")
        pooled = self.pooled_dropout(self.pooled(token_ids, padding_mask, training=training), training=training)
        return self.label_head(pooled)

    def get_config(self):
        config = super().get_config()
        config.update({"config": self.config.to_dict()})
        return config
