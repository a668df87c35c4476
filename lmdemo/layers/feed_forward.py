"""The position-wise feed-forward block: act(X W₁ᵀ + b₁) W₂ᵀ + b₂."""

import keras

from lmdemo.layers.dropout import Dropout
from lmdemo.layers.linear import linear

# "gelu" is the tanh approximation (GPT-2's, and every lmdemo checkpoint's); "gelu_exact" is x·Φ(x) with the
# normal CDF Φ written with erf (BERT's ``hidden_act: "gelu"``). The two differ by at most 4.8e-4 (near x = ±2.7).
# "relu2" is ReLU squared (So et al., "Primer", 2021); "swiglu" gates the inner layer (Shazeer, 2020) and has a
# third matrix, so a width of ⅔ · 4 · d_model keeps the parameter count of the others.
ACTIVATIONS = ("relu", "gelu", "gelu_exact", "relu2", "swiglu")


@keras.saving.register_keras_serializable(package="lmdemo")
class FeedForward(keras.layers.Layer):
    """Two linear layers with ReLU or GELU between them, applied to every position alone.

    Args:
        hidden_dim: width of the inner layer (usually 4 × the model width).
        activation: ``"relu"``: max(0, x);
            ``"gelu"``: GPT-2's tanh approximation of x·Φ(x), ½x(1 + tanh(√(2/π)(x + 0.044715x³)));
            ``"gelu_exact"``: x·Φ(x) = ½x(1 + erf(x/√2)), as BERT computes it;
            ``"relu2"``: max(0, x)²;
            ``"swiglu"``: SiLU(X W_gate) ⊙ (X W₁), with SiLU(z) = z·σ(z) (a third weight matrix, W_gate).
        dropout: dropout rate on the output during training.
    """

    def __init__(self, hidden_dim, activation="gelu", dropout=0.0, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, received activation={activation!r}")
        self.hidden_dim = int(hidden_dim)
        self.activation = activation
        self.dropout = dropout
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.dropout_layer = Dropout(dropout, name="output_dropout")

    def build(self, input_shape):
        dim = input_shape[-1]
        self.inner_dense = keras.layers.Dense(self.hidden_dim, kernel_initializer=self.kernel_initializer, name="inner")
        self.output_dense = keras.layers.Dense(dim, kernel_initializer=self.kernel_initializer, name="output")
        self.inner_dense.build(input_shape)
        self.output_dense.build(tuple(input_shape[:-1]) + (self.hidden_dim,))
        if self.activation == "swiglu":
            self.gate_dense = keras.layers.Dense(self.hidden_dim, kernel_initializer=self.kernel_initializer,
                                                 name="gate")
            self.gate_dense.build(input_shape)
        self.built = True

    def call(self, x, training=None, return_hidden=False):
        """(batch, seq, dim) → (batch, seq, dim).

        With ``return_hidden`` also ``(pre_activation, hidden)``: the inner layer's output
        X W₁ᵀ + b₁ and the same after the activation.
        """
        pre_activation = linear(self.inner_dense, x)  # (batch, seq, hidden_dim)
        if self.activation == "relu":
            hidden = keras.ops.relu(pre_activation)
        elif self.activation == "relu2":
            hidden = keras.ops.square(keras.ops.relu(pre_activation))
        elif self.activation == "swiglu":
            hidden = keras.ops.silu(linear(self.gate_dense, x)) * pre_activation
        else:
            hidden = keras.ops.gelu(pre_activation, approximate=self.activation == "gelu")
        out = self.dropout_layer(linear(self.output_dense, hidden), training=training)  # (batch, seq, dim)
        return (out, (pre_activation, hidden)) if return_hidden else out

    def get_config(self):
        config = super().get_config()
        config.update({
            "hidden_dim": self.hidden_dim,
            "activation": self.activation,
            "dropout": self.dropout,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
        })
        return config
