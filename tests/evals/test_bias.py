"""The data-bias probe: templates and lists, the per-group scores and gaps, a planted bias found."""

import json
import re

import numpy as np
import pytest

from evals import harness, reports
from evals.bias import fill, holm, load_counterfactuals, parse_counterfactuals, run_probe
from evals.suite import parse_suite

DEFAULT = load_counterfactuals()
FILLERS = sorted({f[s] for groups in DEFAULT["dimensions"].values() for fs in groups.values() for f in fs
                  for s in ("subject", "object")}, key=len, reverse=True)
FEMALE = DEFAULT["dimensions"]["gender"]["female"]


class TemplateOnlyClassifier:
    """P(positive) depends on the template alone: every filler reads as "someone"."""

    labels = ["negative", "positive"]

    def __init__(self, planted=0.0):
        self.planted = planted

    def positive(self, text):
        neutral = text.lower()
        for f in FILLERS:
            neutral = re.sub(rf"\b{re.escape(f.lower())}\b", "someone", neutral)
        p = 0.3 + 0.4 * (sum(map(ord, neutral)) % 997) / 997
        if any(re.search(rf"\b{f['subject']}\b", text) for f in FEMALE):
            p += self.planted
        return p

    def classify(self, texts):
        return [{"probabilities": {"negative": 1 - self.positive(t), "positive": self.positive(t)}} for t in texts]


def test_the_default_lists_cover_the_dimensions_the_issue_names():
    assert set(DEFAULT["dimensions"]) == {"gender", "origin", "pronoun", "nationality", "religion", "age"}
    assert len(DEFAULT["templates"]) == 24 and len(DEFAULT["sha256"]) == 64
    assert fill("{subject} called me.", {"subject": "she", "object": "her"}) == "She called me."
    assert fill("I met {object}.", {"subject": "they", "object": "them"}) == "I met them."


def test_a_planted_bias_is_found_and_its_absence_is_not_mistaken_for_one():
    clean = run_probe(DEFAULT, TemplateOnlyClassifier(), n_resamples=200)
    assert clean["score_name"] == "P(positive)"
    for dim, found in clean["dimensions"].items():
        assert not any(g["significant"] for g in found["gaps"]), dim
        assert all(g["gap"] == pytest.approx(0, abs=1e-12) and g["p_value"] == 1.0 for g in found["gaps"]), dim
    biased = run_probe(DEFAULT, TemplateOnlyClassifier(planted=0.15), n_resamples=200)
    gender = biased["dimensions"]["gender"]
    top = gender["gaps"][0]
    assert (top["a"], top["b"]) == ("female", "male") and top["gap"] == pytest.approx(0.15)
    assert top["significant"] and top["p_holm"] < 0.05 and top["ci_low"] == pytest.approx(0.15)
    assert gender["groups"]["female"]["mean"] - gender["groups"]["male"]["mean"] == pytest.approx(0.15)
    pair = gender["divergent"][0]
    assert pair["difference"] == pytest.approx(0.15) and pair["a"] == "female"
    assert pair["a_sentence"] != pair["b_sentence"]
    # pronouns carry no planted bias: nothing significant there
    assert not any(g["significant"] for g in biased["dimensions"]["pronoun"]["gaps"])


def test_a_language_model_is_scored_per_token(toy_lm):
    doc = parse_counterfactuals({"templates": ["{subject} speak, hear me.", "All: {subject} proceed."],
                                 "dimensions": {"who": {"first": ["First Citizen"], "all": ["All"]}}})
    probe = run_probe(doc, toy_lm, n_resamples=50)
    assert probe["score_name"] == "log-likelihood per token (nats)" and probe["n_sentences"] == 4
    scores = dict(probe["sentences"])
    expected = float(np.mean(toy_lm.log_probs("First Citizen speak, hear me.")))
    assert scores["First Citizen speak, hear me."] == pytest.approx(expected)


def test_holm_adjustment():
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5]) == [0.5]


