import json
import os
import subprocess
import sys

import numpy as np
import pytest

from lmdemo.data.batching import disjoint_windows, random_windows
from lmdemo.data.text import read_text, split_text
from lmdemo.training.trainer import Trainer, TrainConfig
from lmdemo.training.lm_training import train_language_model
from lmdemo.lm.transformer_lm import TransformerLM
from tests.conftest import REPO, TOY_TEXT

TINY = dict(max_length=16, num_layers=1, num_heads=2, d_model=16)


@pytest.fixture
def toy_file(tmp_path):
    path = tmp_path / "toy.txt"
    path.write_text(TOY_TEXT, encoding="utf-8")
    return str(path)


def _cfg(**kw):
    base = dict(steps=40, batch_size=8, learning_rate=3e-3, warmup_steps=5, eval_interval=20, seed=0)
    base.update(kw)
    return TrainConfig(**base)


@pytest.mark.slow
def test_loss_falls_on_tiny_corpus(tmp_path, toy_file):
    lm = train_language_model(toy_file, str(tmp_path / "ck"), preset="tiny", model_overrides=TINY,
                              train_config=_cfg(steps=60), progress=False)
    metrics = json.loads((tmp_path / "ck" / "metrics.json").read_text())
    history = metrics["history"]
    assert history[-1]["val_loss"] < history[0]["val_loss"] < np.log(lm.tokenizer.vocab_size)
    assert metrics["step"] == 60
    assert "python -m lmdemo" not in (tmp_path / "ck" / "README.md").read_text()  # no command was given


@pytest.mark.slow
def test_resume_continues_and_matches_uninterrupted_run(tmp_path, toy_file):
    full = train_language_model(toy_file, str(tmp_path / "full"), preset="tiny", model_overrides=TINY,
                                train_config=_cfg(steps=40), progress=False)
    train_language_model(toy_file, str(tmp_path / "part"), preset="tiny", model_overrides=TINY,
                         train_config=_cfg(steps=40), progress=False, pause_after=25)
    assert json.loads((tmp_path / "part" / "metrics.json").read_text())["step"] == 25
    resumed = train_language_model(toy_file, str(tmp_path / "part"), preset="tiny", model_overrides=TINY,
                                   train_config=_cfg(steps=40), progress=False)
    # the same initial weights, batches and schedule: the same model, up to float noise
    np.testing.assert_allclose(resumed.log_probs("Speak, speak."), full.log_probs("Speak, speak."), atol=1e-4)


@pytest.mark.slow
def test_fine_tune_from_checkpoint_keeps_tokenizer(tmp_path, toy_file):
    base = train_language_model(toy_file, str(tmp_path / "base"), preset="tiny", model_overrides=TINY,
                                train_config=_cfg(steps=20), progress=False)
    new_text = tmp_path / "new.txt"
    new_text.write_text("Speak, speak. 字\n" * 200, encoding="utf-8")
    tuned = train_language_model(str(new_text), str(tmp_path / "tuned"), init_from=str(tmp_path / "base"),
                                 train_config=_cfg(steps=20), progress=False)
    assert tuned.tokenizer.chars == base.tokenizer.chars
    metrics = json.loads((tmp_path / "tuned" / "metrics.json").read_text())
    assert metrics["init_from"] == str(tmp_path / "base")
    assert metrics["unk_in_train"] > 0  # "字" is outside the base vocabulary
    assert tuned.log_probs("Speak, speak.").sum() > base.log_probs("Speak, speak.").sum()


def test_trainer_rejects_text_shorter_than_context(toy_lm):
    trainer = Trainer(toy_lm.network, _cfg(), context=16, progress=False)
    with pytest.raises(ValueError, match="the training text has 10 tokens; it needs more than context=16"):
        trainer.fit(np.arange(10))


def test_train_config_errors():
    with pytest.raises(ValueError, match="steps must be a positive int, received steps=0"):
        TrainConfig(steps=0)
    with pytest.raises(ValueError, match="learning_rate must be a positive number, received learning_rate=nan"):
        TrainConfig(learning_rate=float("nan"))
    with pytest.raises(ValueError, match=r"warmup_steps must be in \[0, steps\), received warmup_steps=10"):
        TrainConfig(steps=10, warmup_steps=10)


def test_read_text_errors(tmp_path):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("café".encode("latin-1"))
    with pytest.raises(ValueError, match="is not UTF-8: invalid byte 0xe9 at offset 3"):
        read_text(str(latin1))
    binary = tmp_path / "bin.dat"
    binary.write_bytes(b"\x00\x01\x02abc")
    with pytest.raises(ValueError, match="looks binary"):
        read_text(str(binary))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(ValueError, match="is empty"):
        read_text(str(empty))
    with pytest.raises(ValueError, match="data file not found"):
        read_text(str(tmp_path / "nope.txt"))


