"""Trainer and TrainConfig (lmdemo/training/trainer.py): the checks, and data parallelism over two devices."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import lmdemo
from lmdemo.training.trainer import TrainConfig, Trainer
from tests.conftest import REPO
from tests.lmdemo.training.conftest import TINY, toy_train_config


def test_trainer_rejects_text_shorter_than_context(toy_lm):
    trainer = Trainer(toy_lm.network, toy_train_config(), context=16, progress=False)
    with pytest.raises(ValueError, match="the training text has 10 tokens; it needs more than context=16"):
        trainer.fit(np.arange(10))


def test_train_config_errors():
    with pytest.raises(ValueError, match="steps must be a positive int, received steps=0"):
        TrainConfig(steps=0)
    with pytest.raises(ValueError, match="learning_rate must be a positive number, received learning_rate=nan"):
        TrainConfig(learning_rate=float("nan"))
    with pytest.raises(ValueError, match=r"warmup_steps must be in \[0, steps\), received warmup_steps=10"):
        TrainConfig(steps=10, warmup_steps=10)
    with pytest.raises(ValueError, match="optimizer must be 'adamw' or 'muon', received optimizer='sgd'"):
        TrainConfig(optimizer="sgd")
    with pytest.raises(ValueError, match="schedule must be 'cosine' or 'wsd', received schedule='linear'"):
        TrainConfig(schedule="linear")
    with pytest.raises(ValueError, match="muon_learning_rate must be a positive number"):
        TrainConfig(muon_learning_rate=0)


@pytest.mark.parametrize("options", [dict(optimizer="muon"), dict(schedule="wsd"),
                                     dict(optimizer="muon", schedule="wsd")])
def test_muon_and_wsd_train_and_resume(toy_lm, tmp_path, options):
    """Each option learns (the validation loss falls) and resumes from its saved optimizer state."""
    import keras

    keras.utils.set_random_seed(0)
    lm = lmdemo.TransformerLM.create(toy_lm.tokenizer, toy_lm.config)
    ids = np.asarray(lm.tokenizer.encode("Speak, speak. You are all resolved rather to die. " * 40))
    config = toy_train_config(steps=30, eval_interval=15, muon_learning_rate=0.02, **options)
    trainer = Trainer(lm.network, config, context=16, state_dir=str(tmp_path / "state"), progress=False)
    before = trainer.evaluate(ids[-200:])
    trainer.fit(ids[:-200], ids[-200:], pause_after=15)
    trainer.save_state()
    resumed = Trainer(lm.network, config, context=16, state_dir=str(tmp_path / "state"), progress=False)
    assert resumed.load_state() and resumed.step == 15
    resumed.fit(ids[:-200], ids[-200:])
    assert resumed.history[-1]["val_loss"] < before - 0.5


@pytest.mark.slow
def test_data_parallel_on_two_host_devices(tmp_path, toy_file):
    """Two virtual CPU devices: the batch is split by Keras' DataParallel and training still learns."""
    code = (
        "import jax, lmdemo, json, sys\n"
        "from lmdemo.training.lm_training import train_language_model\n"
        "from lmdemo.training.trainer import TrainConfig\n"
        "assert len(jax.devices()) == 2, jax.devices()\n"
        f"lm = train_language_model({toy_file!r}, {str(tmp_path / 'dp')!r}, preset='tiny', model_overrides={TINY!r},"
        " train_config=TrainConfig(steps=30, batch_size=8, learning_rate=3e-3, warmup_steps=5, eval_interval=15),"
        " progress=False)\n"
    )
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=2", PYTHONPATH=REPO)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    history = json.loads((tmp_path / "dp" / "metrics.json").read_text())["history"]
    assert history[-1]["val_loss"] < history[0]["val_loss"]
    assert isinstance(lmdemo.TransformerLM.load(str(tmp_path / "dp")), lmdemo.TransformerLM)
