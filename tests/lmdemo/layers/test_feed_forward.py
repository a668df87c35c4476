"""FeedForward (lmdemo/layers/feed_forward.py): the position-wise two-layer network."""

import math

import numpy as np
import pytest

from lmdemo.layers import FeedForward


@pytest.mark.parametrize("activation,fn", [
    ("relu", lambda h: np.maximum(h, 0)),
    ("gelu", lambda h: 0.5 * h * (1 + np.tanh(np.sqrt(2 / np.pi) * (h + 0.044715 * h ** 3)))),
    ("gelu_exact", lambda h: 0.5 * h * (1 + np.vectorize(math.erf)(h / np.sqrt(2)))),
])
def test_feed_forward_is_act_of_linear(activation, fn):
    ff = FeedForward(6, activation=activation)
    x = np.random.default_rng(0).normal(size=(1, 2, 4)).astype("float32")
    out = np.asarray(ff(x))
    w1, b1 = ff.inner_dense.kernel.numpy(), ff.inner_dense.bias.numpy()
    w2, b2 = ff.output_dense.kernel.numpy(), ff.output_dense.bias.numpy()
    np.testing.assert_allclose(out, fn(x @ w1 + b1) @ w2 + b2, atol=1e-5)


def test_relu_squared_and_swiglu_are_their_formulas():
    x = np.random.default_rng(1).normal(size=(1, 3, 4)).astype("float32")
    ff = FeedForward(6, activation="relu2")
    out = np.asarray(ff(x))
    w1, b1 = ff.inner_dense.kernel.numpy(), ff.inner_dense.bias.numpy()
    w2, b2 = ff.output_dense.kernel.numpy(), ff.output_dense.bias.numpy()
    np.testing.assert_allclose(out, np.maximum(x @ w1 + b1, 0) ** 2 @ w2 + b2, atol=1e-5)
    glu = FeedForward(6, activation="swiglu")
    out = np.asarray(glu(x))
    w1, b1 = glu.inner_dense.kernel.numpy(), glu.inner_dense.bias.numpy()
    wg, bg = glu.gate_dense.kernel.numpy(), glu.gate_dense.bias.numpy()
    w2, b2 = glu.output_dense.kernel.numpy(), glu.output_dense.bias.numpy()
    gate = x @ wg + bg
    np.testing.assert_allclose(out, (gate / (1 + np.exp(-gate)) * (x @ w1 + b1)) @ w2 + b2, atol=1e-5)


def test_feed_forward_rejects_unknown_activation():
    with pytest.raises(ValueError, match="activation='tanh'"):
        FeedForward(4, activation="tanh")


def test_feed_forward_get_config_round_trip():
    layer = FeedForward(16, activation="relu", dropout=0.1)
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()



def test_gelu_is_the_tanh_approximation_and_gelu_exact_the_erf_one():
    x = np.linspace(-4, 4, 81, dtype="float32")[None, :, None]  # (1, 81, 1)
    hidden = {}
    for activation in ("gelu", "gelu_exact"):
        ff = FeedForward(1, activation=activation)
        ff.build(x.shape)
        ff.inner_dense.set_weights([np.ones((1, 1), "float32"), np.zeros(1, "float32")])  # hidden = act(x)
        hidden[activation] = np.asarray(ff(x, return_hidden=True)[1][1])[0, :, 0]
    h = x[0, :, 0].astype("float64")
    np.testing.assert_allclose(hidden["gelu"], 0.5 * h * (1 + np.tanh(np.sqrt(2 / np.pi) * (h + 0.044715 * h ** 3))),
                               atol=1e-6)
    np.testing.assert_allclose(hidden["gelu_exact"], 0.5 * h * (1 + np.vectorize(math.erf)(h / np.sqrt(2))), atol=1e-6)
    assert 4e-4 < np.abs(hidden["gelu"] - hidden["gelu_exact"]).max() < 4.8e-4