def test_read_gzip(tmp_path):
    import gzip

    path = tmp_path / "t.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("床前明月光")
    assert read_text(str(path)) == "床前明月光"


def test_split_and_windows():
    assert split_text("abcdefghij", 0.2) == ("abcdefgh", "ij")
    ids = np.arange(10)
    x, y = random_windows(ids, 3, 4, np.random.default_rng(0))
    np.testing.assert_array_equal(y, x + 1)
    inputs, targets, mask = disjoint_windows(ids, 4)
    assert inputs.shape == (3, 4) and mask.sum() == 9
    assert targets[mask > 0].tolist() == list(range(1, 10))


@pytest.mark.slow
def test_hf_source_errors_clearly_offline():
    from lmdemo.data.text import load_text

    with pytest.raises(ValueError, match="could not load the Hugging Face dataset|needs the `datasets` package"):
        load_text("hf:this-dataset/does-not-exist-anywhere")


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
    assert isinstance(TransformerLM.load(str(tmp_path / "dp")), TransformerLM)


@pytest.mark.slow
def test_bpe_model_trains_scores_and_streams_whole_characters(tmp_path):
    text = ("床前明月光，疑是地上霜。举头望明月，低头思故乡。\n" + TOY_TEXT[:400]) * 6
    data = tmp_path / "mixed.txt"
    data.write_text(text, encoding="utf-8")
    lm = train_language_model(str(data), str(tmp_path / "bpe"), preset="tiny", tokenizer="bpe", bpe_vocab_size=300,
                              model_overrides=TINY, train_config=_cfg(steps=10, eval_interval=10), progress=False)
    assert lm.tokenizer.type_name == "bpe"
    assert lm.log_probs("举头望明月").shape == (len(lm.tokenizer.encode("举头望明月")),)  # every token, the first after <|endoftext|>
    pieces = list(lm.stream("明月", 40, sampler="temperature", temperature=3.0, seed=0))
    assert "".join(pieces) == lm.generate("明月", 40, sampler="temperature", temperature=3.0, seed=0)
    assert TransformerLM.load(str(tmp_path / "bpe")).tokenizer.vocab_size == lm.tokenizer.vocab_size


def test_stream_holds_back_split_utf8_until_whole():
    from lmdemo.lm.language_model import _decode_stream
    from lmdemo.tokenizers import BPETokenizer

    tok = BPETokenizer.train(["ab"] * 3, vocab_size=257)  # bytes only: one CJK character = 3 tokens
    ids = tok.encode("明月")
    assert len(ids) == 6
    assert list(_decode_stream(tok, ([i] for i in ids), [])) == ["明", "月"]


@pytest.mark.slow
@pytest.mark.parametrize("model", ["lstm", "rnn"])
def test_recurrent_model_trains_with_the_same_trainer(tmp_path, toy_file, model):
    lm = train_language_model(toy_file, str(tmp_path / model), model=model,
                              model_overrides=dict(num_layers=1, hidden_dim=32, train_length=24),
                              train_config=_cfg(steps=60, learning_rate=1e-2), progress=False)
    metrics = json.loads((tmp_path / model / "metrics.json").read_text())
    history = metrics["history"]
    assert lm.kind == model and metrics["model"] == model
    assert history[-1]["val_loss"] < history[0]["val_loss"] < np.log(lm.tokenizer.vocab_size)
    # the final score reads the validation text in one pass, as the comparison table does
    val_text = split_text(TOY_TEXT, 0.1)[1]
    assert metrics["final_val_nats_per_token"] == pytest.approx(-lm.log_probs(val_text).mean(), rel=1e-6)
    card = (tmp_path / model / "README.md").read_text()
    assert "state reset per window" in card and "Read whole with `lm.log_probs`" in card


def test_ngram_model_is_counted_and_carded(tmp_path, toy_file):
    lm = train_language_model(toy_file, str(tmp_path / "ng"), model="ngram", order=3, command="python -m lmdemo x")
    metrics = json.loads((tmp_path / "ng" / "metrics.json").read_text())
    assert lm.kind == "ngram" and metrics["order"] == 3
    assert metrics["final_val_tokens"] == len(split_text(TOY_TEXT, 0.1)[1])
    assert "python -m lmdemo x" in (tmp_path / "ng" / "README.md").read_text()
    with pytest.raises(ValueError, match="model must be one of"):
        train_language_model(toy_file, str(tmp_path / "bad"), model="gru")
