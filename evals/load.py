"""``load_metric``: the metric modules under ``evals/metrics`` by name, loaded offline through ``evaluate``."""

from __future__ import annotations

import os

METRICS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics")


def available_metrics() -> list[str]:
    """Names of the metric modules shipped in ``evals/metrics`` (each a folder holding ``<name>.py``)."""
    return sorted(
        name for name in os.listdir(METRICS_DIR)
        if os.path.isfile(os.path.join(METRICS_DIR, name, f"{name}.py"))
    )


def metric_path(name: str) -> str:
    """Absolute path of the module folder of metric ``name``.

    Raises:
        ValueError: ``name`` is not a shipped metric; the message lists the known ones.
    """
    known = available_metrics()
    if not isinstance(name, str) or name not in known:
        raise ValueError(f"unknown metric name={name!r}; known metrics: {', '.join(known)}")
    return os.path.join(METRICS_DIR, name)


def load_metric(name: str, **kwargs):
    """Load a metric module by name with ``evaluate.load``, from the local folder (no network).

    Args:
        name: one of ``available_metrics()``: ``"bleu"``, ``"rouge"``, ``"perplexity"``,
            ``"sentiment_accuracy"``.
        **kwargs: passed to ``evaluate.load`` (e.g. ``keep_in_memory=True``, ``experiment_id``).

    Returns:
        an ``evaluate.Metric``; call ``.compute(predictions=..., references=..., **options)``.

    Raises:
        ValueError: an unknown metric name (the known ones are listed).

    Example:
        >>> bleu = load_metric("bleu")
        >>> bleu.compute(predictions=["the cat sat on the mat"], references=[["the cat sat on the mat"]])["score"]
        100.00000000000004
    """
    path = metric_path(name)
    import evaluate  # slow to import: only when a metric is loaded

    return evaluate.load(path, **kwargs)
