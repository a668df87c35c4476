import json
import os
import subprocess
import sys

import pytest

from lmdemo.storage.encryption import KEY_ENV, PASSPHRASE_ENV
from tests.conftest import REPO, TOY_TEXT


def cli(*args, timeout=600):
    env = dict(os.environ, PYTHONPATH=REPO)
    return subprocess.run([sys.executable, "-m", "lmdemo", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    data = folder / "toy.txt"
    data.write_text(TOY_TEXT, encoding="utf-8")
    out = folder / "model"
    result = cli("train", "--data", str(data), "--out", str(out), "--preset", "tiny", "--context", "16",
                 "--d-model", "16", "--layers", "1", "--steps", "20", "--warmup", "2", "--eval-interval", "10",
                 "--batch-size", "4")
    assert result.returncode == 0, result.stderr[-2000:]
    return out


def test_train_writes_checkpoint_with_command_in_card(trained):
    card = (trained / "README.md").read_text(encoding="utf-8")
    assert "python -m lmdemo train --data" in card
    assert json.loads((trained / "metrics.json").read_text())["step"] == 20


def test_train_with_the_recipe_options(tmp_path):
    data = tmp_path / "toy.txt"
    data.write_text(TOY_TEXT, encoding="utf-8")
    out = tmp_path / "recipe"
    result = cli("train", "--data", str(data), "--out", str(out), "--preset", "tiny", "--context", "16",
                 "--d-model", "16", "--layers", "1", "--steps", "10", "--warmup", "2", "--eval-interval", "10",
                 "--batch-size", "4", "--position", "rope", "--norm", "rms", "--qk-norm", "--activation", "relu2",
                 "--optimizer", "muon", "--muon-lr", "0.03", "--schedule", "wsd", "--decay-fraction", "0.3")
    assert result.returncode == 0, result.stderr[-2000:]
    config = json.loads((out / "config.json").read_text())["config"]
    assert {k: config[k] for k in ("position", "norm", "qk_norm", "activation")} == {
        "position": "rope", "norm": "rms", "qk_norm": True, "activation": "relu2"}
    card = (out / "README.md").read_text(encoding="utf-8")
    assert ("Muon for the blocks' weight matrices (peak learning rate 0.03) and AdamW for the rest (peak learning "
            "rate 0.001; 2 warmup steps, flat, then a linear decay to 0.0001 over the last 30% of the steps, weight decay") in card


def test_generate_and_score(trained):
    result = cli("generate", str(trained), "First", "--max-new-tokens", "12", "--sampler", "greedy")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.rstrip("\n")) == 12
    result = cli("score", str(trained), "--text", "Speak, speak.")
    scores = json.loads(result.stdout)
    assert scores["tokens"] == 13 and scores["chars"] == 13
    bf16 = json.loads(cli("score", str(trained), "--text", "Speak, speak.", "--weights", "bf16").stdout)
    assert bf16["tokens"] == 13 and bf16["nats_per_token"] == pytest.approx(scores["nats_per_token"], rel=1e-2)
    result = cli("generate", str(trained), "First", "--max-new-tokens", "12", "--sampler", "greedy", "--weights", "bf16")
    assert result.returncode == 0 and len(result.stdout.rstrip("\n")) == 12, result.stderr


@pytest.mark.parametrize("args,message", [
    (["generate", "no-such-model", "hi"], "error: unknown model 'no-such-model'"),
    (["score", "no-such-model", "--text", "hi"], "error: unknown model"),
    (["generate", "ptb-lstm", "hi", "--weights", "bf16"], "error: --weights bf16 is for Transformer language models; "
                                                          "ptb-lstm is of kind 'lstm'"),
])
def test_cli_errors_are_one_line(args, message):
    result = cli(*args)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(message)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args,message", [
    (["sentiment", "--copy-attention"], "error: train-task sentiment has no copy_attention"),
    (["translation", "--pooling", "max"], "error: train-task translation has no pooling"),
    (["summarization", "--tokenizer", "word"],
     "error: tokenizer must be 'bpe' (or 'word' for sentiment and masked-lm), received tokenizer='word'"),
    (["translation", "--ngram-expert"], "error: ngram_expert is for task='sentiment', received task='translation'"),
    (["sentiment", "--tokenizer", "word", "--word-vocab-size", "2"],
     "error: word_vocab_size must be an int ≥ 3 (the words and <unk>, <eos>) or None, received word_vocab_size=2"),
])
def test_cli_train_task_refuses_options_of_other_tasks(tmp_path, args, message):
    result = cli("train-task", *args, "--data", str(tmp_path / "none.tsv"), "--out", str(tmp_path / "m"))
    assert result.returncode == 2 and result.stderr.strip().startswith(message), result.stderr
    assert not (tmp_path / "m").exists()


