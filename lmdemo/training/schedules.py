"""Learning-rate schedules beyond Keras' cosine: warmup–stable–decay (WSD).

WSD (Hu et al., "MiniCPM", 2024; the modded-nanoGPT speedruns' "trapezoid"): for step s of S,
warmup W and decay D = ⌈decay_fraction · S⌉ steps,

    lr(s) = peak · s / W                                   s < W
    lr(s) = peak                                           W ≤ s < S − D
    lr(s) = min + (peak − min) · (S − s) / D               S − D ≤ s ≤ S

The rate stays at its peak for most of the run and falls only at the end, so a run can be stopped
(or continued) at any point of its stable phase and still be decayed to a good model.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="lmdemo")
class WarmupStableDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Linear warmup to ``peak``, flat, then a linear decay to ``minimum`` over the last steps.

    Args:
        peak: the rate after the warmup.
        minimum: the rate at ``total_steps``.
        total_steps: S, the steps of the whole run.
        warmup_steps: W.
        decay_fraction: D / S, the part of the run spent decaying, in (0, 1].
    """

    def __init__(self, peak, minimum, total_steps, warmup_steps, decay_fraction=0.2):
        if not 0.0 < decay_fraction <= 1.0:
            raise ValueError(f"decay_fraction must be in (0, 1], received decay_fraction={decay_fraction!r}")
        self.peak = float(peak)
        self.minimum = float(minimum)
        self.total_steps = int(total_steps)
        self.warmup_steps = int(warmup_steps)
        self.decay_fraction = float(decay_fraction)
        self.decay_steps = max(1, min(self.total_steps - self.warmup_steps,
                                      int(-(-self.decay_fraction * self.total_steps // 1))))

    def __call__(self, step):
        s = ops.cast(step, "float32")
        warm = self.peak * s / max(1, self.warmup_steps)
        decay_start = self.total_steps - self.decay_steps
        frac = ops.clip((self.total_steps - s) / self.decay_steps, 0.0, 1.0)
        decay = self.minimum + (self.peak - self.minimum) * frac
        rate = ops.where(s < decay_start, self.peak, decay)
        return ops.where(s < self.warmup_steps, warm, rate)

    def get_config(self):
        return {"peak": self.peak, "minimum": self.minimum, "total_steps": self.total_steps,
                "warmup_steps": self.warmup_steps, "decay_fraction": self.decay_fraction}
