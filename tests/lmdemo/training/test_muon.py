"""Muon (lmdemo/training/muon.py): Newton–Schulz orthogonalisation, the update rule by hand, AdamW for the rest."""

import keras
import numpy as np
import pytest

from lmdemo.training.muon import Muon, is_hidden_matrix, newton_schulz


@pytest.mark.parametrize("shape", [(8, 8), (6, 16), (16, 6)])
def test_newton_schulz_sets_every_singular_value_near_one(shape):
    g = np.random.default_rng(0).normal(size=shape).astype("float32")
    o = np.asarray(newton_schulz(g))
    singular = np.linalg.svd(o, compute_uv=False)
    assert singular.min() > 0.6 and singular.max() < 1.25  # the quintic's band, not exactly 1
    u, _, vt = np.linalg.svd(g, full_matrices=False)
    assert np.abs(o - u @ vt).max() < 0.35  # ≈ U Vᵀ, the nearest orthogonal matrix


def _layer():
    keras.utils.set_random_seed(0)
    dense = keras.layers.Dense(6, name="inner")
    dense.build((None, 4))
    return dense


def test_one_step_is_the_update_rule_written_out():
    dense = _layer()
    kernel, bias = dense.kernel.numpy().copy(), dense.bias.numpy().copy()
    grads = [np.random.default_rng(1).normal(size=kernel.shape).astype("float32"),
             np.random.default_rng(2).normal(size=bias.shape).astype("float32")]
    opt = Muon(learning_rate=0.01, muon_learning_rate=0.05, momentum=0.9, beta_1=0.9, beta_2=0.99, epsilon=1e-8)
    opt.apply_gradients(zip([keras.ops.convert_to_tensor(g) for g in grads], dense.trainable_variables))
    assert is_hidden_matrix(dense.kernel) and not is_hidden_matrix(dense.bias)
    # Muon on the kernel: B = G (B₀ = 0), M = G + μB, W -= η · √max(1, 6/4) · NS(M)
    ahead = grads[0] + 0.9 * grads[0]
    expected = kernel - 0.05 * np.sqrt(6 / 4) * np.asarray(newton_schulz(ahead))
    np.testing.assert_allclose(dense.kernel.numpy(), expected, atol=1e-6)
    # AdamW on the bias, first step: m = 0.1 g, v = 0.01 g², α = lr · √(1 − 0.99) / (1 − 0.9)
    m, v = 0.1 * grads[1], 0.01 * grads[1] ** 2
    alpha = 0.01 * np.sqrt(1 - 0.99) / (1 - 0.9)
    np.testing.assert_allclose(dense.bias.numpy(), bias - alpha * m / (np.sqrt(v) + 1e-8), atol=1e-6)


def test_embeddings_and_the_output_layer_are_left_to_adamw():
    embedding = keras.layers.Embedding(10, 4, name="token_embedding")
    embedding.build((None,))
    head = keras.layers.Dense(10, name="lm_head")
    head.build((None, 4))
    assert not is_hidden_matrix(embedding.embeddings) and not is_hidden_matrix(head.kernel)


def test_a_schedule_needs_its_peak():
    schedule = keras.optimizers.schedules.CosineDecay(1e-3, 100)
    with pytest.raises(ValueError, match="peak_learning_rate is needed"):
        Muon(learning_rate=schedule)
    assert Muon(learning_rate=schedule, peak_learning_rate=1e-3).get_config()["peak_learning_rate"] == 1e-3
