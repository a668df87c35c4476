import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest

from lmdemo.kernels import bf16_matmul


def rounded(matrix):
    """Each weight rounded to the nearest bfloat16, back in float32."""
    return np.asarray(jnp.asarray(matrix, jnp.float32).astype(jnp.bfloat16).astype(jnp.float32))


def test_pack_rounds_each_weight_to_bfloat16_and_pads_the_last_tile_with_zeros():
    w = np.random.default_rng(0).standard_normal((3, 70)).astype(np.float32)
    packed = bf16_matmul.pack(w)
    assert packed.shape == (2, 3, 64) and packed.dtype == jnp.bfloat16
    np.testing.assert_array_equal(bf16_matmul.unpack(packed, 70), rounded(w))
    tiles = np.asarray(packed.astype(jnp.float32))
    np.testing.assert_array_equal(tiles[1, :, :6], rounded(w)[:, 64:])
    assert not tiles[1, :, 6:].any()  # 128 - 70 padding columns


def test_pack_refuses_what_is_not_a_matrix():
    with pytest.raises(ValueError, match=r"\(K, N\) matrix, received shape \(4,\)"):
        bf16_matmul.pack(np.zeros(4))


@pytest.mark.parametrize("rows", [1, 3, 4, 9])
def test_matmul_is_x_times_the_rounded_weights(rows):
    bf16_matmul.load()
    rng = np.random.default_rng(rows)
    w = rng.standard_normal((40, 130)).astype(np.float32)
    x = rng.standard_normal((2, rows, 40)).astype(np.float32)  # leading axes are flattened and restored
    got = np.asarray(jax.jit(bf16_matmul.matmul, static_argnums=2)(x, bf16_matmul.pack(w), 130))
    assert got.shape == (2, rows, 130)
    np.testing.assert_allclose(got, x @ rounded(w), rtol=1e-5, atol=1e-5)


def test_packed_for_finds_a_variable_only_inside_its_scope():
    variable = keras.Variable(np.ones((2, 3), np.float32), name="kernel")
    packed = bf16_matmul.pack(np.ones((2, 3)))
    assert bf16_matmul.packed_for(variable) is None
    with bf16_matmul.packed_weights({variable.path: packed}):
        assert bf16_matmul.packed_for(variable) is packed
        assert bf16_matmul.packed_for(keras.Variable(np.ones(2), name="other")) is None
    assert bf16_matmul.packed_for(variable) is None


def test_a_kernel_that_cannot_be_built_refuses_bf16_and_says_why(monkeypatch, tmp_path):
    monkeypatch.setattr(bf16_matmul, "_loaded", None)
    monkeypatch.setenv("LMDEMO_KERNEL_CACHE", str(tmp_path))
    monkeypatch.setenv("CXX", "no-such-compiler")
    with pytest.raises(ValueError, match="weights='bf16' cannot be used here: .*CXX='no-such-compiler' was not found"):
        bf16_matmul.load()
    with pytest.raises(bf16_matmul.KernelUnavailable):  # remembered: not tried again
        bf16_matmul.load()
