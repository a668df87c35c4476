"""The bidirectional Transformer encoder: token ids → one vector per token, each informed by the whole text."""

import keras

from lmdemo.layers.encoder_block import EncoderBlock
from lmdemo.layers.layer_output import LayerOutput
from lmdemo.layers.position_embedding import TokenAndPositionEmbedding


@keras.saving.register_keras_serializable(package="lmdemo")
class TransformerEncoder(keras.layers.Layer):
    """Embeddings + positions, a stack of pre-LayerNorm encoder blocks, a final LayerNorm (BERT-style).

    Args:
        vocab_size, max_length, num_layers, num_heads, d_model, hidden_dim, activation, dropout,
        layer_norm_epsilon: as in ``lmdemo.config.EncoderConfig``.
    """

    def __init__(self, vocab_size, max_length, num_layers, num_heads, d_model, hidden_dim, activation="gelu",
                 dropout=0.0, layer_norm_epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.args = dict(vocab_size=vocab_size, max_length=max_length, num_layers=num_layers, num_heads=num_heads,
                         d_model=d_model, hidden_dim=hidden_dim, activation=activation, dropout=dropout,
                         layer_norm_epsilon=layer_norm_epsilon)
        self.d_model = d_model
        self.embedding = TokenAndPositionEmbedding(vocab_size, max_length, d_model, name="embedding")
        self.embedding_dropout = keras.layers.Dropout(dropout, name="embedding_dropout")
        self.blocks = [EncoderBlock(num_heads, hidden_dim, activation, dropout, layer_norm_epsilon, name=f"block_{i}")
                       for i in range(num_layers)]
        self.final_norm = keras.layers.LayerNormalization(epsilon=layer_norm_epsilon, name="final_norm")

    def build(self, input_shape):
        self.embedding.build(input_shape)
        hidden_shape = tuple(input_shape) + (self.d_model,)
        for block in self.blocks:
            block.build(hidden_shape)
        self.final_norm.build(hidden_shape)
        self.built = True

    def call(self, token_ids, padding_mask, training=None, return_details=False):
        """(batch, seq) ids and (batch, seq) bool mask (True = real token) → a ``LayerOutput`` whose
        ``output`` is (batch, seq, d_model). With ``return_details``, ``details["attention_weights"]``
        lists each block's (batch, heads, seq, seq) weights.
        """
        x = self.embedding_dropout(self.embedding(token_ids), training=training)
        weights = []
        for block in self.blocks:
            result = block(x, padding_mask=padding_mask, training=training, return_details=return_details)
            x = result.output
            if return_details:
                weights.append(result.details["attention_weights"])
        hidden = self.final_norm(x)
        return LayerOutput(hidden, None, {"attention_weights": weights} if return_details else None)

    def get_config(self):
        config = super().get_config()
        config.update(self.args)
        return config


def encoder_of(config):
    """The encoder an ``EncoderConfig`` describes (the classifier's and the masked LM's: the same weights fit both)."""
    return TransformerEncoder(**config.encoder_args(), name="encoder")
