"""train_language_model (lmdemo/training/lm_training.py): training, resuming and fine-tuning each kind of
language model at toy sizes."""

import json

import numpy as np
import pytest

import lmdemo
from lmdemo.data.text import split_text
from lmdemo.training.lm_training import train_language_model
from tests.conftest import TOY_TEXT
from tests.lmdemo.training.conftest import TINY, toy_train_config


@pytest.mark.slow
def test_loss_falls_on_tiny_corpus(tmp_path, toy_file):
    lm = train_language_model(toy_file, str(tmp_path / "ck"), preset="tiny", model_overrides=TINY,
                              train_config=toy_train_config(steps=60), progress=False)
    metrics = json.loads((tmp_path / "ck" / "metrics.json").read_text())
    history = metrics["history"]
    assert history[-1]["val_loss"] < history[0]["val_loss"] < np.log(lm.tokenizer.vocab_size)
    assert metrics["step"] == 60
    assert "python -m lmdemo" not in (tmp_path / "ck" / "README.md").read_text()  # no command was given


@pytest.mark.slow
def test_resume_continues_and_matches_uninterrupted_run(tmp_path, toy_file):
    full = train_language_model(toy_file, str(tmp_path / "full"), preset="tiny", model_overrides=TINY,
                                train_config=toy_train_config(steps=40), progress=False)
    first, second = "python -m lmdemo train --data toy.txt --out part --steps 25", "python -m lmdemo train ... --steps 40"
    train_language_model(toy_file, str(tmp_path / "part"), preset="tiny", model_overrides=TINY, command=first,
                         train_config=toy_train_config(steps=40), progress=False, pause_after=25)
    assert json.loads((tmp_path / "part" / "metrics.json").read_text())["step"] == 25
    resumed = train_language_model(toy_file, str(tmp_path / "part"), preset="tiny", model_overrides=TINY,
                                   command=second, train_config=toy_train_config(steps=40), progress=False)
    metrics = json.loads((tmp_path / "part" / "metrics.json").read_text())
    assert metrics["command"] == second and metrics["resumed_after"] == [{"command": first, "step": 25}]
    card = (tmp_path / "part" / "README.md").read_text()
    assert card.index("Until step 25 (then resumed):") < card.index(first) < card.index(second)
    # the same initial weights, batches and schedule: the same model, up to float noise
    np.testing.assert_allclose(resumed.log_probs("Speak, speak."), full.log_probs("Speak, speak."), atol=1e-4)


@pytest.mark.slow
def test_fine_tune_from_checkpoint_keeps_tokenizer(tmp_path, toy_file):
    base = train_language_model(toy_file, str(tmp_path / "base"), preset="tiny", model_overrides=TINY,
                                train_config=toy_train_config(steps=20), progress=False)
    new_text = tmp_path / "new.txt"
    new_text.write_text("Speak, speak. 字\n" * 200, encoding="utf-8")
    tuned = train_language_model(str(new_text), str(tmp_path / "tuned"), init_from=str(tmp_path / "base"),
                                 train_config=toy_train_config(steps=20), progress=False)
    assert tuned.tokenizer.chars == base.tokenizer.chars
    metrics = json.loads((tmp_path / "tuned" / "metrics.json").read_text())
    assert metrics["init_from"] == str(tmp_path / "base")
    assert metrics["unk_in_train"] > 0  # "字" is outside the base vocabulary
    assert tuned.log_probs("Speak, speak.").sum() > base.log_probs("Speak, speak.").sum()


@pytest.mark.slow
def test_bpe_model_trains_scores_and_streams_whole_characters(tmp_path):
    text = ("床前明月光，疑是地上霜。举头望明月，低头思故乡。\n" + TOY_TEXT[:400]) * 6
    data = tmp_path / "mixed.txt"
    data.write_text(text, encoding="utf-8")
    lm = train_language_model(str(data), str(tmp_path / "bpe"), preset="tiny", tokenizer="bpe", bpe_vocab_size=300,
                              model_overrides=TINY, train_config=toy_train_config(steps=10, eval_interval=10), progress=False)
    assert lm.tokenizer.type_name == "bpe"
    assert lm.log_probs("举头望明月").shape == (len(lm.tokenizer.encode("举头望明月")),)  # every token, the first after <|endoftext|>
    pieces = list(lm.stream("明月", 40, sampler="temperature", temperature=3.0, seed=0))
    assert "".join(pieces) == lm.generate("明月", 40, sampler="temperature", temperature=3.0, seed=0)
    assert lmdemo.TransformerLM.load(str(tmp_path / "bpe")).tokenizer.vocab_size == lm.tokenizer.vocab_size


@pytest.mark.slow
@pytest.mark.parametrize("model", ["lstm", "rnn"])
def test_recurrent_model_trains_with_the_same_trainer(tmp_path, toy_file, model):
    lm = train_language_model(toy_file, str(tmp_path / model), model=model,
                              model_overrides=dict(num_layers=1, hidden_dim=32, train_length=24),
                              train_config=toy_train_config(steps=60, learning_rate=1e-2), progress=False)
    metrics = json.loads((tmp_path / model / "metrics.json").read_text())
    history = metrics["history"]
    assert lm.kind == model and metrics["model"] == model
    assert history[-1]["val_loss"] < history[0]["val_loss"] < np.log(lm.tokenizer.vocab_size)
    # the final score reads the validation text in one pass, as the comparison table does
    val_text = split_text(TOY_TEXT, 0.1)[1]
    assert metrics["final_val_nats_per_token"] == pytest.approx(-lm.log_probs(val_text).mean(), rel=1e-6)
    card = (tmp_path / model / "README.md").read_text()
    assert "state reset per window" in card and "Read whole with `lm.log_probs`" in card
