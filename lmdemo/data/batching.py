"""Token ids laid out in batches: training windows, scoring windows, padded rows.

Padding goes to a width from a short list (8, 12, 16, 24, 32, 48, ...: at most a third of a row
wasted), so a jitted function compiles for a handful of shapes only.
"""

import numpy as np

from lmdemo.data.checks import is_int


def padded_width(length, cap):
    """The smallest of 8, 12, 16, 24, 32, 48, ... (each 1.5 or 4/3 times the last) ≥ ``length``, at most ``cap``."""
    width = 8
    while width < length:
        width = width * 3 // 2 if width & (width - 1) == 0 else width * 4 // 3
    return min(width, cap)


def pad_batch(rows, cap):
    """Rows of ids → (ids, mask) padded with 0 to ``padded_width``; rows are cut at ``cap``."""
    width = padded_width(max(len(r) for r in rows), cap)
    ids = np.zeros((len(rows), width), np.int32)
    mask = np.zeros((len(rows), width), bool)
    for i, r in enumerate(rows):
        r = r[:width]
        ids[i, :len(r)] = r
        mask[i, :len(r)] = True
    return ids, mask


def random_windows(ids, batch_size, length, rng):
    """``batch_size`` random windows: inputs ids[i:i+length], targets ids[i+1:i+length+1]."""
    starts = rng.integers(0, len(ids) - length, size=batch_size)
    index = starts[:, None] + np.arange(length + 1)[None, :]
    windows = np.asarray(ids[index], dtype=np.int32)  # ids may be a uint16 memory map (lmdemo.data.token_file)
    return windows[:, :-1], windows[:, 1:]


def disjoint_windows(ids, length):
    """Every token predicted once: windows of ``length`` with stride ``length``.

    Returns:
        (inputs, targets, mask): int32 (n, length) arrays; ``mask`` is 0 on the padding of the
        last, shorter window.
    """
    n_targets = len(ids) - 1
    if n_targets < 1:
        raise ValueError(f"need at least 2 tokens to score, received {len(ids)}")
    n = -(-n_targets // length)
    inputs = np.zeros((n, length), dtype=np.int32)
    targets = np.zeros((n, length), dtype=np.int32)
    mask = np.zeros((n, length), dtype=np.float32)
    for w in range(n):
        a = w * length
        b = min(a + length, n_targets)
        inputs[w, : b - a] = ids[a:b]
        targets[w, : b - a] = ids[a + 1 : b + 1]
        mask[w, : b - a] = 1.0
    return inputs, targets, mask


def rolling_windows(seq, max_length, stride=None):
    """Windows that predict every token of ``seq[1:]`` exactly once.

    Returns:
        (inputs, targets, positions): int32 (n, width) arrays padded with 0, and for each
        window the positions whose predictions are new (not predicted by an earlier window).
    """
    n = len(seq)
    width = min(max_length or n - 1, n - 1)
    if stride is None:
        stride = width
    if not is_int(stride) or not 1 <= stride <= (max_length or n):
        raise ValueError(f"stride must be an int in [1, max_length={max_length}], received stride={stride!r}")
    inputs, targets, positions = [], [], []
    predicted = 1  # the next target index
    while predicted < n:
        step = width if not positions else stride
        end = min(predicted + step, n)  # targets predicted..end-1
        a = max(0, end - 1 - width)  # inputs seq[a:end-1]
        x = np.zeros(width, np.int32)
        y = np.zeros(width, np.int32)
        x[: end - 1 - a] = seq[a:end - 1]
        y[: end - 1 - a] = seq[a + 1:end]
        inputs.append(x)
        targets.append(y)
        positions.append(np.arange(predicted - 1 - a, end - 1 - a))
        predicted = end
    return np.stack(inputs), np.stack(targets), positions
