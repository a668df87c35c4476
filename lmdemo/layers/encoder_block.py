"""One pre-LayerNorm Transformer encoder block: every token attends to every other (no causal mask)."""

import keras

from lmdemo.layers.attention import MultiHeadAttention
from lmdemo.layers.feed_forward import FeedForward
from lmdemo.layers.layer_output import LayerOutput
from lmdemo.layers.transformer_block import TransformerBlock


@keras.saving.register_keras_serializable(package="lmdemo")
class EncoderBlock(TransformerBlock):
    """x + attn(LN(x)) over the whole (unpadded) input, then x + ffn(LN(x)); as BERT's, pre-LN.

    The only difference from ``DecoderBlock`` is the mask: a decoder token sees the tokens
    before it, an encoder token sees all real tokens of its text (bidirectional).

    Args:
        num_heads: attention heads.
        hidden_dim: feed-forward inner width.
        activation: ``"relu"`` or ``"gelu"``.
        dropout: dropout rate on attention weights and on both residual branches.
        layer_norm_epsilon: epsilon of both LayerNorms.
    """

    def build(self, input_shape):
        dim = input_shape[-1]
        head_width = self.head_width(dim)
        self.attention_norm = self.layer_norm("attention_norm")
        self.attention = MultiHeadAttention(self.num_heads, head_width, dropout=self.dropout, name="attention")
        self.residual_dropout = keras.layers.Dropout(self.dropout, name="residual_dropout")
        self.feed_forward_norm = self.layer_norm("feed_forward_norm")
        self.feed_forward = FeedForward(self.hidden_dim, self.activation, dropout=self.dropout, name="feed_forward")
        for layer in (self.attention_norm, self.feed_forward_norm, self.feed_forward, self.attention):
            layer.build(input_shape)
        self.built = True

    def call(self, x, padding_mask=None, training=None, return_details=False):
        """(batch, seq, dim) → a ``LayerOutput`` whose ``output`` is (batch, seq, dim); ``padding_mask``
        (batch, seq) is True at real tokens. With ``return_details``, ``details`` holds the
        (batch, heads, seq, seq) ``attention_weights``.
        """
        attention = self.attention(self.attention_norm(x), attention_mask=padding_mask,
                                   return_details=return_details, training=training)
        x = x + self.residual_dropout(attention.output, training=training)
        x = x + self.feed_forward(self.feed_forward_norm(x), training=training)
        return LayerOutput(x, None, {"attention_weights": attention.details["weights"]} if return_details else None)
