"""The recurrent layers (lmdemo/layers/recurrent.py): the LSTM is its equations, a step mask keeps the state,
and ``bidirectional`` (one scan for both directions) equals the two directions run apart."""

import numpy as np
import pytest
from keras import ops

from lmdemo.layers.recurrent import Recurrent, bidirectional


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def built(units, cell, dim, seed):
    layer = Recurrent(units, cell)
    layer.build((None, None, dim))
    rng = np.random.default_rng(seed)
    for v in layer.weights:
        v.assign(rng.normal(scale=0.5, size=v.shape).astype("float32"))
    return layer


def test_lstm_is_its_equations():
    x = np.random.default_rng(1).normal(size=(2, 4, 3)).astype("float32")
    layer = built(5, "lstm", 3, seed=0)
    W, U, b = (np.asarray(v) for v in (layer.kernel, layer.recurrent_kernel, layer.bias))
    h, c = np.zeros((2, 5)), np.zeros((2, 5))
    expected = []
    for t in range(4):
        i, f, g, o = np.split(x[:, t] @ W + h @ U + b, 4, axis=-1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        expected.append(h)
    outputs, state = layer(x)
    np.testing.assert_allclose(np.asarray(outputs), np.stack(expected, 1), atol=1e-5)
    np.testing.assert_allclose(np.asarray(state), np.stack([h, c]), atol=1e-5)


def test_a_masked_step_keeps_the_state():
    x = np.random.default_rng(2).normal(size=(1, 5, 3)).astype("float32")
    layer = built(4, "rnn", 3, seed=3)
    mask = np.array([[1, 1, 1, 0, 0]], "float32")
    outputs, state = layer(x, step_mask=mask)
    np.testing.assert_array_equal(np.asarray(outputs)[0, 3], np.asarray(outputs)[0, 2])
    np.testing.assert_allclose(np.asarray(state)[0, 0], np.asarray(layer(x[:, :3])[1])[0, 0], atol=1e-6)


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
@pytest.mark.parametrize("units", [(6, 6), (6, 5)])  # equal widths share one scan; unequal ones run apart
def test_bidirectional_equals_the_two_directions_run_apart(cell, units):
    x = np.random.default_rng(4).normal(size=(3, 7, 4)).astype("float32")
    mask = np.array([[1] * 7, [1] * 4 + [0] * 3, [1] + [0] * 6], "float32")  # right-padded rows
    forward, backward = built(units[0], cell, 4, seed=5), built(units[1], cell, 4, seed=6)
    ahead, behind = bidirectional(forward, backward, x, mask)
    expected_ahead, _ = forward(x, step_mask=mask)
    expected_behind, _ = backward(np.flip(x, 1).copy(), step_mask=np.flip(mask, 1).copy())
    np.testing.assert_allclose(np.asarray(ahead), np.asarray(expected_ahead), atol=1e-5)
    np.testing.assert_allclose(np.asarray(behind), np.flip(np.asarray(expected_behind), 1), atol=1e-5)
    assert ops.shape(behind) == (3, 7, units[1])
