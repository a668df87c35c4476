"""Checkpoint folders (lmdemo/storage/checkpoint.py): identical after a round trip, atomic saves, clear refusals."""

import json
import os

import numpy as np
import pytest

import lmdemo


def test_save_load_identical_log_probs_and_generation(tmp_path, toy_lm):
    path = str(tmp_path / "ck")
    toy_lm.save(path, card="# card\n", metrics={"val_loss": 1.0})
    assert sorted(os.listdir(path)) == ["README.md", "config.json", "metrics.json", "model.weights.h5", "tokenizer.json"]
    loaded = lmdemo.load_model(path)
    text = "Speak, speak. First Citizen"
    np.testing.assert_array_equal(loaded.log_probs(text), toy_lm.log_probs(text))
    assert loaded.generate("All", 20, sampler="top_k", top_k=3, seed=1) == toy_lm.generate("All", 20, sampler="top_k", top_k=3, seed=1)
    assert loaded.card == "# card\n"
    assert json.loads(open(os.path.join(path, "config.json")).read())["kind"] == "transformer"


def test_save_replaces_atomically_and_keeps_other_files(tmp_path, toy_lm):
    path = tmp_path / "ck"
    toy_lm.save(str(path))
    (path / "train.log").write_text("log")
    toy_lm.save(str(path))
    assert (path / "train.log").read_text() == "log"
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".tmp")]


def test_missing_and_corrupt_checkpoints(tmp_path, toy_lm):
    with pytest.raises(ValueError, match="unknown model 'no-such-model'"):
        lmdemo.load_model("no-such-model")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="config.json is missing"):
        lmdemo.load_model(str(empty))
    path = tmp_path / "ck"
    toy_lm.save(str(path))
    weights = path / "model.weights.h5"
    weights.write_bytes(weights.read_bytes()[:200])
    with pytest.raises(ValueError, match="corrupt checkpoint: cannot read weights"):
        lmdemo.load_model(str(path))
    (path / "config.json").write_text("{broken")
    with pytest.raises(ValueError, match="corrupt checkpoint: cannot read"):
        lmdemo.load_model(str(path))
