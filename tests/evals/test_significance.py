"""Paired significance tests: the paired bootstrap and the exact McNemar test."""

import numpy as np
import pytest
from scipy import stats as scipy_stats

from evals.scoring.significance import bootstrap_p_value, mcnemar_exact, paired_bootstrap


def _mean(n):
    return lambda s: {"mean": s[0] / n}


def test_a_system_against_itself_gets_p_1_and_a_zero_interval():
    rng = np.random.default_rng(0)
    a = rng.random((50, 1))
    out = paired_bootstrap(a, a, _mean(50), n_resamples=300, seed=3)["mean"]
    assert out["p_value"] == 1.0
    assert out["difference"] == 0.0 and out["ci_low"] == 0.0 and out["ci_high"] == 0.0
    assert out["a"] == out["b"] == pytest.approx(a.mean())


def test_a_visibly_better_system_gets_a_small_p_and_an_interval_above_zero():
    rng = np.random.default_rng(1)
    b = rng.random((60, 1))
    a = b + 0.2 + 0.05 * rng.standard_normal((60, 1))
    out = paired_bootstrap(a, b, _mean(60), n_resamples=500, seed=0)["mean"]
    assert out["p_value"] < 0.05
    assert out["difference"] == pytest.approx(float((a - b).mean()))
    assert 0 < out["ci_low"] < out["difference"] < out["ci_high"]


def test_noise_alone_is_not_significant():
    rng = np.random.default_rng(2)
    base = rng.random((80, 1))
    a, b = base + 0.01 * rng.standard_normal((80, 1)), base + 0.01 * rng.standard_normal((80, 1))
    out = paired_bootstrap(a, b, _mean(80), n_resamples=500, seed=0)["mean"]
    assert out["p_value"] > 0.05
    assert out["ci_low"] < 0 < out["ci_high"]


def test_pairing_finds_what_an_unpaired_view_misses():
    # items vary a lot, A beats B by a little on every item: paired, that is clear
    rng = np.random.default_rng(3)
    b = rng.random((40, 1)) * 10
    a = b + 0.1
    out = paired_bootstrap(a, b, _mean(40), n_resamples=500, seed=0)["mean"]
    assert out["p_value"] < 0.01 and out["ci_low"] == pytest.approx(0.1) and out["ci_high"] == pytest.approx(0.1)


def test_the_same_seed_gives_the_same_result():
    rng = np.random.default_rng(4)
    a, b = rng.random((30, 2)), rng.random((30, 2))
    agg = lambda s: {"x": s[0] / max(s[1], 1e-9)}  # noqa: E731  (a ratio, as BLEU's precisions are)
    assert paired_bootstrap(a, b, agg, seed=7) == paired_bootstrap(a, b, agg, seed=7)


def test_p_value_formula():
    # centred |δ*| = [-1, 0, 1] ≥ 0.5 once: p = (1 + 1) / (3 + 1)
    assert bootstrap_p_value(np.array([1.0, 2.0, 3.0]), 0.5) == 0.5
    assert bootstrap_p_value(np.zeros(9), 0.0) == 1.0


def test_paired_bootstrap_refuses_unpaired_shapes():
    with pytest.raises(ValueError, match=r"shapes \(3, 1\) and \(4, 1\)"):
        paired_bootstrap(np.ones((3, 1)), np.ones((4, 1)), _mean(3))
    with pytest.raises(ValueError, match="n_resamples"):
        paired_bootstrap(np.ones((3, 1)), np.ones((3, 1)), _mean(3), n_resamples=0)


@pytest.mark.parametrize("a_only, b_only", [(6, 0), (0, 6), (7, 3), (10, 10), (1, 0), (0, 0), (25, 11)])
def test_mcnemar_exact_equals_scipy_binomial_test(a_only, b_only):
    both = 5
    a = [1] * a_only + [0] * b_only + [1] * both + [0] * 4
    b = [0] * a_only + [1] * b_only + [1] * both + [0] * 4
    out = mcnemar_exact(a, b)
    assert (out["a_only"], out["b_only"]) == (a_only, b_only)
    n = a_only + b_only
    expected = 1.0 if n == 0 else scipy_stats.binomtest(a_only, n, 0.5).pvalue
    assert out["p_value"] == pytest.approx(expected, rel=1e-12)


def test_mcnemar_refusals_name_the_argument():
    with pytest.raises(ValueError, match="lengths 2 and 3"):
        mcnemar_exact([1, 0], [1, 0, 1])
    with pytest.raises(ValueError, match=r"correct_b\[1\]=2"):
        mcnemar_exact([1, 0], [1, 2])
