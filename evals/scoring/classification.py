"""Accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix of label lists.

Built for sentiment labels (``negative``/``positive``, or 0/1, or five star ratings) but
works for any classes. Everything derives from the confusion matrix, which is a sum of
one-hot per-example cells, so the bootstrap resamples examples and recomputes the scores
from the resampled matrix. The definitions match scikit-learn's ``accuracy_score``,
``f1_score(average="macro")`` and ``precision_recall_fscore_support`` (a 0/0 ratio counts
as 0, and the macro average runs over the classes present in the references or
predictions).

Example:
    >>> r = classification_scores(["pos", "neg", "pos"], ["pos", "neg", "neg"])
    >>> r["accuracy"], r["labels"], r["confusion_matrix"]
    (0.6666666666666666, ['neg', 'pos'], [[1, 1], [0, 1]])
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Mapping, Optional, Sequence

import numpy as np

from evals.scoring.bootstrap import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, add_intervals, bootstrap_ci


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return isinstance(value, numbers.Real) and math.isnan(value)
    except TypeError:
        return False


def _check_label(value: Any, index: int, argument: str) -> Any:
    if _is_missing(value):
        raise ValueError(f"{argument}[{index}] is missing (received {value!r}); every row needs a label")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{argument}[{index}] must be an int or a string label, received the bool {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return int(value)  # 1.0 from a float column is label 1
    if isinstance(value, str):
        return value
    raise TypeError(f"{argument}[{index}] must be an int or a string label, received {type(value).__name__}: {value!r}")


def check_label_lists(predictions: Sequence[Any], references: Sequence[Any]) -> tuple[list, list]:
    """Check two label lists row by row; return them with numeric labels as Python ints.

    Raises:
        ValueError: a length mismatch (both lengths given), empty lists, or a missing
            (None/NaN) label, naming the argument and the row index.
        TypeError: a label that is neither an int nor a string (argument and row named).
    """
    for name, values in (("predictions", predictions), ("references", references)):
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
            raise TypeError(f"{name} must be a list of labels, received {type(values).__name__}")
    if len(predictions) != len(references):
        raise ValueError(f"predictions and references differ in length: len(predictions)={len(predictions)}, "
                         f"len(references)={len(references)}")
    if len(predictions) == 0:
        raise ValueError("predictions and references are empty: give at least one example")
    preds = [_check_label(v, i, "predictions") for i, v in enumerate(predictions)]
    refs = [_check_label(v, i, "references") for i, v in enumerate(references)]
    return preds, refs


def encode_labels(predictions: Sequence[Any], references: Sequence[Any],
                  label_map: Optional[Mapping[str, int]] = None) -> tuple[list, np.ndarray, np.ndarray]:
    """Check both label lists and turn them into class indices.

    Args:
        predictions: predicted labels (ints or strings).
        references: true labels, the same length.
        label_map: optional ``{name: id}`` (e.g. ``{"negative": 0, "positive": 1}``); labels
            may then be given as names or ids, classes are ordered by id and reported by
            name, and every class of the map appears in the per-class scores.

    Returns:
        (labels, pred_idx, ref_idx): the class labels in order, and int arrays of indices.

    Raises:
        ValueError: a length mismatch, an empty input, a missing (None/NaN) label, or a label
            outside ``label_map``, naming the argument and row.
        TypeError: a label of another type, or ints mixed with strings without a ``label_map``.
    """
    preds, refs = check_label_lists(predictions, references)
    if label_map is not None:
        return _encode_with_map(preds, refs, label_map)
    kinds = {type(v) for v in preds + refs}
    if len(kinds) > 1:
        raise TypeError("labels mix ints and strings; give label_map (e.g. {'negative': 0, 'positive': 1}) "
                        "to say which names and ids go together")
    labels = sorted(set(preds) | set(refs))
    index = {label: i for i, label in enumerate(labels)}
    return labels, np.array([index[v] for v in preds]), np.array([index[v] for v in refs])


def _encode_with_map(preds: list, refs: list, label_map: Mapping[str, int]) -> tuple[list, np.ndarray, np.ndarray]:
    if not isinstance(label_map, Mapping) or not label_map:
        raise ValueError(f"label_map must be a non-empty dict {{name: id}}, received label_map={label_map!r}")
    for name, ident in label_map.items():
        if not isinstance(name, str) or isinstance(ident, bool) or not isinstance(ident, numbers.Integral):
            raise ValueError(f"label_map must map string names to int ids, received {name!r}: {ident!r}")
    if len(set(label_map.values())) != len(label_map):
        raise ValueError(f"label_map gives two names the same id: label_map={dict(label_map)!r}")
    names = sorted(label_map, key=lambda n: label_map[n])
    by_name = {n: i for i, n in enumerate(names)}
    by_id = {int(label_map[n]): i for i, n in enumerate(names)}

    def encode(values: list, argument: str) -> np.ndarray:
        out = np.empty(len(values), dtype=np.int64)
        for i, v in enumerate(values):
            table = by_name if isinstance(v, str) else by_id
            if v not in table:
                raise ValueError(f"{argument}[{i}]={v!r} is not in label_map (names {names}, "
                                 f"ids {sorted(by_id)})")
            out[i] = table[v]
        return out

    return names, encode(preds, "predictions"), encode(refs, "references")


def confusion_matrix(pred_idx: np.ndarray, ref_idx: np.ndarray, n_classes: int) -> np.ndarray:
    """Counts with rows = true class (reference) and columns = predicted class."""
    return np.bincount(ref_idx * n_classes + pred_idx, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def scores_from_confusion(matrix: np.ndarray) -> dict:
    """Accuracy, macro-F1 and per-class precision/recall/F1/support of a confusion matrix.

    Returns:
        dict with ``accuracy``, ``macro_f1`` and ``precision``/``recall``/``f1``/``support``
        as lists over classes (0/0 counts as 0).
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    tp = np.diag(matrix)
    predicted = matrix.sum(axis=0)
    support = matrix.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    present = (predicted + support) > 0  # scikit-learn averages over the labels that occur
    total = matrix.sum()
    return {
        "accuracy": float(tp.sum() / total) if total else 0.0,
        "macro_f1": float(f1[present].mean()) if present.any() else 0.0,
        "precision": precision.tolist(),
        "recall": recall.tolist(),
        "f1": f1.tolist(),
        "support": support.astype(int).tolist(),
    }


