"""train_task and add_ngram_expert (lmdemo/training/task_training.py): training each task at toy sizes,
resuming, pre-training then fine-tuning, a second stage, and adding an n-gram expert to a classifier."""

import json
import os

import numpy as np
import pytest

import lmdemo
from lmdemo.training.task_training import _from_pretrained, add_ngram_expert, train_task
from lmdemo.training.trainer import TrainConfig
from tests.lmdemo.conftest import NGRAM_TEXTS, PAIRS, write_file


@pytest.mark.slow
@pytest.mark.parametrize("tokenizer, pooling", [("bpe", "mean"), ("word", "max")])
def test_sentiment_training_learns_a_keyword_task(tmp_path, tokenizer, pooling):
    rng = np.random.default_rng(0)
    fillers = ["the", "movie", "was", "plot", "actors", "quite", "and", "a", "story", "it"]

    def rows(n):
        out = []
        for _ in range(n):
            label = int(rng.integers(2))
            words = list(rng.choice(fillers, size=5)) + ["wonderful" if label else "awful"]
            rng.shuffle(words)
            out.append(f"{' '.join(words)}\t{label}")
        return "sentence\tlabel\n" + "\n".join(out) + "\n"

    train, dev = write_file(tmp_path / "train.tsv", rows(400)), write_file(tmp_path / "dev.tsv", rows(60))
    model = train_task("sentiment", train, str(tmp_path / "m"), val_data=dev, progress=False, bpe_vocab_size=300,
                       train_config=TrainConfig(steps=120, batch_size=16, warmup_steps=10, eval_interval=60,
                                                learning_rate=3e-3),
                       model_overrides=dict(num_layers=1, d_model=32, num_heads=2, max_length=16, pooling=pooling),
                       tokenizer=tokenizer, ngram_expert=tokenizer == "word", command="train it")
    assert model.tokenizer.type_name == tokenizer and model.config.pooling == pooling
    metrics = json.load(open(tmp_path / "m" / "metrics.json"))
    assert metrics["final"]["accuracy"] == 1.0 and metrics["final"]["baseline_accuracy"] == 1.0
    assert (model.ngram_expert is not None) == (tokenizer == "word") == ("ngrams_accuracy" in metrics["final"])
    assert model.classify(["the movie was wonderful"])[0]["label"] == "positive"
    if tokenizer == "word":  # lower-cased and split before the lookup
        assert model.classify(["The movie was WONDERFUL!"])[0]["label"] == "positive"
    card = open(tmp_path / "m" / "README.md").read()
    assert ("word tokenizer (" if tokenizer == "word" else "byte-level BPE tokenizer") in card
    assert "| this model | 1.0000 |" in card


@pytest.mark.slow
def test_translation_training_smoke_and_resume(tmp_path):
    text = "english\tspanish\n" + "\n".join(f"{a}\t{b}" for a, b in PAIRS) + "\n"
    data = write_file(tmp_path / "pairs.tsv", text)
    cfg = TrainConfig(steps=20, batch_size=8, warmup_steps=2, eval_interval=10)
    overrides = dict(encoder_layers=1, decoder_layers=1, d_model=32, num_heads=2, max_source_length=16,
                     max_target_length=16)
    kwargs = dict(val_data=data, progress=False, bpe_vocab_size=300, model_overrides=overrides, final_beams=2)
    train_task("translation", data, str(tmp_path / "t"), train_config=cfg, pause_after=10, **kwargs)
    assert not os.path.exists(tmp_path / "t" / "metrics.json") or "final" not in json.load(open(tmp_path / "t" / "metrics.json"))
    model = train_task("translation", data, str(tmp_path / "t"), train_config=cfg, **kwargs)
    metrics = json.load(open(tmp_path / "t" / "metrics.json"))
    assert metrics["step"] == 20 and [r["step"] for r in metrics["history"]] == [10, 20]
    assert metrics["history"][-1]["val_loss"] < metrics["history"][0]["val_loss"] + 1.0
    assert set(metrics["final"]) == {"sources", "references", "greedy", "beam2"} and metrics["final"]["sources"] == 5
    assert isinstance(model.generate(["good night"])[0]["text"], str)


