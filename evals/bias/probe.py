"""The data-bias probe: the same sentences about different groups of people, scored by one model.

A model that learned a bias from its data scores "Jamal called me last night." differently from "James
called me last night.". The probe fills every template with every group's fillers (one dimension at a
time: gender, origin, pronoun, nationality, religion, age), scores each sentence, and compares groups:

- a **sentiment classifier** gives P(positive) per sentence; a **language model** gives the mean
  log-likelihood per token (nats);
- per template t and group g, m_g(t) is the mean score of t filled with g's fillers; a group's score is
  the mean of m_g(t) over templates;
- the gap of groups a and b is mean_t (m_a(t) − m_b(t)). Templates are the unit of resampling: the
  same template serves every group, so the gap is a paired difference and gets the paired bootstrap of
  ``evals.scoring.significance`` (interval and p-value). Within a dimension, the p-values of all its
  pairs are Holm-adjusted (many pairs are tested at once); a gap is *significant* when its adjusted
  p < 0.05;
- the most divergent sentence pairs: the same template, two groups' fillers, the largest score difference.

The templates and lists (``counterfactuals.yaml`` beside this file) were written for the project; a
suite may name its own file of the same layout. They are probes, not data about anyone, and are not
sanitized: replacing their names would erase what is being measured.

    >>> from evals.bias.probe import run_probe, load_counterfactuals     # doctest: +SKIP
    >>> run_probe(load_counterfactuals(), lmdemo.load_model("sst2-sentiment"))["dimensions"]["gender"]["gaps"][0]
"""

from __future__ import annotations

import hashlib
import itertools
import os
from typing import Any, Optional

import numpy as np
import yaml

from evals.scoring.bootstrap import bootstrap_ci
from evals.scoring.significance import paired_bootstrap

DEFAULT_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "counterfactuals.yaml")
SLOTS = ("subject", "object")
N_DIVERGENT = 5
ALPHA = 0.05
CLASSIFY_BATCH = 64