def classification_scores(
    predictions: Sequence[Any],
    references: Sequence[Any],
    label_map: Optional[Mapping[str, int]] = None,
    confidence_interval: bool = False,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> dict:
    """Accuracy, macro-F1, per-class scores and confusion matrix.

    Args:
        predictions: predicted labels, ints or strings.
        references: true labels, the same length and kind.
        label_map: optional ``{name: id}``; see ``encode_labels``.
        confidence_interval: also return ``accuracy_ci_low/high`` and ``macro_f1_ci_low/high``
            (seeded percentile bootstrap over examples).
        n_resamples: bootstrap resamples (default 1,000).
        confidence: interval coverage (default 0.95).
        seed: bootstrap seed.

    Returns:
        dict with ``accuracy``, ``macro_f1``, ``per_class`` (``{label: {"precision",
        "recall", "f1", "support"}}``), ``labels`` (the class order) and
        ``confusion_matrix`` (rows: references, columns: predictions).

    Raises:
        ValueError, TypeError: see ``encode_labels``.
    """
    labels, pred_idx, ref_idx = encode_labels(predictions, references, label_map)
    k = len(labels)
    matrix = confusion_matrix(pred_idx, ref_idx, k)
    scores = scores_from_confusion(matrix)
    result = {
        "accuracy": scores["accuracy"],
        "macro_f1": scores["macro_f1"],
        "per_class": {
            label: {key: scores[key][c] for key in ("precision", "recall", "f1", "support")}
            for c, label in enumerate(labels)
        },
        "labels": list(labels),
        "confusion_matrix": matrix.tolist(),
    }
    if confidence_interval:
        # one-hot confusion cell per example: the columns sum to the confusion matrix
        cells = np.zeros((len(pred_idx), k * k))
        cells[np.arange(len(pred_idx)), ref_idx * k + pred_idx] = 1.0

        def aggregate(summed: np.ndarray) -> dict:
            s = scores_from_confusion(summed.reshape(k, k))
            return {"accuracy": s["accuracy"], "macro_f1": s["macro_f1"]}

        add_intervals(result, bootstrap_ci(cells, aggregate, n_resamples=n_resamples, confidence=confidence,
                                           seed=seed))
    return result
