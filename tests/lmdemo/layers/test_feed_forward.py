"""FeedForward (lmdemo/layers/feed_forward.py): the position-wise two-layer network."""

import keras
import numpy as np
import pytest

from lmdemo.layers import FeedForward


@pytest.mark.parametrize("activation,fn", [("relu", lambda h: np.maximum(h, 0)),
                                           ("gelu", lambda h: np.asarray(keras.ops.gelu(h, approximate=True)))])
def test_feed_forward_is_act_of_linear(activation, fn):
    ff = FeedForward(6, activation=activation)
    x = np.random.default_rng(0).normal(size=(1, 2, 4)).astype("float32")
    out = np.asarray(ff(x))
    w1, b1 = ff.inner_dense.kernel.numpy(), ff.inner_dense.bias.numpy()
    w2, b2 = ff.output_dense.kernel.numpy(), ff.output_dense.bias.numpy()
    np.testing.assert_allclose(out, fn(x @ w1 + b1) @ w2 + b2, atol=1e-5)


def test_feed_forward_rejects_unknown_activation():
    with pytest.raises(ValueError, match="activation='tanh'"):
        FeedForward(4, activation="tanh")


def test_feed_forward_get_config_round_trip():
    layer = FeedForward(16, activation="relu", dropout=0.1)
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