def test_cli_bad_sampler_value(trained):
    result = cli("generate", str(trained), "hi", "--sampler", "top_p", "--top-p", "0")
    assert result.returncode == 2
    assert "top_p must be in (0, 1], received top_p=0" in result.stderr


def test_cli_train_rejects_non_utf8(tmp_path):
    data = tmp_path / "latin1.txt"
    data.write_bytes("déjà vu ".encode("latin-1") * 100)
    result = cli("train", "--data", str(data), "--out", str(tmp_path / "m"), "--preset", "tiny")
    assert result.returncode == 2
    assert "is not UTF-8" in result.stderr


@pytest.mark.slow
def test_cli_train_encrypted_then_generate(tmp_path):
    data = tmp_path / "toy.txt"
    data.write_text(TOY_TEXT, encoding="utf-8")
    out = tmp_path / "m"
    env = dict(os.environ, PYTHONPATH=REPO, **{PASSPHRASE_ENV: "s3cret passphrase"})
    env.pop(KEY_ENV, None)
    run = lambda *a, e=env: subprocess.run([sys.executable, "-m", "lmdemo", *a], env=e, capture_output=True,  # noqa: E731
                                           text=True, timeout=600, cwd=REPO)
    result = run("train", "--data", str(data), "--out", str(out), "--preset", "tiny", "--context", "16",
                 "--d-model", "16", "--layers", "1", "--steps", "6", "--warmup", "1", "--eval-interval", "3",
                 "--batch-size", "4", "--encrypt")
    assert result.returncode == 0, result.stderr[-1500:]
    assert "Stored **encrypted** at rest" in (out / "README.md").read_text(encoding="utf-8")
    assert not (out / "model.weights.h5").exists()
    assert run("generate", str(out), "First", "--max-new-tokens", "5", "--sampler", "greedy").returncode == 0
    no_key = {k: v for k, v in env.items() if k != PASSPHRASE_ENV}
    result = run("generate", str(out), "First", e=no_key)
    assert result.returncode == 2
    assert f"is encrypted with a passphrase: pass passphrase= or set ${PASSPHRASE_ENV}" in result.stderr


@pytest.mark.slow
def test_cli_ngram_and_recurrent_options(tmp_path):
    data = tmp_path / "toy.txt"
    data.write_text(TOY_TEXT, encoding="utf-8")
    result = cli("train", "--model", "ngram", "--order", "4", "--data", str(data), "--out", str(tmp_path / "ng"))
    assert result.returncode == 0, result.stderr[-2000:]
    result = cli("generate", str(tmp_path / "ng"), "First", "--max-new-tokens", "10", "--sampler", "beam")
    assert result.returncode == 0 and len(result.stdout) == 10 + 1  # the text, then print's newline
    result = cli("score", str(tmp_path / "ng"), "--text", "Speak", "--stride", "2")
    assert result.returncode == 2 and "stride is for models with a context window" in result.stderr
    result = cli("train", "--model", "ngram", "--order", "0", "--data", str(data), "--out", str(tmp_path / "ng0"))
    assert result.returncode == 2 and "order must be an int in [1, 10], received order=0" in result.stderr
    result = cli("train", "--model", "lstm", "--heads", "2", "--data", str(data), "--out", str(tmp_path / "l"))
    assert result.returncode == 2 and "--model lstm has no num_heads" in result.stderr


@pytest.mark.slow
def test_cli_ngram_expert_joins_a_classifier_and_measures_both(tmp_path, trained):
    import keras

    import lmdemo
    from lmdemo.config import ClassifierConfig

    data = tmp_path / "train.tsv"
    data.write_text("sentence\tlabel\n" + "\n".join(KEYWORD_ROWS) + "\n", encoding="utf-8")
    keras.utils.set_random_seed(0)
    tok = lmdemo.BPETokenizer.train([r.split("\t")[0] for r in KEYWORD_ROWS], vocab_size=270)
    lmdemo.SentimentModel.create(tok, ClassifierConfig(max_length=8, num_layers=1, num_heads=2, d_model=16)).save(
        str(tmp_path / "c"), card="# toy\n")
    result = cli("ngram-expert", str(tmp_path / "c"), "--data", str(data), "--val-data", str(data))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "rewrote" in result.stdout and "ngrams_accuracy 1.0000" in result.stdout
    final = json.loads((tmp_path / "c" / "metrics.json").read_text())["final"]
    assert final["ngrams_accuracy"] == 1.0 and final["baseline_accuracy"] == 1.0
    card = (tmp_path / "c" / "README.md").read_text(encoding="utf-8")
    assert "| its n-gram expert alone | 1.0000 |" in card and "python -m lmdemo ngram-expert" in card
    result = cli("ngram-expert", str(trained), "--data", str(data))
    assert result.returncode == 2
    assert "holds a 'transformer' model; an n-gram expert joins a 'classifier'" in result.stderr


