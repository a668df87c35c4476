"""What every pre-LayerNorm Transformer block shares: its hyperparameters and their checks."""

import keras

from lmdemo.layers.rms_norm import RMSNorm

NORMS = ("layer", "rms")


class TransformerBlock(keras.layers.Layer):
    """Base of ``DecoderBlock``, ``EncoderBlock`` and ``CrossAttentionDecoderBlock``.

    Args:
        num_heads: attention heads.
        hidden_dim: feed-forward inner width.
        activation: ``"relu"`` or ``"gelu"``.
        dropout: dropout rate on attention weights and on the residual branches.
        layer_norm_epsilon: epsilon of the LayerNorms.
        norm: ``"layer"`` (LayerNorm) or ``"rms"`` (RMSNorm) before each sub-block.
        qk_norm: RMS-normalize each head's queries and keys before Q Kᵀ (decoder self-attention).
        rotary: rotate queries and keys by their positions (RoPE; decoder self-attention).
    """

    def __init__(self, num_heads, hidden_dim, activation="gelu", dropout=0.0, layer_norm_epsilon=1e-5, norm="layer",
                 qk_norm=False, rotary=False, **kwargs):
        super().__init__(**kwargs)
        if norm not in NORMS:
            raise ValueError(f"norm must be one of {NORMS}, received norm={norm!r}")
        self.norm = norm
        self.qk_norm = bool(qk_norm)
        self.rotary = bool(rotary)
        self.num_heads = int(num_heads)
        self.hidden_dim = int(hidden_dim)
        self.activation = activation
        self.dropout = dropout
        self.layer_norm_epsilon = layer_norm_epsilon

    def head_width(self, dim):
        """d_k = dim / num_heads; the width must divide evenly."""
        if dim % self.num_heads:
            raise ValueError(f"the model width {dim} must be divisible by num_heads={self.num_heads}")
        return dim // self.num_heads

    def layer_norm(self, name):
        if self.norm == "rms":
            return RMSNorm(epsilon=self.layer_norm_epsilon, name=name)
        return keras.layers.LayerNormalization(epsilon=self.layer_norm_epsilon, name=name)

    def get_config(self):
        config = super().get_config()
        config.update({"num_heads": self.num_heads, "hidden_dim": self.hidden_dim, "activation": self.activation,
                       "dropout": self.dropout, "layer_norm_epsilon": self.layer_norm_epsilon, "norm": self.norm,
                       "qk_norm": self.qk_norm, "rotary": self.rotary})
        return config
