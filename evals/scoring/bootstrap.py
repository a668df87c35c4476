"""Seeded bootstrap confidence intervals for corpus-level scores built from summable statistics.

Every corpus score in ``evals.scoring`` is a function of per-item statistics that add up:
BLEU of its n-gram counts and lengths, mean ROUGE of per-pair F-measures, perplexity of
log-likelihoods and unit counts, accuracy and F1 of a confusion matrix. A bootstrap
resample draws ``n_items`` item indices with replacement, sums their statistics and
recomputes the score; the interval is the percentile range of the resampled scores
(Koehn, 2004, "Statistical Significance Tests for Machine Translation Evaluation").

Example:
    >>> import numpy as np
    >>> stats = np.array([[1.0], [0.0], [1.0], [1.0]])  # one "correct" flag per item
    >>> ci = bootstrap_ci(stats, lambda s: {"accuracy": s[0] / 4}, n_resamples=200, seed=0)
    >>> 0.0 <= ci["accuracy"][0] <= 0.75 <= ci["accuracy"][1] <= 1.0
    True
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

DEFAULT_RESAMPLES = 1000
DEFAULT_CONFIDENCE = 0.95
_CHUNK_CELLS = 4_000_000  # resample indices drawn per chunk, to bound memory on large corpora


def check_bootstrap_args(n_resamples: int, confidence: float, seed: int) -> None:
    """Raise ``ValueError`` naming the bad bootstrap argument and its value.

    Args:
        n_resamples: number of bootstrap resamples, an int ≥ 1.
        confidence: the interval's coverage, a float in (0, 1).
        seed: seed for ``numpy.random.default_rng``, a non-negative int.
    """
    if not _is_int(n_resamples) or n_resamples < 1:
        raise ValueError(f"n_resamples must be an int >= 1, received n_resamples={n_resamples!r}")
    if not isinstance(confidence, (float, int)) or isinstance(confidence, bool) or not 0 < confidence < 1:
        raise ValueError(f"confidence must be a number in (0, 1), received confidence={confidence!r}")
    if not _is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, received seed={seed!r}")


def resampled_sums(stats: np.ndarray, n_resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> np.ndarray:
    """Column sums of ``stats`` over ``n_resamples`` bootstrap resamples of its rows.

    Args:
        stats: (n_items, n_stats) array of per-item statistics.
        n_resamples: number of resamples.
        seed: seed for ``numpy.random.default_rng``; the same seed gives the same resamples.

    Returns:
        float64 array of shape (n_resamples, n_stats).
    """
    stats = np.asarray(stats, dtype=np.float64)
    if stats.ndim != 2 or stats.shape[0] == 0:
        raise ValueError(f"stats must be a non-empty 2-D array (items, statistics), received shape={stats.shape}")
    n = stats.shape[0]
    rng = np.random.default_rng(seed)
    sums = np.empty((n_resamples, stats.shape[1]))
    chunk = max(1, _CHUNK_CELLS // n)
    for start in range(0, n_resamples, chunk):
        rows = min(chunk, n_resamples - start)
        idx = rng.integers(0, n, size=(rows, n))
        # how often each item was drawn in each resample, then one matrix product per chunk
        offsets = (np.arange(rows)[:, None] * n + idx).ravel()
        counts = np.bincount(offsets, minlength=rows * n).reshape(rows, n)
        sums[start:start + rows] = counts @ stats
    return sums


def bootstrap_ci(
    stats: np.ndarray,
    aggregate: Callable[[np.ndarray], Mapping[str, float]],
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals for every score that ``aggregate`` computes.

    Args:
        stats: (n_items, n_stats) array of per-item statistics that add up over items.
        aggregate: maps the column sums (a 1-D array of length n_stats) to a dict of scores.
        n_resamples: number of resamples (default 1,000).
        confidence: the interval's coverage (default 0.95: the 2.5th and 97.5th percentiles).
        seed: seed for the resampling; the same seed gives the same interval.

    Returns:
        ``{score name: (low, high)}`` for every key ``aggregate`` returns.

    Raises:
        ValueError: a bad argument, named with its value.
    """
    check_bootstrap_args(n_resamples, confidence, seed)
    sums = resampled_sums(stats, n_resamples, seed)
    scores: dict[str, list[float]] = {}
    for row in sums:
        for name, value in aggregate(row).items():
            scores.setdefault(name, []).append(float(value))
    tail = (1.0 - confidence) / 2.0
    intervals = {}
    for name, values in scores.items():
        low, high = np.quantile(np.asarray(values), [tail, 1.0 - tail])
        intervals[name] = (float(low), float(high))
    return intervals


def add_intervals(result: dict, intervals: Mapping[str, tuple[float, float]]) -> dict:
    """Add ``<name>_ci_low`` and ``<name>_ci_high`` to ``result`` for every interval; return it."""
    for name, (low, high) in intervals.items():
        result[f"{name}_ci_low"] = low
        result[f"{name}_ci_high"] = high
    return result


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)