def load_counterfactuals(path: Optional[str] = None) -> dict:
    """Read and check a templates file (YAML or JSON); None: the project's default.

    Returns:
        ``{"templates": [str], "dimensions": {dimension: {group: [{"subject", "object"}]}}, "sha256": str}``.

    Raises:
        ValueError: a missing or empty template list, a template without a slot, a dimension with fewer
            than two groups, an empty group, a malformed filler: naming the file and the place.
    """
    path = path or DEFAULT_FILE
    try:
        with open(path, "rb") as f:
            raw = f.read()
        document = yaml.safe_load(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise ValueError(f"templates file {os.path.basename(path)!r} could not be read: {e}") from None
    return {**parse_counterfactuals(document, os.path.basename(path)), "sha256": hashlib.sha256(raw).hexdigest()}


def parse_counterfactuals(document: Any, where: str = "templates") -> dict:
    """Check a templates document (see `load_counterfactuals`) and normalize its fillers."""
    if not isinstance(document, dict):
        raise ValueError(f"{where}: must be a mapping with 'templates' and 'dimensions', received "
                         f"{type(document).__name__}")
    templates = document.get("templates")
    if not isinstance(templates, list) or not templates:
        raise ValueError(f"{where}: 'templates' must be a non-empty list of sentences with a {{subject}} or "
                         f"{{object}} slot, received {templates!r}")
    for i, t in enumerate(templates):
        if not isinstance(t, str) or not any("{" + s + "}" in t for s in SLOTS):
            raise ValueError(f"{where}: templates[{i}] must be a string with a {{subject}} or {{object}} slot, "
                             f"received {t!r}")
    dimensions = document.get("dimensions")
    if not isinstance(dimensions, dict) or not dimensions:
        raise ValueError(f"{where}: 'dimensions' must map each dimension to its groups, received {dimensions!r}")
    out = {}
    for dim, groups in dimensions.items():
        if not isinstance(groups, dict) or len(groups) < 2:
            raise ValueError(f"{where}: dimension {dim!r} needs at least two groups to compare, received {groups!r}")
        out[str(dim)] = {}
        for group, fillers in groups.items():
            if not isinstance(fillers, list) or not fillers:
                raise ValueError(f"{where}: {dim}.{group} must be a non-empty list of fillers, received {fillers!r}")
            out[str(dim)][str(group)] = [_filler(f, f"{where}: {dim}.{group}[{i}]") for i, f in enumerate(fillers)]
    return {"templates": list(templates), "dimensions": out}


def _filler(value: Any, where: str) -> dict:
    if isinstance(value, str) and value.strip():
        return {"subject": value.strip(), "object": value.strip()}
    if isinstance(value, dict) and all(isinstance(value.get(s), str) and value[s].strip() for s in SLOTS):
        return {s: value[s].strip() for s in SLOTS}
    raise ValueError(f"{where} must be a non-empty string or {{subject: ..., object: ...}}, received {value!r}")


def fill(template: str, filler: dict) -> str:
    """The sentence ``template`` makes about ``filler``, its first letter capitalized."""
    text = template.replace("{subject}", filler["subject"]).replace("{object}", filler["object"])
    return text[:1].upper() + text[1:]


def sentence_scorer(model: Any):
    """``(score function of a list of sentences, what the score is)`` for a classifier or a language model."""
    if callable(getattr(model, "classify", None)):
        labels = [str(x) for x in model.labels]
        positive = "positive" if "positive" in labels else labels[-1]

        def positive_probability(sentences: list[str]) -> np.ndarray:
            out = []
            for start in range(0, len(sentences), CLASSIFY_BATCH):
                out += [r["probabilities"][positive] for r in model.classify(sentences[start:start + CLASSIFY_BATCH])]
            return np.asarray(out, np.float64)

        return positive_probability, f"P({positive})"
    if callable(getattr(model, "log_probs", None)):
        return (lambda sentences: np.asarray([float(np.mean(model.log_probs(s))) for s in sentences], np.float64),
                "log-likelihood per token (nats)")
    raise TypeError(f"model must be a sentiment classifier (classify) or a language model (log_probs), received "
                    f"{type(model).__name__}")


def run_probe(counterfactuals: dict, model: Any, n_resamples: int = 1000, seed: int = 0) -> dict:
    """Score every filled sentence with ``model`` and compare the groups of every dimension.

    Args:
        counterfactuals: from `load_counterfactuals` or `parse_counterfactuals`.
        model: a loaded sentiment classifier or language model (``lmdemo.load_model``).
        n_resamples, seed: of the bootstrap over templates.

    Returns:
        ``{"score_name", "n_templates", "n_sentences", "sentences": [(sentence, score)], "dimensions": {dim:
        {"groups": {group: {"mean", "ci_low", "ci_high", "n_sentences"}}, "gaps": [{"a", "b", "gap",
        "ci_low", "ci_high", "p_value", "p_holm", "significant"}] (largest |gap| first), "divergent":
        [{"template", "a", "b", "a_sentence", "b_sentence", "a_score", "b_score", "difference"}]}}}``.
    """
    score, score_name = sentence_scorer(model)
    templates, dims = counterfactuals["templates"], counterfactuals["dimensions"]
    sentences = sorted({fill(t, f) for t in templates for groups in dims.values() for fs in groups.values()
                        for f in fs})
    scores = dict(zip(sentences, score(sentences)))
    out = {"score_name": score_name, "n_templates": len(templates), "n_sentences": len(sentences),
           "sentences": [(s, float(scores[s])) for s in sentences], "dimensions": {}}
    n = len(templates)
    mean = lambda s: {"mean": s[0] / n}  # noqa: E731
    for dim, groups in dims.items():
        # per_group[g][t]: the scores of template t filled with each of g's fillers
        per_group = {g: np.array([[scores[fill(t, f)] for f in fs] for t in templates]) for g, fs in groups.items()}
        template_means = {g: m.mean(axis=1, keepdims=True) for g, m in per_group.items()}
        summary = {}
        for g, m in template_means.items():
            ci = bootstrap_ci(m, mean, n_resamples=n_resamples, seed=seed)["mean"] if n > 1 else (m[0, 0], m[0, 0])
            summary[g] = {"mean": float(m.mean()), "ci_low": float(ci[0]), "ci_high": float(ci[1]),
                          "n_sentences": int(per_group[g].size),
                          "fillers_read_alike": fillers_read_alike(model, groups, g)}
        gaps = []
        for a, b in itertools.combinations(groups, 2):
            if summary[b]["mean"] > summary[a]["mean"]:
                a, b = b, a  # the higher-scoring group first: gaps are ≥ 0
            test = paired_bootstrap(template_means[a], template_means[b], mean, n_resamples=n_resamples,
                                    seed=seed)["mean"]
            gaps.append({"a": a, "b": b, "gap": test["difference"], "ci_low": test["ci_low"],
                         "ci_high": test["ci_high"], "p_value": test["p_value"]})
        for gap, adjusted in zip(gaps, holm([g["p_value"] for g in gaps])):
            gap.update(p_holm=adjusted, significant=bool(adjusted < ALPHA))
        gaps.sort(key=lambda g: -abs(g["gap"]))
        out["dimensions"][dim] = {"groups": summary, "gaps": gaps,
                                  "divergent": _divergent(templates, groups, per_group)}
        if all(v["fillers_read_alike"] == 1.0 for v in summary.values()):
            out["dimensions"][dim]["note"] = ("the model reads every filler of this dimension as the same tokens "
                                              "as another group's (unknown words read as <unk>): its gaps measure "
                                              "nothing")
    return out


def fillers_read_alike(model: Any, groups: dict, group: str) -> Optional[float]:
    """The share of ``group``'s fillers that ``model``'s tokenizer turns into the same tokens as a filler of
    another group (two unknown names both become ``<unk>``): where the model cannot tell the groups apart,
    a gap measures nothing. None for a model without a tokenizer."""
    tokenizer = getattr(model, "tokenizer", None)
    if tokenizer is None or not callable(getattr(tokenizer, "encode", None)):
        return None
    ids = lambda f, slot: tuple(int(i) for i in tokenizer.encode(f[slot]))  # noqa: E731
    others = {(slot, ids(f, slot)) for g, fs in groups.items() if g != group for f in fs for slot in SLOTS}
    alike = [(slot, ids(f, slot)) in others for f in groups[group] for slot in SLOTS]
    return sum(alike) / len(alike)


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjustment of p-values tested together (family-wise error rate), in input order."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted, running = [0.0] * len(p_values), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def _divergent(templates: list[str], groups: dict, per_group: dict) -> list[dict]:
    """The sentence pairs (one template, two groups' fillers) whose scores differ most."""
    candidates = []
    for a, b in itertools.combinations(groups, 2):
        diff = per_group[a][:, :, None] - per_group[b][:, None, :]  # (template, filler of a, filler of b)
        t, i, j = np.unravel_index(int(np.argmax(np.abs(diff))), diff.shape)
        difference = float(diff[t, i, j])
        if difference < 0:  # the higher-scoring sentence first
            a, b, i, j = b, a, j, i
        candidates.append({"template": templates[t], "a": a, "b": b,
                           "a_sentence": fill(templates[t], groups[a][i]), "b_sentence": fill(templates[t], groups[b][j]),
                           "a_score": float(per_group[a][t, i]), "b_score": float(per_group[b][t, j]),
                           "difference": abs(difference)})
    # each pair of groups once, the largest first
    return sorted(candidates, key=lambda c: -c["difference"])[:N_DIVERGENT]
