"""Two runs on the same data, compared item by item: each score's difference, its interval and a p-value.

A run's record carries ``item_stats``: per metric, one row of summable statistics per item (see
`item_statistics`). Because both runs scored the same items in the same order, the rows pair up, and
`compare_records` runs the paired tests of ``evals.scoring.significance`` on them: the paired bootstrap for
BLEU, ROUGE, perplexity and macro-F1, the exact McNemar test for accuracy (its interval from the same
bootstrap). Runs on different data are refused, with the reason.

    >>> from evals.comparison import compare_records      # doctest: +SKIP
    >>> compare_records(run_a, run_b)["bleu"]["p_value"]
"""

from __future__ import annotations

import hashlib
import inspect
import json
from typing import Any, Optional

import numpy as np

from evals.scoring.bootstrap import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES
from evals.scoring.significance import mcnemar_exact, paired_bootstrap

# what makes two runs' items the same items
DATA_FIELDS = ("task", "dataset_sha256", "split", "slice", "limit", "txt_rows", "rows_used")
PERPLEXITY_KEYS = ("perplexity_per_token", "bits_per_char", "bits_per_byte", "word_perplexity")


def data_key(record: dict) -> str:
    """A short hash of what decides a run's items: the task, the dataset's sha256 and the rows read."""
    fields = {k: record.get(k) for k in DATA_FIELDS}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()[:16]


def item_statistics(metric: str, options: dict, predictions=None, references=None, per_text=None,
                    fmeasures=None) -> dict:
    """One metric's per-item statistics as a run's record keeps them: ``{"columns": [...], "values": [[...]]}``.

    Args:
        metric: ``"bleu"`` (from ``predictions``/``references``: sacrebleu's sentence statistics under
            the run's options), ``"rouge"`` (``fmeasures``: ``{type: [F per pair]}``), ``"perplexity"``
            (``per_text``: the rows of ``perplexity(..., per_text=True)``) or ``"sentiment_accuracy"``
            (``predictions``/``references`` labels: one confusion-matrix cell per item, a 1 in the cell
            "reference→prediction").
        options: the run's options for the metric.
    """
    if metric == "bleu":
        from evals.scoring.bleu import make_bleu, sentence_statistics

        bleu = make_bleu(**_bleu_options(options))
        n = bleu.max_ngram_order
        columns = ["sys_len", "ref_len"] + [f"correct_{i + 1}" for i in range(n)] + [f"total_{i + 1}" for i in range(n)]
        values = sentence_statistics(bleu, predictions, [[r] for r in references]).tolist()
    elif metric == "rouge":
        columns = list(fmeasures)
        values = np.stack([fmeasures[t] for t in columns], axis=1).tolist()
    elif metric == "perplexity":
        from evals.scoring.perplexity import STAT_COLUMNS

        columns = list(STAT_COLUMNS)
        values = [[float(row[c]) for c in columns] for row in per_text]
    elif metric == "sentiment_accuracy":
        from evals.scoring.classification import encode_labels

        names, pred_idx, ref_idx = encode_labels(predictions, references, options.get("label_map"))
        names = [str(x) for x in names]
        columns = [f"{ref}→{pred}" for ref in names for pred in names]
        cells = np.zeros((len(pred_idx), len(columns)), dtype=np.int64)
        cells[np.arange(len(pred_idx)), np.asarray(ref_idx) * len(names) + np.asarray(pred_idx)] = 1
        values = cells.tolist()
    else:
        raise ValueError(f"metric must be one of bleu, rouge, perplexity, sentiment_accuracy, received metric={metric!r}")
    return {"columns": columns, "values": values}


def check_comparable(a: dict, b: dict) -> None:
    """Raise ``ValueError`` saying why runs ``a`` and ``b`` cannot be compared item by item."""
    for run in (a, b):
        if run.get("status", "ok") != "ok":
            raise ValueError(f"run {_label(run)} failed; only runs that finished can be compared")
    reasons = []
    if a.get("task") != b.get("task"):
        reasons.append(f"task {a.get('task')!r} vs {b.get('task')!r}")
    if a.get("dataset_sha256") != b.get("dataset_sha256"):
        reasons.append(f"dataset sha256 {str(a.get('dataset_sha256'))[:12]}… vs {str(b.get('dataset_sha256'))[:12]}…")
    for field in ("split", "slice", "limit", "txt_rows", "rows_used"):
        if a.get(field) != b.get(field):
            reasons.append(f"{field} {a.get(field)!r} vs {b.get(field)!r}")
    if reasons:
        raise ValueError(f"runs {_label(a)} and {_label(b)} were scored on different data ({'; '.join(reasons)}): "
                         f"a paired comparison needs the same items")


