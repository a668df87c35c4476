"""RMSNorm (Zhang & Sennrich, 2019): LayerNorm without the centring and the bias."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="lmdemo")
class RMSNorm(keras.layers.Layer):
    """y = x / √(mean(x²) + ε) · γ over the last axis, γ learned (initially 1).

    LayerNorm subtracts the mean and adds a bias β as well; RMSNorm keeps only the rescaling, which
    is what the speedrun and Llama-style models found to matter.

    Args:
        epsilon: ε, added under the square root.
    """

    def __init__(self, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        self.gamma = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="gamma")
        self.built = True

    def call(self, x):
        return rms_normalize(x, self.epsilon) * ops.cast(self.gamma, x.dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"epsilon": self.epsilon})
        return config


def rms_normalize(x, epsilon=1e-5):
    """x / √(mean(x²) + ε) over the last axis (no learned scale; QK-norm uses it on queries and keys)."""
    return x * ops.rsqrt(ops.mean(ops.square(x), axis=-1, keepdims=True) + epsilon)
