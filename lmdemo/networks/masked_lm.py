"""The masked language model (BERT's pre-training task): an encoder learns to fill in hidden tokens.

About 15% of the tokens of each text are chosen; of those, 80% are replaced by the mask token,
10% by a random token and 10% left as they are; the model predicts the original token at every
chosen position from the whole text around it. The encoder trained this way is the starting
point of the sentiment classifier (``train_task("sentiment", init_from=...)``).
"""

import keras
from keras import ops

from lmdemo.config import EncoderConfig
from lmdemo.layers.logits import tied_logits
from lmdemo.networks.transformer_encoder import encoder_of


@keras.saving.register_keras_serializable(package="lmdemo")
class MaskedLM(keras.Model):
    """(batch, seq) ids → (batch, seq, vocab) logits of the original token at each position.

    The encoder is the one ``TextClassifier`` uses (same config); the head is BERT's: a GELU
    layer, LayerNorm, and the output layer tied to the token embeddings.
    """

    def __init__(self, config, **kwargs):
        super().__init__(**kwargs)
        if isinstance(config, dict):
            config = EncoderConfig.from_dict(config)
        self.config = c = config
        self.encoder = encoder_of(c)
        self.transform = keras.layers.Dense(c.d_model, activation="gelu", name="mlm_transform")
        self.transform_norm = keras.layers.LayerNormalization(epsilon=c.layer_norm_epsilon, name="mlm_norm")

    def build(self, input_shape=None):
        self.encoder.build((None, None))
        self.transform.build((None, None, self.config.d_model))
        self.transform_norm.build((None, None, self.config.d_model))
        self.output_bias = self.add_weight(shape=(self.config.vocab_size,), initializer="zeros", name="mlm_bias")
        self.built = True

    def call(self, token_ids, padding_mask=None, training=None, positions=None):
        """Logits at every position, or with ``positions`` (batch, k) only at those: (batch, k, vocab).

        Training needs the logits at the chosen positions only (15% of them), and the output
        layer over the whole vocabulary costs more than the encoder, so the trainer passes them.
        """
        if padding_mask is None:
            padding_mask = ops.ones_like(token_ids, dtype="bool")
        hidden = self.encoder(token_ids, padding_mask, training=training).output
        if positions is not None:
            hidden = ops.take_along_axis(hidden, ops.cast(positions, "int32")[..., None], axis=1)
        hidden = self.transform_norm(self.transform(hidden))
        table = self.encoder.embedding.token_embedding.embeddings
        return tied_logits(hidden, table) + self.output_bias

    def get_config(self):
        config = super().get_config()
        config.update({"config": self.config.to_dict()})
        return config
