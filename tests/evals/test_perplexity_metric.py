"""Perplexity in every unit on fake models with hand-set probabilities, and on a tiny real TransformerLM."""

import math
import os
import re

import numpy as np
import pytest

import evals
from evals.load import METRICS_DIR
from evals.scoring.perplexity import count_units, perplexity

LN2 = math.log(2.0)


class FakeTokenizer:
    """One token per character."""

    start_text = ""

    def encode(self, text):
        return [ord(c) for c in text]


class TableLM:
    """A fake language model: each character is a token whose probability comes from ``table``.

    Characters missing from the table get ``default``. Exposes what metrics use of an lmdemo
    model (``log_probs``, ``tokenizer``, ``max_length``) and records the strides it was given.
    """

    def __init__(self, table=None, default=0.25, max_length=8):
        self.table = table or {}
        self.default = default
        self.max_length = max_length
        self.tokenizer = FakeTokenizer()
        self.strides = []

    def log_probs(self, text, stride=None):
        self.strides.append(stride)
        return np.log([self.table.get(c, self.default) for c in text])


def test_uniform_over_four_tokens_has_perplexity_four():
    r = perplexity(["abcd efgh", "ij"], TableLM(default=0.25))
    tokens, chars, n_bytes, words = 11, 11, 11, 3
    nll = tokens * math.log(4)
    assert r["perplexity_per_token"] == pytest.approx(4.0, rel=1e-12)
    assert r["bits_per_token"] == pytest.approx(2.0, rel=1e-12)
    assert r["bits_per_char"] == pytest.approx(nll / chars / LN2)
    assert r["bits_per_byte"] == pytest.approx(nll / n_bytes / LN2)
    assert r["byte_perplexity"] == pytest.approx(4.0)
    assert r["word_perplexity"] == pytest.approx(math.exp(nll / words))  # 4 ** (11 / 3)
    assert (r["num_tokens"], r["num_chars"], r["num_bytes"], r["num_words"]) == (tokens, chars, n_bytes, words)
    assert r["log_likelihood_nats"] == pytest.approx(-nll)


def test_fixed_table_hand_computed():
    lm = TableLM({"a": 0.5, "b": 0.25, "é": 0.125})
    r = perplexity(["ab", "é b"], lm)  # "é b": é, space (default 1/4), b
    ll_a = math.log(0.5) + math.log(0.25)
    ll_b = math.log(0.125) + math.log(0.25) + math.log(0.25)
    total = ll_a + ll_b
    assert r["perplexity_per_token"] == pytest.approx(math.exp(-total / 5))
    assert r["bits_per_char"] == pytest.approx(-total / 5 / LN2)
    assert r["bits_per_byte"] == pytest.approx(-total / 6 / LN2)  # é is 2 UTF-8 bytes
    assert r["word_perplexity"] == pytest.approx(math.exp(-total / 3))  # "ab" | "é", "b"
    assert r["byte_perplexity"] == pytest.approx(math.exp(-total / 6))
    first, second = r["per_text"]
    assert first["perplexity_per_token"] == pytest.approx(math.exp(-ll_a / 2))  # = sqrt(8)
    assert second["bits_per_byte"] == pytest.approx(-ll_b / 4 / LN2)
    # the corpus figure pools totals: not the mean of the per-text perplexities
    mean_of_texts = (first["perplexity_per_token"] + second["perplexity_per_token"]) / 2
    assert r["perplexity_per_token"] != pytest.approx(mean_of_texts)


@pytest.mark.parametrize("text, units", [
    ("hello world", (11, 11, 2)),
    ("  leading space", (15, 15, 3)),  # re.split gives an empty first "word", as in lm-evaluation-harness
    ("héllo\nwörld", (11, 13, 2)),
    ("猫坐在垫子上", (6, 18, 1)),
])
def test_count_units_like_the_harness(text, units):
    assert count_units(text) == units


def test_stride_is_passed_to_the_model_and_bootstrap_is_seeded():
    lm = TableLM({"a": 0.5})
    texts = ["aaaa", "abab", "bbbb", "ab ba"]
    r = perplexity(texts, lm, stride=3, per_text=False, confidence_interval=True, n_resamples=200, seed=1)
    assert lm.strides == [3, 3, 3, 3]
    assert "per_text" not in r
    for key in ("perplexity_per_token", "bits_per_char", "bits_per_byte", "word_perplexity", "byte_perplexity"):
        assert r[f"{key}_ci_low"] <= r[key] <= r[f"{key}_ci_high"]
    assert r == perplexity(texts, TableLM({"a": 0.5}), stride=3, per_text=False, confidence_interval=True,
                           n_resamples=200, seed=1)


@pytest.mark.parametrize("predictions, model, message", [
    (["ok", ""], TableLM(), "predictions[1] is empty"),
    (["ok", 5], TableLM(), "predictions[1] must be a string"),
    ([], TableLM(), "predictions is empty"),
    (["ok"], 42, "received int: 42"),
    (["ok"], "no-such-model", "unknown model 'no-such-model'"),
])
def test_perplexity_errors(predictions, model, message):
    with pytest.raises((ValueError, TypeError), match=re.escape(message)):
        perplexity(predictions, model)


def test_perplexity_through_evaluate_with_a_fake_model():
    import evaluate

    module = evaluate.load(os.path.join(METRICS_DIR, "perplexity"), keep_in_memory=True)
    r = module.compute(predictions=["abcd", "ef gh"], model=TableLM(default=0.25))
    assert r["perplexity_per_token"] == pytest.approx(4.0)
    assert r["word_perplexity"] == pytest.approx(4.0 ** (9 / 3))
    with pytest.raises(ValueError, match="model is required"):
        module.compute(predictions=["abcd"])


@pytest.fixture(scope="module")
def tiny_lm():
    import keras

    import lmdemo

    keras.utils.set_random_seed(0)
    tokenizer = lmdemo.CharTokenizer.train("some text\nto score, with a few more characters.\n")
    config = lmdemo.TransformerConfig(max_length=16, num_layers=1, num_heads=2, d_model=16)
    return lmdemo.TransformerLM.create(tokenizer, config)


@pytest.mark.parametrize("stride", [None, 5])
def test_tiny_transformer_corpus_figure_pools_log_probs(tiny_lm, stride):
    texts = ["some text to score, with a few more characters than the window", "to score"]
    log_probs = [tiny_lm.log_probs(t, stride=stride) for t in texts]
    total, n = sum(lp.sum() for lp in log_probs), sum(lp.size for lp in log_probs)
    r = evals.load_metric("perplexity", keep_in_memory=True).compute(predictions=texts, model=tiny_lm, stride=stride)
    assert r["num_tokens"] == n
    assert r["perplexity_per_token"] == pytest.approx(math.exp(-total / n), rel=1e-12)
    assert r["bits_per_char"] == pytest.approx(-total / sum(map(len, texts)) / LN2, rel=1e-12)
    assert r["per_text"][1]["perplexity_per_token"] == pytest.approx(math.exp(-log_probs[1].mean()), rel=1e-12)