def test_add_ngram_expert_rewrites_card_and_metrics_and_refuses_bad_input(expert_classifier, tmp_path):
    rows = [f"{t}\t{y}" for t, y in zip(NGRAM_TEXTS, [0, 1, 1, 0, 1, 0])]
    data = write_file(tmp_path / "train.tsv", "sentence\tlabel\n" + "\n".join(rows) + "\n")
    expert_classifier.ngram_expert = None
    expert_classifier.save(str(tmp_path / "c"), card="# toy\n")
    for _ in range(2):  # a second run replaces the card's section instead of adding one
        model = add_ngram_expert(str(tmp_path / "c"), data, val_data=data, command="add it")
    final = json.load(open(tmp_path / "c" / "metrics.json"))["final"]
    assert final["ngrams_accuracy"] == 1.0 and set(final) >= {"accuracy", "transformer_accuracy", "baseline"}
    card = open(tmp_path / "c" / "README.md", encoding="utf-8").read()
    assert card.count("## The n-gram expert") == 1 and "add it" in card and card.startswith("# toy")
    assert model.ngram_expert is not None and lmdemo.load_model(str(tmp_path / "c")).ngram_expert is not None
    add_ngram_expert(str(tmp_path / "c"), data)  # unmeasured: the old scores are not left as this model's
    metrics = json.load(open(tmp_path / "c" / "metrics.json"))
    assert "final" not in metrics and metrics["final_before_ngram_expert"] == final
    assert "Not measured with this expert" in open(tmp_path / "c" / "README.md", encoding="utf-8").read()
    nolabel = write_file(tmp_path / "nolabel.tsv", "sentence\tscore\ngood\t1\n")
    with pytest.raises(ValueError, match="has no column output_column='label'"):
        add_ngram_expert(str(tmp_path / "c"), nolabel)
    with pytest.raises(ValueError, match="C must be a positive number, received C=0"):
        add_ngram_expert(str(tmp_path / "c"), data, C=0)


