"""Recurrent layers written out as their equations: the Elman RNN and the LSTM.

Elman RNN (Elman, 1990):
    hₜ = tanh(xₜ W + hₜ₋₁ U + b)

LSTM (Hochreiter & Schmidhuber, 1997, with a forget gate as in Gers et al., 2000):
    [i, f, g, o] = xₜ W + hₜ₋₁ U + b
    cₜ = σ(f) ⊙ cₜ₋₁ + σ(i) ⊙ tanh(g)
    hₜ = σ(o) ⊙ tanh(cₜ)

The input projection xₜ W is computed for every step at once (one large matrix product);
only hₜ₋₁ U runs inside the scan over time.
"""

import keras
from keras import ops

CELLS = ("rnn", "lstm")


@keras.saving.register_keras_serializable(package="lmdemo")
class Recurrent(keras.layers.Layer):
    """One recurrent layer over a (batch, seq, dim) sequence.

    The state is one array, (state_parts, batch, units): hₜ for the RNN, (hₜ, cₜ) for the
    LSTM. A step mask (batch, seq) of 0/1 keeps the state unchanged at masked steps, so
    right-padded rows end with the state of their last real token.

    Args:
        units: width of the hidden state.
        cell: ``"rnn"`` or ``"lstm"``.
    """

    def __init__(self, units, cell="lstm", **kwargs):
        super().__init__(**kwargs)
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {CELLS}, received cell={cell!r}")
        self.units = int(units)
        self.cell = cell
        self.gates = 4 if cell == "lstm" else 1
        self.state_parts = 2 if cell == "lstm" else 1

    def build(self, input_shape):
        dim, width = input_shape[-1], self.gates * self.units
        self.kernel = self.add_weight(shape=(dim, width), initializer="glorot_uniform", name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, width), initializer="orthogonal",
                                                name="recurrent_kernel")
        if self.cell == "lstm":  # forget-gate bias 1: remember by default at the start of training
            bias_init = keras.initializers.Constant([0.0] * self.units + [1.0] * self.units + [0.0] * 2 * self.units)
        else:
            bias_init = "zeros"
        self.bias = self.add_weight(shape=(width,), initializer=bias_init, name="bias")
        self.built = True

    def initial_state(self, batch_size):
        return ops.zeros((self.state_parts, batch_size, self.units), dtype=self.compute_dtype)

    def call(self, x, state=None, step_mask=None):
        """x (batch, seq, dim) → (outputs (batch, seq, units), final state (parts, batch, units))."""
        if state is None:
            state = self.initial_state(ops.shape(x)[0])
        projected = self.project(x)
        mask = _time_major_mask(step_mask, projected)
        step = _step_function(self.cell, self.units, lambda h: ops.matmul(h, self.recurrent_kernel))
        state, outputs = ops.scan(step, state, (projected, mask))
        return ops.transpose(outputs, (1, 0, 2)), state

    def project(self, x):
        """xₜ W + b for every step at once, time first: (batch, seq, dim) → (seq, batch, width)."""
        return ops.transpose(ops.matmul(x, self.kernel) + self.bias, (1, 0, 2))

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "cell": self.cell})
        return config


def bidirectional(forward, backward, x, step_mask=None):
    """A bidirectional layer: ``forward`` reads x left to right, ``backward`` right to left, in one scan.

    The same as ``forward(x)`` beside ``flip(backward(flip(x)))``, each with its own weights; the two
    directions are stacked as one more batch axis, so the loop over time runs once instead of twice
    (on a CPU each step of a scan costs a few microseconds whatever its size).

    Args:
        forward, backward: two built ``Recurrent`` layers (of the same cell and width to share a scan).
        x: (batch, seq, dim); step_mask: (batch, seq) of 0/1 or None.

    Returns:
        (ahead, behind), each (batch, seq, units): at position t, ``ahead`` has read x₁…xₜ and
        ``behind`` xₜ…x_T.
    """
    if (forward.cell, forward.units) != (backward.cell, backward.units):  # cannot be stacked: two scans
        backward_mask = None if step_mask is None else ops.flip(step_mask, axis=1)
        ahead, _ = forward(x, step_mask=step_mask)
        behind, _ = backward(ops.flip(x, axis=1), step_mask=backward_mask)
        return ahead, ops.flip(behind, axis=1)
    flip = lambda a: ops.flip(a, axis=0)  # noqa: E731  (time is axis 0 below)
    projected = ops.stack([forward.project(x), flip(backward.project(x))], axis=1)  # (seq, 2, batch, width)
    mask = _time_major_mask(step_mask, projected[:, 0])
    mask = ops.stack([mask, flip(mask)], axis=1)  # (seq, 2, batch)
    kernels = ops.stack([forward.recurrent_kernel, backward.recurrent_kernel])  # (2, units, width)
    step = _step_function(forward.cell, forward.units, lambda h: ops.einsum("dbu,duw->dbw", h, kernels))
    state = ops.zeros((forward.state_parts, 2, ops.shape(x)[0], forward.units), dtype=projected.dtype)
    _, outputs = ops.scan(step, state, (projected, mask))  # (seq, 2, batch, units)
    return ops.transpose(outputs[:, 0], (1, 0, 2)), ops.transpose(flip(outputs[:, 1]), (1, 0, 2))


def _time_major_mask(step_mask, projected):
    """(seq, batch, ...) inputs → their (seq, batch) 0/1 mask (all ones without a step mask)."""
    if step_mask is None:
        return ops.ones(ops.shape(projected)[:2], dtype=projected.dtype)
    return ops.transpose(ops.cast(step_mask, projected.dtype), (1, 0))


def _step_function(cell, units, times_recurrent_kernel):
    """One step of the scan: (state, (xₜW + b, maskₜ)) → (new state, hₜ), for any leading axes of h."""

    def rnn_step(carry, inputs):
        xw, m = inputs
        h = carry[0]
        new_h = ops.tanh(xw + times_recurrent_kernel(h))
        keep = m[..., None]
        new_h = keep * new_h + (1 - keep) * h
        return new_h[None], new_h

    def lstm_step(carry, inputs):
        xw, m = inputs
        h, c = carry[0], carry[1]
        z = xw + times_recurrent_kernel(h)
        i, f, g, o = (z[..., k * units:(k + 1) * units] for k in range(4))
        new_c = ops.sigmoid(f) * c + ops.sigmoid(i) * ops.tanh(g)
        new_h = ops.sigmoid(o) * ops.tanh(new_c)
        keep = m[..., None]
        new_h = keep * new_h + (1 - keep) * h
        new_c = keep * new_c + (1 - keep) * c
        return ops.stack([new_h, new_c]), new_h

    return lstm_step if cell == "lstm" else rnn_step
