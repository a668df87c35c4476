"""One pre-LayerNorm Transformer decoder block: x + attn(LN(x)), then x + ffn(LN(x))."""

import keras

from lmdemo.layers.attention import MultiHeadAttention
from lmdemo.layers.dropout import Dropout
from lmdemo.layers.feed_forward import FeedForward
from lmdemo.layers.layer_output import LayerOutput
from lmdemo.layers.transformer_block import TransformerBlock


@keras.saving.register_keras_serializable(package="lmdemo")
class DecoderBlock(TransformerBlock):
    """Causal self-attention and a feed-forward block, each behind LayerNorm and a residual.

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
        self.attention = MultiHeadAttention(self.num_heads, head_width, dropout=self.dropout, rotary=self.rotary,
                                            qk_norm=self.qk_norm, name="attention")
        self.attention_dropout = Dropout(self.dropout, name="attention_residual_dropout")
        self.feed_forward_norm = self.layer_norm("feed_forward_norm")
        self.feed_forward = FeedForward(self.hidden_dim, self.activation, dropout=self.dropout, name="feed_forward")
        for layer in (self.attention_norm, self.feed_forward_norm, self.feed_forward):
            layer.build(input_shape)
        self.attention.build(input_shape)
        self.built = True

    def call(self, x, padding_mask=None, cache=None, cache_index=None, training=None, return_details=False,
             head_mask=None):
        """(batch, seq, dim) → (batch, seq, dim); ``head_mask`` (heads,) as in ``MultiHeadAttention``.

        Returns:
            a ``LayerOutput``: ``output``; ``cache``, the updated cache when one was given; ``details``,
            with ``return_details``, a dict of this block's activations and attention weights.
        """
        # self-attention (causal), pre-LayerNorm, residual
        h = self.attention_norm(x)
        attention = self.attention(
            h, attention_mask=padding_mask, use_causal_mask=True, cache=cache, cache_index=cache_index,
            return_details=return_details, training=training, head_mask=head_mask)
        attended = attention.output
        x_after_attention = x + self.attention_dropout(attended, training=training)

        # feed-forward, pre-LayerNorm, residual
        h2 = self.feed_forward_norm(x_after_attention)
        ff_out, (ff_pre, ff_hidden) = self.feed_forward(h2, training=training, return_hidden=True)
        out = x_after_attention + ff_out

        if not return_details:
            return LayerOutput(out, attention.cache)
        details = attention.details
        return LayerOutput(out, attention.cache, {
                "attention_input": h,
                "query": details["query"],
                "key": details["key"],
                "value": details["value"],
                "attention_scores": details["scores"],
                "attention_weights": details["weights"],
                "head_outputs": details["head_outputs"],
                "heads_combined": details["combined"],
                "attention_output": attended,
                "after_attention": x_after_attention,
                "feed_forward_input": h2,
                "feed_forward_pre_activation": ff_pre,
                "feed_forward_hidden": ff_hidden,
                "output": out,
            })
