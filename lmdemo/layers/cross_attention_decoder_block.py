"""The decoder block of an encoder–decoder Transformer: causal self-attention, cross-attention, feed-forward."""

import keras

from lmdemo.layers.attention import MultiHeadAttention
from lmdemo.layers.dropout import Dropout
from lmdemo.layers.feed_forward import FeedForward
from lmdemo.layers.layer_output import LayerOutput
from lmdemo.layers.transformer_block import TransformerBlock


@keras.saving.register_keras_serializable(package="lmdemo")
class CrossAttentionDecoderBlock(TransformerBlock):
    """Three pre-LayerNorm sub-layers, each behind a residual (Vaswani et al., 2017, Fig. 1 right):

    1. x + self_attn(LN(x)), causal: target token i sees target tokens ≤ i;
    2. x + cross_attn(LN(x), encoder output): queries from the target, keys and values from
       the source, so every target token can look at every source token;
    3. x + ffn(LN(x)).

    Args:
        num_heads: attention heads (both attentions).
        hidden_dim: feed-forward inner width.
        activation: ``"relu"`` or ``"gelu"``.
        dropout: dropout rate on attention weights and the residual branches.
        layer_norm_epsilon: epsilon of the LayerNorms.
    """

    def build(self, input_shape):
        dim = input_shape[-1]
        head_width = self.head_width(dim)
        self.self_attention_norm = self.layer_norm("self_attention_norm")
        self.self_attention = MultiHeadAttention(self.num_heads, head_width, dropout=self.dropout,
                                                 name="self_attention")
        self.cross_attention_norm = self.layer_norm("cross_attention_norm")
        self.cross_attention = MultiHeadAttention(self.num_heads, head_width, dropout=self.dropout,
                                                  name="cross_attention")
        self.feed_forward_norm = self.layer_norm("feed_forward_norm")
        self.feed_forward = FeedForward(self.hidden_dim, self.activation, dropout=self.dropout, name="feed_forward")
        self.residual_dropout = Dropout(self.dropout, name="residual_dropout")
        for layer in (self.self_attention_norm, self.cross_attention_norm, self.feed_forward_norm, self.feed_forward,
                      self.self_attention, self.cross_attention):
            layer.build(input_shape)
        self.built = True

    def call(self, x, memory_kv, memory_mask, cache=None, cache_index=None, training=None, return_details=False):
        """(batch, tgt_len, dim) → (batch, tgt_len, dim).

        Args:
            x: the target-side vectors.
            memory_kv: the encoder output's keys and values for this block's cross-attention,
                from ``self.cross_attention.project_key_value(encoder_output)``.
            memory_mask: bool (batch, src_len), True at real source tokens.
            cache, cache_index: the self-attention KV cache, as in ``DecoderBlock``.
            return_details: also return ``{"cross_attention_weights": (batch, heads, tgt, src)}``.

        Returns:
            a ``LayerOutput``: ``output``; ``cache``, the new cache when one was given; ``details``.
        """
        attention = self.self_attention(self.self_attention_norm(x), use_causal_mask=True, cache=cache,
                                        cache_index=cache_index, training=training)
        x = x + self.residual_dropout(attention.output, training=training)
        cross = self.cross_attention(self.cross_attention_norm(x), key_value=memory_kv, attention_mask=memory_mask,
                                     return_details=return_details, training=training)
        x = x + self.residual_dropout(cross.output, training=training)
        x = x + self.feed_forward(self.feed_forward_norm(x), training=training)
        details = {"cross_attention_weights": cross.details["weights"]} if return_details else None
        return LayerOutput(x, attention.cache, details)
