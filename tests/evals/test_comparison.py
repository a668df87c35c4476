"""Paired comparisons of runs on the same data: in a suite's reports, and between any two records."""

import json

import pytest

from evals import comparison, harness

WORDS = "the quick brown fox jumps over a lazy dog while seven small birds sing in tall green trees".split()


def _translation_data(tmp_path, n=40):
    """Sources, references, a good prediction (the reference, two words changed in one row in four) and a
    bad one (the reference's words reversed)."""
    rows = []
    for i in range(n):
        ref = " ".join(WORDS[(i + j) % len(WORDS)] for j in range(8))
        good = ref if i % 4 else ref.replace(WORDS[i % len(WORDS)], "cat", 1)
        bad = " ".join(reversed(ref.split()))
        rows.append({"source": f"source sentence {i}", "reference": ref, "good": good, "bad": bad})
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _suite(tmp_path, runs):
    path = tmp_path / "suite.yaml"
    path.write_text(json.dumps({"name": "cmp", "runs": runs}), encoding="utf-8")
    return str(path)


def _translation_run(name, data, column, **extra):
    return {"name": name, "task": "translation", "dataset": data, "predictions_column": column,
            "metrics": ["bleu", "rouge"], "privacy_operator": "placeholder", **extra}


def test_suite_reports_pair_runs_on_the_same_data(tmp_path):
    data = _translation_data(tmp_path)
    suite = _suite(tmp_path, [_translation_run("good", data, "good"), _translation_run("bad", data, "bad"),
                              _translation_run("good-again", data, "good"),
                              _translation_run("first-ten", data, "good", limit=10)])
    doc = harness.run_suite(suite, str(tmp_path / "out"), record=False)
    pairs = {(c["a"], c["b"]): c["metrics"] for c in doc["comparisons"]}
    assert set(pairs) == {("good", "bad"), ("good", "good-again"), ("bad", "good-again")}  # not first-ten
    worse = pairs[("good", "bad")]
    assert set(worse) == {"bleu", "rouge1", "rouge2", "rougeL", "rougeLsum"}
    for name in ("bleu", "rouge2"):
        assert worse[name]["difference"] > 0 and worse[name]["p_value"] < 0.05 and worse[name]["ci_low"] > 0
    # reversed words keep every unigram: ROUGE-1 prefers them to a changed word, and the test says so
    assert worse["rouge1"]["difference"] == pytest.approx(-10 * (1 - 7 / 8) / 40)
    assert worse["rouge1"]["p_value"] < 0.05 and worse["rouge1"]["ci_high"] < 0
    assert all(c["p_value"] == 1.0 and c["difference"] == 0 for c in pairs[("good", "good-again")].values())
    bleu_a = next(s["value"] for s in doc["runs"][0]["scores"] if s["metric"] == "bleu")
    assert worse["bleu"]["a"] == pytest.approx(bleu_a)
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Paired comparisons (same data)" in report and "| good | bad | bleu |" in report
    assert "Paired comparisons" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert "item_stats" not in results["runs"][0]  # per-item statistics go to the history, not the reports


def _sentiment_runs(tmp_path, n_wrong):
    labels = ["positive", "negative"] * 30
    flipped = {"positive": "negative", "negative": "positive"}
    rows = [{"text": f"review number {i}", "label": y, "a": y, "b": flipped[y] if i < n_wrong else y}
            for i, y in enumerate(labels)]
    path = tmp_path / "reviews.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    runs = [{"name": col, "task": "sentiment", "dataset": str(path), "predictions_column": col,
             "metrics": ["sentiment_accuracy"]} for col in ("a", "b")]
    return harness.run_suite(_suite(tmp_path, runs), str(tmp_path / "out"), record=False)


def test_accuracy_uses_the_exact_mcnemar_test(tmp_path):
    doc = _sentiment_runs(tmp_path, n_wrong=20)
    acc = doc["comparisons"][0]["metrics"]["accuracy"]
    assert acc["test"] == "exact McNemar" and (acc["a_only"], acc["b_only"]) == (20, 0)
    assert acc["p_value"] == pytest.approx(2 * 0.5 ** 20)
    assert acc["difference"] == pytest.approx(20 / 60)
    assert doc["comparisons"][0]["metrics"]["macro_f1"]["test"] == "paired bootstrap"


def test_two_wrong_answers_are_not_significant(tmp_path):
    acc = _sentiment_runs(tmp_path, n_wrong=2)["comparisons"][0]["metrics"]["accuracy"]
    assert acc["p_value"] == 0.5  # 2 discordant items, both for A: 2 · (1/2)²


def _record(**changes):
    base = {"name": "x", "task": "lm", "status": "ok", "dataset_sha256": "a" * 64, "split": None, "slice": None,
            "limit": None, "txt_rows": "paragraph", "rows_used": 3, "metrics": {"perplexity": {}},
            "item_stats": {"perplexity": {"columns": ["log_likelihood_nats", "num_tokens", "num_chars", "num_bytes",
                                                      "num_words"],
                                          "values": [[-10.0, 5, 5, 5, 1], [-12.0, 6, 6, 6, 1], [-8.0, 4, 4, 4, 1]]}}}
    return {**base, **changes}


@pytest.mark.parametrize("changes, reason", [
    ({"dataset_sha256": "b" * 64}, "dataset sha256 aaaaaaaaaaaa… vs bbbbbbbbbbbb…"),
    ({"rows_used": 2, "limit": 2}, "limit None vs 2; rows_used 3 vs 2"),
    ({"task": "sentiment"}, "task 'lm' vs 'sentiment'"),
])
def test_runs_on_different_data_are_refused_with_the_reason(changes, reason):
    with pytest.raises(ValueError, match="scored on different data") as err:
        comparison.compare_records(_record(), _record(name="y", **changes))
    assert reason in str(err.value)


def test_a_failed_run_or_other_options_are_not_compared():
    with pytest.raises(ValueError, match="run 'y' failed"):
        comparison.compare_records(_record(), _record(name="y", status="failed"))
    other = _record(name="y", metrics={"perplexity": {"stride": 8}})
    with pytest.raises(ValueError, match="share no metric"):
        comparison.compare_records(_record(), other)
    assert comparison.skipped_metrics(_record(), other) == {"perplexity": 'options differ: {} vs {"stride": 8}'}


def test_perplexity_comparison_is_per_text():
    better = _record(name="y", item_stats={"perplexity": {**_record()["item_stats"]["perplexity"],
                                                          "values": [[-5.0, 5, 5, 5, 1], [-6.0, 6, 6, 6, 1],
                                                                     [-4.0, 4, 4, 4, 1]]}})
    out = comparison.compare_records(_record(), better, n_resamples=200)
    assert set(out) == set(comparison.PERPLEXITY_KEYS)
    assert out["perplexity_per_token"]["difference"] > 0  # A is worse: a higher perplexity
    assert out["bits_per_char"]["a"] == pytest.approx(30 / 15 / 0.6931471805599453)
