"""BLEU, ROUGE and sentiment accuracy against their reference scorers and hand-computed values."""

import math
import os
import re

import numpy as np
import pytest
import sacrebleu
from rouge_score import rouge_scorer

import evals
from evals.load import METRICS_DIR, available_metrics
from evals.scoring.bleu import corpus_bleu, make_bleu, reference_streams, score_from_statistics, sentence_statistics
from evals.scoring.bootstrap import bootstrap_ci, resampled_sums
from evals.scoring.classification import classification_scores
from evals.scoring.rouge import CJKTokenizer, CharTokenizer, rouge

# sacrebleu's README example: two reference streams for three sentences
README_SYS = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."]
README_REFS = [["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
               ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."]]
README_PER_PREDICTION = [list(refs) for refs in zip(*README_REFS)]


@pytest.fixture(scope="module")
def metrics():
    return {name: evals.load_metric(name, keep_in_memory=True) for name in ("bleu", "rouge", "sentiment_accuracy")}


# -- BLEU ---------------------------------------------------------------------------------------------
def test_bleu_sacrebleu_readme_example():
    result = corpus_bleu(README_SYS, README_PER_PREDICTION)
    direct = sacrebleu.corpus_bleu(README_SYS, README_REFS)
    assert result["score"] == direct.score
    assert result["score"] == pytest.approx(48.530827009929865, abs=1e-12)
    assert result["counts"] == [14, 7, 5, 3] and result["totals"] == [17, 14, 11, 8]
    assert (result["sys_len"], result["ref_len"]) == (17, 18)
    assert result["signature"] == "nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:" + sacrebleu.__version__


BLEU_CASES = {
    "perfect": (["the cat sat on the mat"], [["the cat sat on the mat"]], {}),
    "empty hypothesis": (["", "the cat sat on the mat"], [["a b c"], ["the cat sat on a mat"]], {}),
    "all empty": ([""], [["a b c"]], {}),
    "string references": (["a cat sat there", "hello world"], ["the cat sat there", "hello world !"], {}),
    "ragged references": (README_SYS, [["The dog bit the man."], README_PER_PREDICTION[1], ["The man bit him."]], {}),
    "unicode": (["Über café—naïve «test»!", "Ça va très bien."],
                [["Über café — naïve « test » !"], ["Ça va bien."]], {"tokenize": "intl"}),
    "zh": (["我喜欢吃苹果。", "今天天气很好"],
           [["我很喜欢吃苹果。"], ["今天天气非常好", "今天的天气很好"]], {"tokenize": "zh"}),
    "lowercase": (["THE Cat sat"], [["the cat sat"]], {"lowercase": True}),
    "floor smoothing": (["the cat", "a dog barks"], [["the cat sat"], ["a dog barked"]],
                        {"smooth_method": "floor", "smooth_value": 0.2}),
    "add-k smoothing": (["the cat", "a dog barks"], [["the cat sat"], ["a dog barked"]], {"smooth_method": "add-k"}),
}


@pytest.mark.parametrize("name", list(BLEU_CASES))
def test_bleu_equals_sacrebleu(name):
    predictions, references, options = BLEU_CASES[name]
    ours = corpus_bleu(predictions, references, **options)
    bleu = sacrebleu.BLEU(**options)
    direct = bleu.corpus_score(predictions, reference_streams(references, len(predictions)))
    assert ours["score"] == direct.score
    assert ours["counts"] == list(direct.counts) and ours["totals"] == list(direct.totals)
    assert (ours["bp"], ours["sys_len"], ours["ref_len"]) == (direct.bp, direct.sys_len, direct.ref_len)
    assert ours["signature"] == str(bleu.get_signature())


def test_bleu_ragged_references_pad_with_none():
    streams = reference_streams([["a", "b"], "c"], 2)
    assert streams == [["a", "c"], ["b", None]]
    assert corpus_bleu(["a x", "c"], [["a", "b"], "c"])["signature"].startswith("nrefs:var|")


def test_bleu_chinese_needs_zh_tokenizer():
    predictions, references = ["我喜欢吃苹果。"], [["我很喜欢吃苹果。"]]
    assert corpus_bleu(predictions, references)["score"] == 0.0  # 13a: the sentence is one "word"
    zh = corpus_bleu(predictions, references, tokenize="zh")
    assert zh["score"] == sacrebleu.corpus_bleu(predictions, [["我很喜欢吃苹果。"]], tokenize="zh").score > 50
    assert "tok:zh" in zh["signature"]


def test_bleu_resampled_statistics_equal_sacrebleu_on_resampled_corpus():
    predictions = README_SYS * 3 + ["", "The man bit the dog."]
    references = README_PER_PREDICTION * 3 + [["A b c."], ["The dog bit the man.", "A man bit a dog."]]
    bleu = make_bleu()
    stats = sentence_statistics(bleu, predictions, references)
    for idx in np.random.default_rng(1).integers(0, len(predictions), size=(5, len(predictions))):
        direct = sacrebleu.corpus_bleu([predictions[i] for i in idx],
                                       reference_streams([references[i] for i in idx], len(idx)))
        assert score_from_statistics(bleu, stats[idx].sum(axis=0)) == pytest.approx(direct.score, abs=1e-9)


def test_bleu_confidence_interval_is_seeded():
    predictions = README_SYS * 4
    references = README_PER_PREDICTION * 4
    a = corpus_bleu(predictions, references, confidence_interval=True, n_resamples=200, seed=3)
    b = corpus_bleu(predictions, references, confidence_interval=True, n_resamples=200, seed=3)
    assert a == b
    assert a["score_ci_low"] < a["score"] < a["score_ci_high"]


@pytest.mark.parametrize("call, message", [
    (lambda: corpus_bleu(["a", "b"], [["a"]]), "len(predictions)=2, len(references)=1"),
    (lambda: corpus_bleu(["a"], [["a"]], tokenize="13b"), "tokenize='13b'"),
    (lambda: corpus_bleu(["a"], [[]]), "references[0]"),
    (lambda: corpus_bleu([], []), "predictions is empty"),
    (lambda: corpus_bleu(["a", 3], ["a", "b"]), "predictions[1]"),
    (lambda: corpus_bleu(["a"], [["a"]], confidence_interval=True, confidence=95), "confidence=95"),
])
def test_bleu_errors_name_the_argument(call, message):
    with pytest.raises((ValueError, TypeError), match=re.escape(message)):
        call()


# -- ROUGE --------------------------------------------------------------------------------------------
# rouge_score's rouge_scorer_test.py: (reference, prediction, type, expected F-measure)
ROUGE_KNOWN = [
    ("testing one two", "testing", "rouge1", 1 / 2),
    ("testing one two", "testing one", "rouge2", 2 / 3),
    ("testing one two", "testing one", "rougeL", 4 / 5),
    ("testing one two", "testing two", "rougeL", 4 / 5),
    ("testing one two", "", "rouge1", 0.0),
    ("testing one two", "", "rougeLsum", 0.0),
    ("First sentence.\nSecond Sentence.", "Second sentence.\nFirst Sentence.", "rougeLsum", 1.0),
    ("First sentence. Second Sentence.", "Second sentence. First Sentence.", "rougeLsum", 0.5),
]


@pytest.mark.parametrize("reference, prediction, rouge_type, expected", ROUGE_KNOWN)
def test_rouge_known_values(reference, prediction, rouge_type, expected):
    assert rouge([prediction], [reference], use_stemmer=True)[rouge_type] == pytest.approx(expected, abs=1e-12)


ROUGE_PAIRS = [
    ("The quick brown fox jumps over the lazy dog.", "A quick brown dog jumps over the lazy fox."),
    ("Running runners ran; the cats were running.", "The cat runs and the runner ran."),
    ("One sentence.\nTwo sentences here.\nThree.", "Two sentences.\nOne here."),
    ("", "nothing matches"),
]


@pytest.mark.parametrize("use_stemmer", [False, True])
def test_rouge_equals_rouge_score_mean(use_stemmer):
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    scorer = rouge_scorer.RougeScorer(types, use_stemmer=use_stemmer)
    refs, preds = zip(*ROUGE_PAIRS)
    ours = rouge(list(preds), list(refs), use_stemmer=use_stemmer, per_example=True)
    for t in types:
        direct = [scorer.score(r, p)[t].fmeasure for r, p in ROUGE_PAIRS]
        assert ours[f"{t}_per_example"] == direct
        assert ours[t] == pytest.approx(sum(direct) / len(direct), abs=1e-15)


def test_rouge_multiple_references_take_the_best():
    refs = ["the cat sat on the mat", "a dog ran in the park"]
    ours = rouge(["the dog ran in a park"], [refs])
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"])
    direct = scorer.score_multi(refs, "the dog ran in a park")
    assert {t: ours[t] for t in direct} == {t: s.fmeasure for t, s in direct.items()}


def test_rouge_cjk_tokenizer_scores_chinese():
    prediction, reference = "猫坐在垫子上", "猫坐在垫子上了"
    assert rouge([prediction], [reference])["rouge1"] == 0.0  # rouge_score's tokenizer drops Chinese
    cjk = rouge([prediction], [reference], tokenizer="cjk")
    assert cjk["rouge1"] == pytest.approx(12 / 13)  # P = 6/6, R = 6/7
    assert cjk["rouge2"] == pytest.approx(2 * 5 / 11)  # P = 5/5, R = 5/6
    assert rouge(["Привет мир"], ["привет всем"], tokenizer="cjk")["rouge1"] == pytest.approx(0.5)


def test_cjk_and_char_tokenizers():
    assert CJKTokenizer().tokenize("我爱 NLP, café 2024年!") == ["我", "爱", "nlp", "café", "2024", "年"]
    assert CJKTokenizer(use_stemmer=True).tokenize("running 跑步 cats") == ["run", "跑", "步", "cat"]
    assert CJKTokenizer().tokenize("the_cat") == ["the", "cat"]
    assert CharTokenizer().tokenize("Héllo, 世界") == ["h", "é", "l", "l", "o", "世", "界"]
    text = "The quick brown fox, 42 times!"  # on ASCII the CJK tokenizer equals rouge_score's
    assert CJKTokenizer().tokenize(text) == rouge_scorer.tokenizers.DefaultTokenizer().tokenize(text)


def test_rouge_confidence_interval():
    refs, preds = zip(*ROUGE_PAIRS)
    r = rouge(list(preds), list(refs), confidence_interval=True, n_resamples=300, seed=0)
    for t in ("rouge1", "rouge2", "rougeL", "rougeLsum"):
        assert r[f"{t}_ci_low"] <= r[t] <= r[f"{t}_ci_high"]


@pytest.mark.parametrize("kwargs, message", [
    ({"rouge_types": ["rougeX"]}, "'rougeX'"),
    ({"tokenizer": "klingon"}, "tokenizer='klingon'"),
])
def test_rouge_errors_name_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        rouge(["a"], ["a"], **kwargs)


# -- sentiment accuracy -------------------------------------------------------------------------------
def test_classification_hand_computed():
    r = classification_scores([1, 0, 1, 1, 0, 0, 1, 0], [1, 0, 0, 1, 1, 0, 1, 1])
    # confusion (rows true 0/1): [[2, 1], [2, 3]]
    assert r["confusion_matrix"] == [[2, 1], [2, 3]] and r["labels"] == [0, 1]
    assert r["accuracy"] == 5 / 8
    assert r["per_class"][0] == pytest.approx({"precision": 2 / 4, "recall": 2 / 3, "f1": 4 / 7, "support": 3})
    assert r["per_class"][1] == pytest.approx({"precision": 3 / 4, "recall": 3 / 5, "f1": 2 / 3, "support": 5})
    assert r["macro_f1"] == pytest.approx((4 / 7 + 2 / 3) / 2)


def test_classification_label_map_and_unseen_classes():
    label_map = {"negative": 0, "neutral": 1, "positive": 2}
    r = classification_scores(["positive", 0, "positive"], [2, "negative", "negative"], label_map=label_map)
    assert r["labels"] == ["negative", "neutral", "positive"]
    assert r["confusion_matrix"] == [[1, 0, 1], [0, 0, 0], [0, 0, 1]]
    assert r["per_class"]["neutral"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert r["macro_f1"] == pytest.approx((2 / 3 + 2 / 3) / 2)  # neutral occurs nowhere: not averaged


def test_classification_matches_sklearn_when_installed():
    metrics_module = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    preds, refs = rng.integers(0, 3, 50).tolist(), rng.integers(0, 3, 50).tolist()
    r = classification_scores(preds, refs)
    assert r["accuracy"] == pytest.approx(metrics_module.accuracy_score(refs, preds))
    assert r["macro_f1"] == pytest.approx(metrics_module.f1_score(refs, preds, average="macro"))
    assert r["confusion_matrix"] == metrics_module.confusion_matrix(refs, preds).tolist()


@pytest.mark.parametrize("predictions, references, kwargs, message", [
    ([1, 0], [1, None], {}, "references[1] is missing"),
    ([1, float("nan"), 0], [1, 0, 0], {}, "predictions[1] is missing"),
    ([1, 0, 1], [1, 0], {}, "len(predictions)=3, len(references)=2"),
    ([1, "positive"], [1, 0], {}, "mix ints and strings"),
    (["good"], ["positive"], {"label_map": {"negative": 0, "positive": 1}}, "predictions[0]='good'"),
    ([True], [1], {}, "predictions[0]"),
])
def test_classification_errors(predictions, references, kwargs, message):
    with pytest.raises((ValueError, TypeError), match=re.escape(message)):
        classification_scores(predictions, references, **kwargs)


def test_classification_confidence_interval():
    r = classification_scores([1, 0, 1, 1, 0, 0, 1, 0] * 3, [1, 0, 0, 1, 1, 0, 1, 1] * 3,
                              confidence_interval=True, n_resamples=300)
    assert r["accuracy_ci_low"] <= r["accuracy"] <= r["accuracy_ci_high"]
    assert r["macro_f1_ci_low"] <= r["macro_f1"] <= r["macro_f1_ci_high"]


# -- bootstrap ----------------------------------------------------------------------------------------
def test_resampled_sums_equal_explicit_resamples():
    stats = np.arange(12.0).reshape(6, 2)
    idx = np.random.default_rng(7).integers(0, 6, size=(50, 6))
    np.testing.assert_allclose(resampled_sums(stats, 50, seed=7), stats[idx].sum(axis=1))


def test_bootstrap_ci_percentiles():
    stats = np.array([[1.0]] * 30 + [[0.0]] * 10)
    ci = bootstrap_ci(stats, lambda s: {"mean": s[0] / 40}, n_resamples=1000, seed=0)
    low, high = ci["mean"]
    assert 0.6 < low < 0.75 < high < 0.9  # binomial sd ≈ 0.068 around 0.75
    assert bootstrap_ci(stats, lambda s: {"mean": s[0] / 40}, seed=0) == ci
    with pytest.raises(ValueError, match="n_resamples=0"):
        bootstrap_ci(stats, lambda s: {}, n_resamples=0)


# -- loading through evaluate -------------------------------------------------------------------------
def test_load_metric_by_name_and_by_path(metrics):
    import evaluate

    assert available_metrics() == ["bleu", "perplexity", "poem_form", "rouge", "sentiment_accuracy"]
    by_path = evaluate.load(os.path.join(METRICS_DIR, "bleu"), keep_in_memory=True)
    for module in (by_path, metrics["bleu"]):
        result = module.compute(predictions=README_SYS, references=README_PER_PREDICTION)
        assert result["score"] == sacrebleu.corpus_bleu(README_SYS, README_REFS).score
    predictions, references = ["我喜欢吃苹果。"], ["我很喜欢吃苹果。"]
    zh = metrics["bleu"].compute(predictions=predictions, references=references, tokenize="zh")
    assert zh["score"] == corpus_bleu(predictions, references, tokenize="zh")["score"]
    with pytest.raises(ValueError, match="unknown metric name='blue'; known metrics: bleu, perplexity"):
        evals.load_metric("blue")


def test_rouge_and_sentiment_through_evaluate(metrics):
    r = metrics["rouge"].compute(predictions=["猫坐在垫子上", "testing one"],
                                 references=[["猫坐在垫子上了"], ["testing one two"]], tokenizer="cjk")
    assert r["rouge1"] == pytest.approx((12 / 13 + 4 / 5) / 2)
    s = metrics["sentiment_accuracy"].compute(predictions=["positive", "negative", "positive", "positive"],
                                              references=[1, 0, 0, 1], label_map={"negative": 0, "positive": 1})
    assert s["accuracy"] == 0.75 and s["confusion_matrix"] == [[1, 1], [0, 2]]
    with pytest.raises(ValueError, match=re.escape("references[1] is missing")):
        metrics["sentiment_accuracy"].compute(predictions=[1, 0, 1], references=[1, float("nan"), 0])


@pytest.mark.parametrize("name", ["bleu", "rouge", "perplexity", "sentiment_accuracy", "poem_form"])
def test_metric_cards_have_sections_and_runnable_examples(name, capsys):
    with open(os.path.join(METRICS_DIR, name, "README.md"), encoding="utf-8") as f:
        card = f.read()
    for section in ("## Metric Description", "### Inputs", "### Output Values", "### Examples",
                    "## Limitations and Bias", "## Citation"):
        assert section in card, f"{name} card lacks {section}"
    examples = card.split("### Examples", 1)[1].split("## Limitations", 1)[0]
    code = re.findall(r"```python\n(.*?)```", examples, flags=re.S)
    assert code, f"{name} card has no python example"
    for block in code:
        exec(compile(block, f"{name}/README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed and not math.isnan(float(printed.split()[0]))


def test_the_training_cards_scores_equal_the_harness_metrics():
    # lmdemo scores a trained model's card with sacrebleu and rouge_score directly (it never imports evals);
    # the harness's bleu and rouge wrap the same functions, so the card and a report give the same numbers
    from evals.scoring.bleu import corpus_bleu
    from evals.scoring.rouge import rouge
    from lmdemo.training.task_scores import reference_scores

    hyps = ["the cat sat on the mat", "a dog ran in the park today", "hello there"]
    refs = [["the cat sat on a mat", "a cat sat on the mat"], ["the dog ran in a park"], ["hello"]]
    assert reference_scores("translation", hyps, refs)["bleu"] == corpus_bleu(hyps, refs)["score"]
    summaries = ["Anna is coming to the party and brings cakes.", "Tom will call Ben tomorrow."]
    gold = ["Anna brings the cake to the party.", "Tom is calling Ben."]
    ours = reference_scores("summarization", summaries, gold)
    theirs = rouge(summaries, gold, rouge_types=["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    assert ours == {k: 100 * float(theirs[k]) for k in ("rouge1", "rouge2", "rougeL")}
    with pytest.raises(ValueError, match="task must be 'translation' or 'summarization', received task='lm'"):
        reference_scores("lm", hyps, refs)
