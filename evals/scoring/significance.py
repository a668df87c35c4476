"""Paired significance tests: is system A's score really different from system B's on the same items?

Both tests use that A and B were scored on the *same* items, which an unpaired test (a z-test on two
independent means) throws away.

**Paired bootstrap resampling** (Koehn, 2004; sacrebleu's ``--paired-bs``): draw ``n`` item indices
with replacement, the same draw for both systems; recompute both corpus scores from the summed
per-item statistics; the difference ``δ* = score_A* − score_B*`` of every resample gives the interval
of the difference. The p-value asks how often a resample's |δ*|, centred on its mean (the bootstrap
world where the null hypothesis holds), is at least the observed |δ|:

    p = (#{ | |δ*| − mean|δ*| | ≥ |δ| } + 1) / (n_resamples + 1)

This is sacrebleu's test with ``≥`` where sacrebleu counts ``>``: a system compared with itself
(δ = 0, every δ* = 0) thus gets p = 1, where ``>`` gives 1 / (n_resamples + 1).

**Exact McNemar test** for accuracy: only the items where exactly one system is right carry
information. With ``b`` items only A gets right and ``c`` only B gets right, under the null
hypothesis each of those ``b + c`` items is a fair coin:

    p = min(1, 2 · P[Binomial(b + c, ½) ≤ min(b, c)])

Example:
    >>> import numpy as np
    >>> a = np.array([[1.0], [1.0], [0.0], [1.0]])
    >>> paired_bootstrap(a, a, lambda s: {"accuracy": s[0] / 4}, n_resamples=100)["accuracy"]["p_value"]
    1.0
    >>> mcnemar_exact([1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0])["p_value"]
    0.03125
"""

from __future__ import annotations

import math
from typing import Callable, Mapping, Sequence

import numpy as np

from evals.scoring.bootstrap import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, check_bootstrap_args, resampled_sums


def paired_bootstrap(
    stats_a: np.ndarray,
    stats_b: np.ndarray,
    aggregate: Callable[[np.ndarray], Mapping[str, float]],
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> dict[str, dict[str, float]]:
    """Paired bootstrap test of every score ``aggregate`` computes, A against B.

    Args:
        stats_a, stats_b: (n_items, n_stats) per-item statistics of the two systems on the same items,
            row i of each for item i; columns add up over items (see ``evals.scoring.bootstrap``).
        aggregate: maps column sums (1-D, length n_stats) to ``{score name: value}``.
        n_resamples: bootstrap resamples (default 1,000).
        confidence: coverage of the difference's interval (default 0.95).
        seed: the resampling seed; the same seed draws the same items for every call.

    Returns:
        ``{score name: {"a", "b", "difference" (a − b), "ci_low", "ci_high", "p_value"}}``.

    Raises:
        ValueError: the two arrays hold different items (shapes differ) or a bad argument, named.
    """
    check_bootstrap_args(n_resamples, confidence, seed)
    stats_a, stats_b = np.asarray(stats_a, np.float64), np.asarray(stats_b, np.float64)
    if stats_a.ndim != 2 or stats_a.shape != stats_b.shape:
        raise ValueError(f"stats_a and stats_b must be 2-D arrays of one shape (the same items and statistics), "
                         f"received shapes {stats_a.shape} and {stats_b.shape}")
    width = stats_a.shape[1]
    # one resample of the item indices serves both systems: that is what makes the test paired
    sums = resampled_sums(np.hstack([stats_a, stats_b]), n_resamples, seed)
    observed_a, observed_b = aggregate(stats_a.sum(axis=0)), aggregate(stats_b.sum(axis=0))
    deltas: dict[str, list[float]] = {name: [] for name in observed_a}
    for row in sums:
        score_a, score_b = aggregate(row[:width]), aggregate(row[width:])
        for name in deltas:
            deltas[name].append(float(score_a[name]) - float(score_b[name]))
    tail = (1.0 - confidence) / 2.0
    out = {}
    for name, values in deltas.items():
        values = np.asarray(values)
        a, b = float(observed_a[name]), float(observed_b[name])
        low, high = np.quantile(values, [tail, 1.0 - tail])
        out[name] = {"a": a, "b": b, "difference": a - b, "ci_low": float(low), "ci_high": float(high),
                     "p_value": bootstrap_p_value(values, a - b)}
    return out


def bootstrap_p_value(resampled_differences: np.ndarray, observed_difference: float) -> float:
    """The two-sided p-value of ``observed_difference`` from its paired-bootstrap resamples (see the module)."""
    spread = np.abs(np.asarray(resampled_differences, np.float64))
    centred = spread - spread.mean()
    observed = abs(float(observed_difference))
    # a hair of tolerance: the mean of equal floats can differ from them in the last bit
    hits = int(np.sum(centred >= observed - 1e-12 * max(1.0, observed)))
    return (hits + 1) / (len(spread) + 1)


def mcnemar_exact(correct_a: Sequence, correct_b: Sequence) -> dict[str, float]:
    """The exact (binomial) McNemar test of two classifiers' correctness on the same items.

    Args:
        correct_a, correct_b: one flag per item (1/True: that system's label was right).

    Returns:
        ``{"a_only": b, "b_only": c, "p_value": p}`` (see the module's formula; p = 1 when b + c = 0).

    Raises:
        ValueError: lists of different lengths, empty, or holding something other than 0/1.
    """
    raw = {"correct_a": list(correct_a), "correct_b": list(correct_b)}
    a, b = np.asarray(raw["correct_a"]), np.asarray(raw["correct_b"])
    if a.ndim != 1 or a.shape != b.shape or a.size == 0:
        raise ValueError(f"correct_a and correct_b must be non-empty lists of one length (one flag per item), "
                         f"received lengths {a.size} and {b.size}")
    for name, flags in (("correct_a", a), ("correct_b", b)):
        bad = ~np.isin(flags.astype(np.float64), (0.0, 1.0))
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"{name} must hold 0/1 flags, received {name}[{i}]={raw[name][i]!r}")
    a, b = a.astype(bool), b.astype(bool)
    a_only, b_only = int(np.sum(a & ~b)), int(np.sum(~a & b))
    n, k = a_only + b_only, min(a_only, b_only)
    # P[X ≤ k] for X ~ Binomial(n, 1/2), summed exactly in integers
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n if n else 1.0
    return {"a_only": a_only, "b_only": b_only, "p_value": min(1.0, 2.0 * tail)}
