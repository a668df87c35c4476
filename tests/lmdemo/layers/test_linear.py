import keras
import numpy as np

from lmdemo.kernels import bf16_matmul
from lmdemo.layers.linear import linear
from tests.lmdemo.kernels.test_bf16_matmul import rounded


def test_linear_is_the_dense_layer_outside_a_packed_scope():
    dense = keras.layers.Dense(5, activation="relu")
    x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
    np.testing.assert_array_equal(np.asarray(linear(dense, x)), np.asarray(dense(x)))


def test_linear_reads_the_bfloat16_copy_inside_it_with_bias_and_activation():
    bf16_matmul.load()
    dense = keras.layers.Dense(5, activation="relu", bias_initializer="ones")
    x = np.random.default_rng(1).standard_normal((2, 3, 4)).astype(np.float32)
    dense.build(x.shape)
    w = np.asarray(dense.kernel.value)
    with bf16_matmul.packed_weights({dense.kernel.path: bf16_matmul.pack(w)}):
        got = np.asarray(linear(dense, x))
    np.testing.assert_allclose(got, np.maximum(x @ rounded(w) + 1.0, 0.0), rtol=1e-6, atol=1e-6)
