"""Counting an n-gram model (lmdemo/training/ngram_training.py) through ``train_language_model(model="ngram")``."""

import json

import pytest

from lmdemo.data.text import split_text
from lmdemo.training.lm_training import train_language_model
from tests.conftest import TOY_TEXT


def test_ngram_model_is_counted_and_carded(tmp_path, toy_file):
    lm = train_language_model(toy_file, str(tmp_path / "ng"), model="ngram", order=3, command="python -m lmdemo x")
    metrics = json.loads((tmp_path / "ng" / "metrics.json").read_text())
    assert lm.kind == "ngram" and metrics["order"] == 3
    assert metrics["final_val_tokens"] == len(split_text(TOY_TEXT, 0.1)[1])
    assert "python -m lmdemo x" in (tmp_path / "ng" / "README.md").read_text()
    with pytest.raises(ValueError, match="model must be one of"):
        train_language_model(toy_file, str(tmp_path / "bad"), model="gru")
