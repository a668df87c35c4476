"""WarmupStableDecay (lmdemo/training/schedules.py): warmup, a flat peak, a linear decay at the end."""

import numpy as np
import pytest

from lmdemo.training.schedules import WarmupStableDecay


def test_warmup_stable_decay_at_each_phase():
    wsd = WarmupStableDecay(peak=1e-3, minimum=1e-4, total_steps=100, warmup_steps=10, decay_fraction=0.2)
    rates = {s: float(np.asarray(wsd(s))) for s in (0, 5, 10, 50, 79, 80, 90, 100)}
    assert rates[0] == 0.0 and rates[5] == pytest.approx(5e-4)
    assert rates[10] == rates[50] == rates[79] == pytest.approx(1e-3)  # stable
    assert rates[80] == pytest.approx(1e-3) and rates[90] == pytest.approx(5.5e-4)  # 20 decay steps
    assert rates[100] == pytest.approx(1e-4)


def test_decay_fraction_is_checked():
    with pytest.raises(ValueError, match="decay_fraction must be in \\(0, 1\\], received decay_fraction=0"):
        WarmupStableDecay(1e-3, 1e-4, 100, 10, decay_fraction=0)
