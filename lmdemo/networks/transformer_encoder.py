"""The bidirectional Transformer encoder: token ids → one vector per token, each informed by the whole text."""

import keras

from lmdemo.layers.dropout import Dropout
from lmdemo.layers.encoder_block import EncoderBlock
from lmdemo.layers.layer_output import LayerOutput
from lmdemo.layers.position_embedding import TokenAndPositionEmbedding


@keras.saving.register_keras_serializable(package="lmdemo")
class TransformerEncoder(keras.layers.Layer):
    """Embeddings + positions (+ segments), then a stack of encoder blocks, LayerNorms placed one of two ways.

    Pre-LayerNorm (``normalize_first=True``, lmdemo's own encoders):

        h₀ = E[tokens] + P           hᵢ = blockᵢ(hᵢ₋₁) (pre-LN)           output = LN(h_L)

    Post-LayerNorm (``normalize_first=False``, BERT's; ``num_segments=2`` adds S[0] for a single text):

        h₀ = LN(E[tokens] + P + S)   hᵢ = blockᵢ(hᵢ₋₁) (post-LN)          output = h_L

    Either way there is one LayerNorm more than two per block: the last one normalizes the stack's
    output (pre-LN), or the embeddings the first block reads (post-LN, whose blocks normalize their own outputs).

    Args:
        vocab_size, max_length, num_layers, num_heads, d_model, hidden_dim, activation, dropout,
        layer_norm_epsilon, normalize_first, num_segments: as in ``lmdemo.config.EncoderConfig``.
    """

    def __init__(self, vocab_size, max_length, num_layers, num_heads, d_model, hidden_dim, activation="gelu",
                 dropout=0.0, layer_norm_epsilon=1e-5, normalize_first=True, num_segments=0, **kwargs):
        super().__init__(**kwargs)
        self.args = dict(vocab_size=vocab_size, max_length=max_length, num_layers=num_layers, num_heads=num_heads,
                         d_model=d_model, hidden_dim=hidden_dim, activation=activation, dropout=dropout,
                         layer_norm_epsilon=layer_norm_epsilon, normalize_first=normalize_first,
                         num_segments=num_segments)
        self.d_model = d_model
        self.normalize_first = normalize_first
        self.embedding = TokenAndPositionEmbedding(vocab_size, max_length, d_model, num_segments=num_segments,
                                                   name="embedding")
        if not normalize_first:
            self.embedding_norm = keras.layers.LayerNormalization(epsilon=layer_norm_epsilon, name="embedding_norm")
        self.embedding_dropout = Dropout(dropout, name="embedding_dropout")
        self.blocks = [EncoderBlock(num_heads, hidden_dim, activation, dropout, layer_norm_epsilon,
                                    normalize_first=normalize_first, name=f"block_{i}")
                       for i in range(num_layers)]
        if normalize_first:
            self.final_norm = keras.layers.LayerNormalization(epsilon=layer_norm_epsilon, name="final_norm")

    def build(self, input_shape):
        self.embedding.build(input_shape)
        hidden_shape = tuple(input_shape) + (self.d_model,)
        if not self.normalize_first:
            self.embedding_norm.build(hidden_shape)
        for block in self.blocks:
            block.build(hidden_shape)
        if self.normalize_first:
            self.final_norm.build(hidden_shape)
        self.built = True

    def call(self, token_ids, padding_mask, training=None, return_details=False):
        """(batch, seq) ids and (batch, seq) bool mask (True = real token) → a ``LayerOutput`` whose
        ``output`` is (batch, seq, d_model). With ``return_details``, ``details["attention_weights"]``
        lists each block's (batch, heads, seq, seq) weights.
        """
        x = self.embedding(token_ids)  # (batch, seq, d_model)
        if not self.normalize_first:
            x = self.embedding_norm(x)
        x = self.embedding_dropout(x, training=training)
        weights = []
        for block in self.blocks:
            result = block(x, padding_mask=padding_mask, training=training, return_details=return_details)
            x = result.output
            if return_details:
                weights.append(result.details["attention_weights"])
        hidden = self.final_norm(x) if self.normalize_first else x
        return LayerOutput(hidden, None, {"attention_weights": weights} if return_details else None)

    def get_config(self):
        config = super().get_config()
        config.update(self.args)
        return config


def encoder_of(config):
    """The encoder an ``EncoderConfig`` describes (the classifier's and the masked LM's: the same weights fit both)."""
    return TransformerEncoder(**config.encoder_args(), name="encoder")