@pytest.mark.slow
def test_pretrain_then_finetune_copies_the_encoder(tmp_path):
    texts = write_file(tmp_path / "texts.txt", "\n".join(["the movie was wonderful", "an awful plot", "good night"] * 30))
    cfg = TrainConfig(steps=6, batch_size=8, warmup_steps=1, eval_interval=6)
    pre = train_task("masked-lm", texts, str(tmp_path / "mlm"), val_data=texts, train_config=cfg, progress=False,
                     bpe_vocab_size=300, model_overrides=dict(num_layers=1, d_model=16, num_heads=2, max_length=16))
    assert lmdemo.load_model(str(tmp_path / "mlm")).kind == "masked-lm"
    # a second pre-training stage continues it; pausing and resuming that stage lists stage 1 once
    more = dict(val_data=texts, progress=False, init_from=str(tmp_path / "mlm"), command="stage two")
    train_task("masked-lm", texts, str(tmp_path / "mlm2"), train_config=cfg, pause_after=3, **more)
    second = train_task("masked-lm", texts, str(tmp_path / "mlm2"), train_config=cfg, **more)
    metrics = json.load(open(tmp_path / "mlm2" / "metrics.json"))
    assert metrics["step"] == 6 and len(metrics["earlier_stages"]) == 1 and metrics["command"] == "stage two"
    assert second.tokenizer.tokenizer_json == pre.tokenizer.tokenizer_json
    assert "Stage 1 (6 steps, " in open(tmp_path / "mlm2" / "README.md").read()
    rows = "sentence\tlabel\n" + "\n".join(["the movie was wonderful\t1", "an awful plot\t0"] * 10) + "\n"
    data = write_file(tmp_path / "sst.tsv", rows)
    fresh, stages = _from_pretrained(str(tmp_path / "mlm"), "sentiment", {"dropout": 0.2}, seed=0)
    assert stages == []
    for a, b in zip(fresh.network.encoder.get_weights(), pre.network.encoder.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert fresh.config.dropout == 0.2 and fresh.tokenizer.tokenizer_json == pre.tokenizer.tokenizer_json
    with pytest.raises(ValueError, match="fixes d_model; leave them out"):
        _from_pretrained(str(tmp_path / "mlm"), "sentiment", {"d_model": 32}, seed=0)
    model = train_task("sentiment", data, str(tmp_path / "s"), val_data=data, train_config=cfg, progress=False,
                       init_from=str(tmp_path / "mlm"))
    assert "started from the pre-trained encoder of" in open(tmp_path / "s" / "README.md").read()
    assert model.classify(["good night"])[0]["label"] in ("negative", "positive")
    refused = r"tokenizer must be 'bpe' \(or 'word' for sentiment and masked-lm\), received tokenizer='word'"
    with pytest.raises(ValueError, match=refused):
        train_task("translation", data, str(tmp_path / "x"), tokenizer="word")
    with pytest.raises(ValueError, match="is a 'masked-lm' model; translation continues from an 'encoder-decoder'"):
        train_task("translation", data, str(tmp_path / "x"), init_from=str(tmp_path / "mlm"))


@pytest.mark.slow
def test_second_stage_continues_from_a_checkpoint_and_adds_copy_attention(tmp_path):
    text = "english\tspanish\n" + "\n".join(f"{a}\t{b}" for a, b in PAIRS) + "\n"
    data = write_file(tmp_path / "pairs.tsv", text)
    cfg = TrainConfig(steps=4, batch_size=8, warmup_steps=1, eval_interval=4)
    overrides = dict(encoder_layers=1, decoder_layers=1, d_model=32, num_heads=2, max_source_length=16,
                     max_target_length=16)
    first = train_task("translation", data, str(tmp_path / "a"), train_config=cfg, progress=False, bpe_vocab_size=300,
                       model_overrides=overrides, command="stage one")
    model, stages = _from_pretrained(str(tmp_path / "a"), "translation", {"copy_attention": True}, seed=0)
    assert stages == [{"command": "stage one", "step": 4, "train_seconds": stages[0]["train_seconds"]}]
    old = {v.path.split("/", 1)[1]: v.numpy() for v in first.network.trainable_variables}
    new = {v.path.split("/", 1)[1]: v.numpy() for v in model.network.trainable_variables}
    assert sorted(set(new) - set(old)) == ["copy_gate/bias", "copy_gate/kernel", "copy_key/kernel", "copy_query/kernel"]
    for name, value in old.items():
        np.testing.assert_array_equal(new[name], value)
    with pytest.raises(ValueError, match="fixes d_model; leave them out"):
        _from_pretrained(str(tmp_path / "a"), "translation", {"d_model": 64}, seed=0)
    second = train_task("translation", data, str(tmp_path / "b"), train_config=cfg, progress=False, val_data=data,
                        init_from=str(tmp_path / "a"), model_overrides={"copy_attention": True}, command="stage two",
                        final_beams=2)
    assert second.config.copy_attention and isinstance(second.generate(["good night"])[0]["text"], str)
    card = open(tmp_path / "b" / "README.md").read()
    assert "Stage 1 (4 steps, " in card and "stage one" in card and "Stage 2, this run:" in card
    assert "(this stage; all 2 stages: 8 steps in " in card and "pointer-generator" in card
    metrics = json.load(open(tmp_path / "b" / "metrics.json"))
    assert [s["command"] for s in metrics["earlier_stages"]] == ["stage one"] and metrics["command"] == "stage two"
    assert set(metrics["final"]) == {"sources", "references", "greedy", "beam2"}
    assert f"| greedy | {metrics['final']['greedy']['bleu']:.2f} |" in card