WORDS = ["the", "movie", "was", "plot", "quite", "a"]
KEYWORD_ROWS = [f"{' '.join(WORDS[i % 6:] + WORDS[:i % 6])} {'wonderful' if i % 2 else 'awful'}\t{i % 2}"
                for i in range(40)]


def test_half_precision_rewrites_the_weights_and_adds_its_section_once(tmp_path, toy_lm, capsys):
    import numpy as np

    import lmdemo
    from lmdemo.cli import main

    path = str(tmp_path / "m")
    toy_lm.save(path, card="# toy\n\n## Limitations\nnone\n")
    before = toy_lm.log_probs(TOY_TEXT[:200])
    for _ in range(2):  # a second run replaces the section instead of adding one
        assert main(["half-precision", path]) == 0
    card = open(os.path.join(path, "README.md"), encoding="utf-8").read()
    assert card == ("# toy\n\n## Limitations\nnone\n\n## Half precision\n\nStored in half precision after training, "
                    f"with `python -m lmdemo half-precision {path}`: float16 weights, loaded back as float32.\n")
    loaded = lmdemo.load_model(path)
    assert loaded.half_precision and not toy_lm.half_precision
    np.testing.assert_allclose(loaded.log_probs(TOY_TEXT[:200]), before, atol=2e-2)  # float16 rounding of the weights
    counted = str(tmp_path / "ngram")
    lmdemo.NGramLM.train(toy_lm.tokenizer, TOY_TEXT, order=2).save(counted)
    assert main(["half-precision", counted]) == 2
    assert capsys.readouterr().err.strip().endswith("holds a 'ngram' model, which has no weights to convert")


def test_pii_data_writes_a_training_mix_and_a_dev_set(tmp_path, capsys):
    pytest.importorskip("faker")
    from lmdemo.cli import main
    from lmdemo.data.tagged_examples import read_tagged

    out = str(tmp_path / "pii")
    assert main(["pii-data", "--out", out, "--examples", "40", "--dev-examples", "10"]) == 0
    assert capsys.readouterr().out.strip() == f"train: 40 texts, dev: 10 texts written to {out}"
    train, dev = read_tagged(os.path.join(out, "train.jsonl.gz")), read_tagged(os.path.join(out, "dev.jsonl.gz"))
    assert len(train) == 40 and len(dev) == 10
    assert any(kind == "PERSON" for _, spans in train for _, _, kind in spans)


def test_train_task_ner_refuses_a_file_that_is_not_tagged_text(tmp_path, capsys):
    from lmdemo.cli import main

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Ann", "entities": [[0, 9, "PERSON"]]}\n', encoding="utf-8")
    assert main(["train-task", "ner", "--data", str(bad), "--out", str(tmp_path / "m")]) == 2
    assert capsys.readouterr().err.strip() == ("error: bad.jsonl line 1: each entity must be [start, end, type] with "
                                               "0 ≤ start < end ≤ 3 (the text's length), received [0, 9, 'PERSON']")


def test_train_task_poem_then_write_a_poem(tmp_path):
    poems = ("床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。", "白日依山盡，黃河入海流。欲窮千里目，更上一層樓。",
             "千山鳥飛絕，萬徑人蹤滅。孤舟蓑笠翁，獨釣寒江雪。")
    data = tmp_path / "poems.tsv"
    data.write_text("title\tpoem\n" + "".join(f"題{i}\t{p}\n" for i, p in enumerate(poems * 3))
                    + "散句\t只有一行。\n", encoding="utf-8")
    out = tmp_path / "poet"
    result = cli("train", "--task", "poem", "--model", "ngram", "--order", "3", "--data", str(data),
                 "--out", str(out), "--val-fraction", "0.2")
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads((out / "config.json").read_text())["task"] == "poem"
    assert "python -m lmdemo train --task poem" in (out / "README.md").read_text(encoding="utf-8")
    result = cli("poem", "靜夜思", "--model", str(out), "--form", "五言绝句", "--seed", "0", "--script", "simplified")
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0] == "五言絕句《靜夜思》" and len(lines) == 5
    assert [len(line) for line in lines[1:]] == [6, 6, 6, 6] and [line[-1] for line in lines[1:]] == list("，。，。")
    result = cli("poem", "靜夜思", "--model", str(out), "--form", "六言")
    assert result.returncode == 2 and "error: unknown form='六言'" in result.stderr
    result = cli("poem", "靜夜思", "--model", "shakespeare-5gram")
    assert result.returncode == 2 and "trained for task='lm', not task='poem'" in result.stderr
