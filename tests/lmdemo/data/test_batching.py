"""Windows of token ids (lmdemo/data/batching.py): random training windows, disjoint and rolling scoring windows."""

import numpy as np

from lmdemo.data.batching import disjoint_windows, random_windows, rolling_windows


def test_random_and_disjoint_windows():
    ids = np.arange(10)
    x, y = random_windows(ids, 3, 4, np.random.default_rng(0))
    np.testing.assert_array_equal(y, x + 1)
    inputs, targets, mask = disjoint_windows(ids, 4)
    assert inputs.shape == (3, 4) and mask.sum() == 9
    assert targets[mask > 0].tolist() == list(range(1, 10))


def test_rolling_windows_predict_every_token_once():
    seq = np.arange(1, 12)
    inputs, targets, positions = rolling_windows(seq, 4, stride=2)
    predicted = np.concatenate([targets[w, p] for w, p in enumerate(positions)])
    assert predicted.tolist() == list(range(2, 12))
    assert inputs[0].tolist() == [1, 2, 3, 4] and targets[0].tolist() == [2, 3, 4, 5]
    assert inputs[1].tolist() == [3, 4, 5, 6] and positions[1].tolist() == [2, 3]  # 3 tokens of context
