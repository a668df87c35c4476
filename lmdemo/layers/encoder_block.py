"""One Transformer encoder block: every token attends to every other (no causal mask); pre- or post-LayerNorm."""

import keras

from lmdemo.layers.attention import MultiHeadAttention
from lmdemo.layers.dropout import Dropout
from lmdemo.layers.feed_forward import FeedForward
from lmdemo.layers.layer_output import LayerOutput
from lmdemo.layers.transformer_block import TransformerBlock


@keras.saving.register_keras_serializable(package="lmdemo")
class EncoderBlock(TransformerBlock):
    """Self-attention over the whole (unpadded) input, then a feed-forward layer, each with a residual.

    Pre-LayerNorm (``normalize_first=True``, lmdemo's own encoders; the sublayers see normalized
    inputs and the residual stream is never normalized, so a final LayerNorm follows the stack):

        x = x + attn(LN₁(x))
        x = x + ffn(LN₂(x))

    Post-LayerNorm (``normalize_first=False``, BERT's and the original Transformer's):

        x = LN₁(x + attn(x))
        x = LN₂(x + ffn(x))

    The only difference from ``DecoderBlock`` is the mask: a decoder token sees the tokens
    before it, an encoder token sees all real tokens of its text (bidirectional).

    Args:
        num_heads: attention heads.
        hidden_dim: feed-forward inner width.
        activation: ``"relu"``, ``"gelu"`` (tanh approximation) or ``"gelu_exact"`` (erf).
        dropout: dropout rate on attention weights and on both residual branches.
        layer_norm_epsilon: epsilon of both LayerNorms.
        normalize_first: pre-LayerNorm (True) or post-LayerNorm (False).
    """

    def __init__(self, num_heads, hidden_dim, activation="gelu", dropout=0.0, layer_norm_epsilon=1e-5,
                 normalize_first=True, **kwargs):
        super().__init__(num_heads, hidden_dim, activation, dropout, layer_norm_epsilon, **kwargs)
        if not isinstance(normalize_first, bool):
            raise ValueError(f"normalize_first must be a bool, received normalize_first={normalize_first!r}")
        self.normalize_first = normalize_first

    def build(self, input_shape):
        dim = input_shape[-1]
        head_width = self.head_width(dim)
        self.attention_norm = self.layer_norm("attention_norm")
        self.attention = MultiHeadAttention(self.num_heads, head_width, dropout=self.dropout, name="attention")
        self.residual_dropout = Dropout(self.dropout, name="residual_dropout")
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
        # self-attention
        attention_input = self.attention_norm(x) if self.normalize_first else x
        attention = self.attention(attention_input, attention_mask=padding_mask, return_details=return_details,
                                   training=training)
        x = x + self.residual_dropout(attention.output, training=training)
        if not self.normalize_first:
            x = self.attention_norm(x)
        # feed-forward (its output dropout is inside FeedForward)
        if self.normalize_first:
            x = x + self.feed_forward(self.feed_forward_norm(x), training=training)
        else:
            x = self.feed_forward_norm(x + self.feed_forward(x, training=training))
        return LayerOutput(x, None, {"attention_weights": attention.details["weights"]} if return_details else None)

    def get_config(self):
        config = super().get_config()
        config["normalize_first"] = self.normalize_first
        return config