@pytest.mark.parametrize("document, message", [
    ({"templates": [], "dimensions": {}}, "'templates' must be a non-empty list"),
    ({"templates": ["no slot here"], "dimensions": {}}, r"templates\[0\] must be a string with a \{subject\}"),
    ({"templates": ["{subject} ran."], "dimensions": {"g": {"only": ["x"]}}}, "dimension 'g' needs at least two"),
    ({"templates": ["{subject} ran."], "dimensions": {"g": {"a": [], "b": ["y"]}}}, "g.a must be a non-empty list"),
    ({"templates": ["{subject} ran."], "dimensions": {"g": {"a": [{"subject": "he"}], "b": ["y"]}}},
     r"g.a\[0\] must be a non-empty string or \{subject"),
    ("just text", "must be a mapping"),
])
def test_bad_templates_are_refused_with_the_place(document, message):
    with pytest.raises(ValueError, match=message):
        parse_counterfactuals(document, "mine.yaml")


def test_a_suite_run_needs_only_a_model(tmp_path):
    where = str(tmp_path / "suite.yaml")
    suite = parse_suite({"name": "b", "runs": [{"name": "bias", "task": "bias", "model": "sst2-sentiment"}]}, where)
    spec = suite.runs[0]
    assert spec.metrics == {"bias": {}} and spec.dataset.endswith("counterfactuals.yaml")
    with pytest.raises(ValueError, match="reads a templates file"):
        parse_suite({"name": "b", "runs": [{"name": "x", "task": "bias", "model": "m", "dataset": "hf:a/b",
                                            "split": "train"}]}, where)
    with pytest.raises(ValueError, match="task 'bias' needs a model"):
        parse_suite({"name": "b", "runs": [{"name": "x", "task": "bias"}]}, where)


def test_the_probe_in_a_suite_with_a_planted_bias_and_its_reports(tmp_path):
    suite = parse_suite({"name": "b", "runs": [
        {"name": "planted", "task": "bias", "model": "planted"}, {"name": "fair", "task": "bias", "model": "fair"}]},
        str(tmp_path / "suite.yaml"))
    doc = harness.run_suite(suite, str(tmp_path / "out"), record=False,
                            models={"planted": TemplateOnlyClassifier(0.15), "fair": TemplateOnlyClassifier()})
    planted, fair = doc["runs"]
    assert planted["status"] == "ok" and planted["rows_used"] == DEFAULT_SENTENCES
    gap = next(s for s in planted["scores"] if s["key"] == "gender_gap")
    assert gap["value"] == pytest.approx(0.15) and gap["unit"] == "P(positive), female − male"
    assert all(s["value"] == pytest.approx(0, abs=1e-12) for s in fair["scores"])
    saved = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert saved["runs"][0]["bias"]["dimensions"]["gender"]["gaps"][0]["significant"] is True
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "Bias, gender: gaps:" in report and "| female | male | 0.15 |" in report
    assert "Bias, religion: most divergent sentence pairs" in (tmp_path / "out" / "report.html").read_text("utf-8")
    assert reports.bias_tables(fair)[1][2][0][-1] == "no"


DEFAULT_SENTENCES = len({fill(t, f) for t in DEFAULT["templates"] for g in DEFAULT["dimensions"].values()
                         for fs in g.values() for f in fs})


def test_groups_the_model_reads_alike_are_flagged(toy_lm):
    doc = parse_counterfactuals({"templates": ["{subject} speak, hear me."],
                                 "dimensions": {"known": {"a": ["All"], "b": ["First Citizen"]},
                                                "unseen": {"x": ["Жук"], "y": ["Ωμέ"]}}})
    probe = run_probe(doc, toy_lm, n_resamples=20)
    assert probe["dimensions"]["known"]["groups"]["a"]["fillers_read_alike"] == 0.0
    assert "note" not in probe["dimensions"]["known"]
    # three unknown characters each: both read as <unk> <unk> <unk>
    assert probe["dimensions"]["unseen"]["groups"]["x"]["fillers_read_alike"] == 1.0
    assert "measure nothing" in probe["dimensions"]["unseen"]["note"]
    assert probe["dimensions"]["unseen"]["gaps"][0]["gap"] == 0.0
