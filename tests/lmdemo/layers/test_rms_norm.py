"""RMSNorm (lmdemo/layers/rms_norm.py): x / √(mean(x²) + ε) · γ."""

import numpy as np

from lmdemo.layers.rms_norm import RMSNorm, rms_normalize


def test_rms_norm_is_its_formula():
    x = np.random.default_rng(0).normal(size=(2, 3, 5)).astype("float32") * 3
    norm = RMSNorm(epsilon=1e-6)
    norm.build(x.shape)
    norm.gamma.assign(np.arange(1, 6, dtype="float32"))
    expected = x / np.sqrt(np.mean(x ** 2, -1, keepdims=True) + 1e-6) * np.arange(1, 6)
    np.testing.assert_allclose(np.asarray(norm(x)), expected, rtol=1e-5)
    np.testing.assert_allclose(np.sqrt(np.mean(np.asarray(rms_normalize(x)) ** 2, -1)), 1.0, atol=1e-4)
    assert RMSNorm.from_config(norm.get_config()).epsilon == 1e-6
