"""One pre-LayerNorm Transformer decoder block: x + attn(LN(x)), then x + ffn(LN(x))."""

import keras

from lmdemo.layers.attention import MultiHeadAttention
from lmdemo.layers.feed_forward import FeedForward


@keras.saving.register_keras_serializable(package="lmdemo")
class DecoderBlock(keras.layers.Layer):
    """Causal self-attention and a feed-forward block, each behind LayerNorm and a residual.

    Args:
        num_heads: attention heads.
        hidden_dim: feed-forward inner width.
        activation: ``"relu"`` or ``"gelu"``.
        dropout: dropout rate on attention weights and on both residual branches.
        layer_norm_epsilon: epsilon of both LayerNorms.
    """

    def __init__(self, num_heads, hidden_dim, activation="gelu", dropout=0.0, layer_norm_epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = int(num_heads)
        self.hidden_dim = int(hidden_dim)
        self.activation = activation
        self.dropout = dropout
        self.layer_norm_epsilon = layer_norm_epsilon

    def build(self, input_shape):
        dim = input_shape[-1]
        if dim % self.num_heads:
            raise ValueError(f"the model width {dim} must be divisible by num_heads={self.num_heads}")
        self.attention_norm = keras.layers.LayerNormalization(epsilon=self.layer_norm_epsilon, name="attention_norm")
        self.attention = MultiHeadAttention(self.num_heads, dim // self.num_heads, dropout=self.dropout, name="attention")
        self.attention_dropout = keras.layers.Dropout(self.dropout, name="attention_residual_dropout")
        self.feed_forward_norm = keras.layers.LayerNormalization(epsilon=self.layer_norm_epsilon, name="feed_forward_norm")
        self.feed_forward = FeedForward(self.hidden_dim, self.activation, dropout=self.dropout, name="feed_forward")
        for layer in (self.attention_norm, self.feed_forward_norm, self.feed_forward):
            layer.build(input_shape)
        self.attention.build(input_shape)
        self.built = True

    def call(self, x, padding_mask=None, cache=None, cache_index=None, training=None, return_intermediates=False):
        """(batch, seq, dim) → (batch, seq, dim).

        Returns:
            the output; then the updated cache if ``cache`` was given; then, with
            ``return_intermediates``, a dict of this block's activations and attention weights.
        """
        # self-attention (causal), pre-LayerNorm, residual
        h = self.attention_norm(x)
        result = self.attention(
            h, attention_mask=padding_mask, use_causal_mask=True, cache=cache, cache_index=cache_index,
            return_details=return_intermediates, training=training)
        result = result if isinstance(result, tuple) else (result,)
        attended = result[0]
        details = result[-1] if return_intermediates else {}
        x_after_attention = x + self.attention_dropout(attended, training=training)

        # feed-forward, pre-LayerNorm, residual
        h2 = self.feed_forward_norm(x_after_attention)
        ff_out, (ff_pre, ff_hidden) = self.feed_forward(h2, training=training, return_hidden=True)
        out = x_after_attention + ff_out

        outputs = (out,)
        if cache is not None:
            outputs += (result[1],)
        if return_intermediates:
            outputs += ({
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
            },)
        return outputs[0] if len(outputs) == 1 else outputs

    def get_config(self):
        config = super().get_config()
        config.update({
            "num_heads": self.num_heads,
            "hidden_dim": self.hidden_dim,
            "activation": self.activation,
            "dropout": self.dropout,
            "layer_norm_epsilon": self.layer_norm_epsilon,
        })
        return config
