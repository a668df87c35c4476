"""The toy corpus file and the small model and training sizes the training tests share."""

import pytest

from lmdemo.training.trainer import TrainConfig
from tests.conftest import TOY_TEXT

TINY = dict(max_length=16, num_layers=1, num_heads=2, d_model=16)  # a Transformer small enough to train in seconds


@pytest.fixture
def toy_file(tmp_path):
    path = tmp_path / "toy.txt"
    path.write_text(TOY_TEXT, encoding="utf-8")
    return str(path)


def toy_train_config(**kw):
    """A short training run's TrainConfig; ``kw`` overrides its fields."""
    base = dict(steps=40, batch_size=8, learning_rate=3e-3, warmup_steps=5, eval_interval=20, seed=0)
    base.update(kw)
    return TrainConfig(**base)
