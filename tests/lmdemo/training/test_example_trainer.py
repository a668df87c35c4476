"""The example-based trainers (lmdemo/training/example_trainer.py): masked-LM pre-training's masking."""

import numpy as np

from lmdemo.config import EncoderConfig
from lmdemo.networks import MaskedLM
from lmdemo.training.example_trainer import MaskedLMTrainer
from lmdemo.training.trainer import TrainConfig


def test_masking_follows_berts_recipe():
    net = MaskedLM(EncoderConfig(vocab_size=50, max_length=64, num_layers=1, num_heads=2, d_model=8))
    net.build()
    trainer = MaskedLMTrainer(net, TrainConfig(steps=10, batch_size=4, warmup_steps=1), mask_id=0, max_length=64,
                              vocab_size=50, progress=False)
    rows = [list(range(1, 41)) for _ in range(200)] + [[7]]
    inputs, mask, positions, picked, weights = trainer._layout(rows, np.random.default_rng(0))
    assert positions.shape[1] % 4 == 0 and set(np.unique(weights)) == {0.0, 1.0}
    chosen = np.zeros_like(mask)
    for row, col in zip(*np.nonzero(weights)):
        chosen[row, positions[row, col]] = True
    assert (weights.sum(axis=1) == chosen.sum(axis=1)).all()  # each chosen position listed once
    targets = np.zeros_like(inputs)
    for i, r in enumerate(rows):
        targets[i, :len(r)] = r
    np.testing.assert_array_equal(picked, np.take_along_axis(targets, positions, axis=1))
    assert not chosen[~mask].any() and chosen[-1, 0]  # padding never chosen; a one-token text still is
    assert 0.13 < chosen[:200].mean() / mask[:200].mean() < 0.17
    masked = (inputs == 0) & chosen
    assert 0.75 < masked.sum() / chosen.sum() < 0.85
    assert 0.05 < ((inputs == targets) & chosen).sum() / chosen.sum() < 0.2  # kept as is (and random hits)
    np.testing.assert_array_equal(inputs[~chosen], targets[~chosen])
    again = trainer._layout(rows)  # evaluation: the same positions every time
    np.testing.assert_array_equal(again[2], trainer._layout(rows)[2])
    # the logits at the chosen positions are the full logits taken there
    full = np.asarray(net(inputs[:3], padding_mask=mask[:3]))
    some = np.asarray(net(inputs[:3], padding_mask=mask[:3], positions=positions[:3]))
    np.testing.assert_allclose(some, np.take_along_axis(full, positions[:3, :, None], axis=1), atol=1e-5)
