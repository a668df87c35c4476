"""y = x W + b through a Keras ``Dense`` layer, or through its bfloat16 copy while generating."""

from lmdemo.kernels import bf16_matmul


def linear(dense, x):
    """``dense(x)``, except inside ``lmdemo.kernels.bf16_matmul.packed_weights`` holding the layer's
    kernel: then x is multiplied by the bfloat16 copy (``bf16_matmul.matmul``), half the bytes read, and
    the bias and activation are added as ``Dense`` does.

    A function over Keras' own layer rather than a subclass of it, so that checkpoints keep their
    layer names (Keras stores a layer's weights under its class's name)."""
    packed = bf16_matmul.packed_for(dense.kernel) if dense.built else None
    if packed is None:
        return dense(x)
    y = bf16_matmul.matmul(x, packed, dense.units)
    if dense.use_bias:
        y = y + dense.bias
    return dense.activation(y) if dense.activation is not None else y