def compare_records(a: dict, b: dict, n_resamples: int = DEFAULT_RESAMPLES, confidence: float = DEFAULT_CONFIDENCE,
                    seed: int = 0) -> dict:
    """Paired tests of every score two runs share, A against B.

    Args:
        a, b: run records with ``item_stats`` (a harness record, or ``RunHistory.record``).
        n_resamples, confidence, seed: of the paired bootstrap.

    Returns:
        ``{score name: {"metric", "a", "b", "difference" (a − b), "ci_low", "ci_high", "p_value", "test"}}``;
        the names are the score keys (``bleu`` for BLEU's score). Metrics one run lacks, or scored under
        different options, are left out and listed under no key: see `skipped_metrics`.

    Raises:
        ValueError: the runs were scored on different data (see `check_comparable`), or hold no
            per-item statistics.
    """
    check_comparable(a, b)
    out = {}
    for metric in shared_metrics(a, b):
        sa, sb = a["item_stats"][metric], b["item_stats"][metric]
        columns, va, vb = _aligned(sa, sb)
        if va.shape[0] != vb.shape[0]:
            raise ValueError(f"runs {_label(a)} and {_label(b)} hold {va.shape[0]} and {vb.shape[0]} items for "
                             f"{metric}: a paired comparison needs the same items")
        aggregate = _aggregate(metric, (a.get("metrics") or {}).get(metric) or {}, columns, va.shape[0])
        tests = paired_bootstrap(va, vb, aggregate, n_resamples=n_resamples, confidence=confidence, seed=seed)
        for name, test in tests.items():
            out[name] = {"metric": metric, **test, "test": "paired bootstrap"}
        if metric == "sentiment_accuracy":
            correct = [j for j, c in enumerate(columns) if c.split("→")[0] == c.split("→")[1]]
            mcnemar = mcnemar_exact(va[:, correct].sum(axis=1), vb[:, correct].sum(axis=1))
            out["accuracy"].update(p_value=mcnemar["p_value"], test="exact McNemar",
                                   a_only=mcnemar["a_only"], b_only=mcnemar["b_only"])
    if not out:
        raise ValueError(f"runs {_label(a)} and {_label(b)} share no metric scored under the same options with "
                         f"per-item statistics; nothing to compare")
    return out


def shared_metrics(a: dict, b: dict) -> list[str]:
    """The metrics both runs scored with per-item statistics and the same options, in A's order."""
    sa, sb = a.get("item_stats") or {}, b.get("item_stats") or {}
    return [m for m in sa if m in sb and _options(a, m) == _options(b, m)]


def skipped_metrics(a: dict, b: dict) -> dict[str, str]:
    """``{metric: why it is not compared}`` for the metrics of either run that `compare_records` leaves out."""
    sa, sb = a.get("item_stats") or {}, b.get("item_stats") or {}
    out = {}
    for metric in dict.fromkeys([*sa, *sb]):
        if metric not in sa or metric not in sb:
            out[metric] = f"only run {_label(a if metric in sa else b)} scored it"
        elif _options(a, metric) != _options(b, metric):
            out[metric] = f"options differ: {_options(a, metric)} vs {_options(b, metric)}"
    return out


def suite_comparisons(records: list[dict], **kwargs) -> list[dict]:
    """Every pair of a suite's finished runs that scored the same data, compared (the first run as A).

    Returns:
        ``[{"a": run name, "b": run name, "metrics": compare_records(...)}]`` in suite order.
    """
    done = [r for r in records if r.get("status") == "ok" and r.get("item_stats")]
    out = []
    for i, a in enumerate(done):
        for b in done[i + 1:]:
            if data_key(a) != data_key(b) or not shared_metrics(a, b):
                continue
            out.append({"a": a["name"], "b": b["name"], "metrics": compare_records(a, b, **kwargs)})
    return out


def score_name(metric: str, key: str) -> str:
    """The name a score goes by in comparisons and history: its key, or the metric for BLEU's ``score``."""
    return metric if key == "score" else key


def _aligned(sa: dict, sb: dict) -> tuple[list, np.ndarray, np.ndarray]:
    """Both runs' statistics over one column list (confusion cells of label sets that differ are merged)."""
    va, vb = np.asarray(sa["values"], np.float64), np.asarray(sb["values"], np.float64)
    if sa["columns"] == sb["columns"]:
        return list(sa["columns"]), va, vb
    if not all("→" in c for c in [*sa["columns"], *sb["columns"]]):
        raise ValueError(f"the two runs' statistics have different columns: {sa['columns']} vs {sb['columns']}")
    labels = list(dict.fromkeys(part for c in [*sa["columns"], *sb["columns"]] for part in c.split("→")))
    columns = [f"{r}→{p}" for r in labels for p in labels]
    return columns, _regrid(va, sa["columns"], columns), _regrid(vb, sb["columns"], columns)


def _regrid(values: np.ndarray, columns: list, target: list) -> np.ndarray:
    out = np.zeros((values.shape[0], len(target)))
    for j, c in enumerate(columns):
        out[:, target.index(c)] = values[:, j]
    return out


def _aggregate(metric: str, options: dict, columns: list, n_items: int):
    """The function from summed per-item statistics to the metric's reported scores."""
    if metric == "bleu":
        from evals.scoring.bleu import make_bleu, score_from_statistics

        bleu = make_bleu(**_bleu_options(options))
        return lambda s: {"bleu": score_from_statistics(bleu, s)}
    if metric == "rouge":
        return lambda s: {t: s[j] / n_items for j, t in enumerate(columns)}
    if metric == "perplexity":
        from evals.scoring.perplexity import scores_from_statistics

        return lambda s: {k: v for k, v in scores_from_statistics(s).items() if k in PERPLEXITY_KEYS}
    from evals.scoring.classification import scores_from_confusion

    k = int(round(len(columns) ** 0.5))

    def confusion_scores(s: np.ndarray) -> dict:
        scores = scores_from_confusion(s.reshape(k, k))
        return {"accuracy": scores["accuracy"], "macro_f1": scores["macro_f1"]}

    return confusion_scores


def _bleu_options(options: dict) -> dict:
    from evals.scoring.bleu import make_bleu

    accepted = inspect.signature(make_bleu).parameters
    return {k: v for k, v in options.items() if k in accepted}


def _options(run: dict, metric: str) -> Any:
    return json.dumps((run.get("metrics") or {}).get(metric) or {}, sort_keys=True, default=str)


def _label(run: dict) -> str:
    return repr(run.get("id", run.get("name")))
