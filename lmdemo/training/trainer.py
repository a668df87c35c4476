"""Training a Keras language-model network with a jitted JAX step.

The step is ``model.stateless_call`` inside ``jax.value_and_grad`` and
``optimizer.stateless_apply`` (AdamW, linear warmup then cosine decay, global gradient-norm
clipping), compiled once with ``jax.jit``. Batches are random windows of the token stream,
as in nanoGPT. With several devices visible it trains data-parallel through Keras'
distribution API: variables replicated, each batch split across devices.
"""

import dataclasses
import json
import math
import os
import time

import jax
import jax.numpy as jnp
import keras
import numpy as np

from lmdemo.data.batching import disjoint_windows, random_windows
from lmdemo.layers.logits import target_log_probs
from lmdemo.training import distributed
from lmdemo.training.muon import Muon
from lmdemo.training.schedules import WarmupStableDecay

STATE_DIR = "train_state"


@dataclasses.dataclass
class TrainConfig:
    steps: int = 1000  # optimizer steps in total (a resumed run continues to this number)
    batch_size: int = 32  # windows per step
    learning_rate: float = 1e-3  # peak learning rate, reached after the warmup
    min_learning_rate: float = 1e-4  # where the cosine decay ends
    warmup_steps: int = 100  # linear warmup from 0
    weight_decay: float = 0.1  # AdamW decoupled weight decay (not on biases and LayerNorms)
    beta_2: float = 0.99
    grad_clip: float = 1.0  # clip the global gradient norm to this
    eval_interval: int = 250  # measure validation loss every this many steps
    eval_tokens: int = 0  # validation tokens to score each time; 0 = the whole split
    checkpoint_interval: int = 0  # also save every this many steps (0: only at evaluations)
    max_minutes: float = 0.0  # stop after this much training time (0 = no limit)
    seed: int = 1337
    optimizer: str = "adamw"  # "adamw", or "muon" (Muon for the blocks' matrices, AdamW for the rest)
    muon_learning_rate: float = 0.02  # Muon's peak rate (with optimizer="muon")
    schedule: str = "cosine"  # "cosine" decay after the warmup, or "wsd" (warmup, stable, linear decay)
    decay_fraction: float = 0.2  # with schedule="wsd": the last part of the run spent decaying

    def __post_init__(self):
        for name in ("steps", "batch_size", "eval_interval"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, received {name}={value!r}")
        if not (self.learning_rate > 0 and math.isfinite(self.learning_rate)):
            raise ValueError(f"learning_rate must be a positive number, received learning_rate={self.learning_rate!r}")
        if self.warmup_steps < 0 or self.warmup_steps >= self.steps:
            raise ValueError(f"warmup_steps must be in [0, steps), received warmup_steps={self.warmup_steps!r}")
        if self.optimizer not in ("adamw", "muon"):
            raise ValueError(f"optimizer must be 'adamw' or 'muon', received optimizer={self.optimizer!r}")
        if self.schedule not in ("cosine", "wsd"):
            raise ValueError(f"schedule must be 'cosine' or 'wsd', received schedule={self.schedule!r}")
        if not 0.0 < self.decay_fraction <= 1.0:
            raise ValueError(f"decay_fraction must be in (0, 1], received decay_fraction={self.decay_fraction!r}")
        if not (self.muon_learning_rate > 0 and math.isfinite(self.muon_learning_rate)):
            raise ValueError(f"muon_learning_rate must be a positive number, received "
                             f"muon_learning_rate={self.muon_learning_rate!r}")


def make_schedule(config):
    """The learning rate against the step: linear warmup, then cosine decay or WSD's stable phase and decay."""
    if config.schedule == "wsd":
        return WarmupStableDecay(config.learning_rate, config.min_learning_rate, config.steps, config.warmup_steps,
                                 config.decay_fraction)
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=0.0 if config.warmup_steps else config.learning_rate,
        decay_steps=config.steps - config.warmup_steps,
        alpha=config.min_learning_rate / config.learning_rate,
        warmup_target=config.learning_rate if config.warmup_steps else None,
        warmup_steps=config.warmup_steps,
    )


def make_optimizer(config):
    schedule = make_schedule(config)
    if config.optimizer == "muon":
        optimizer = Muon(learning_rate=schedule, muon_learning_rate=config.muon_learning_rate,
                         peak_learning_rate=config.learning_rate, weight_decay=config.weight_decay,
                         beta_2=config.beta_2, global_clipnorm=config.grad_clip or None)
    else:
        optimizer = keras.optimizers.AdamW(
            learning_rate=schedule, weight_decay=config.weight_decay, beta_2=config.beta_2,
            global_clipnorm=config.grad_clip or None)
    optimizer.exclude_from_weight_decay(var_names=["bias", "gamma", "beta"])
    return optimizer


def cross_entropy(logits, targets, mask=None):
    """Sum and count of -log softmax(logits)[target] over the (masked) positions."""
    nll = -target_log_probs(logits, targets)
    if mask is None:
        return nll.sum(), jnp.asarray(nll.size, jnp.float32)
    return (nll * mask).sum(), mask.sum()


class Trainer:
    """Trains a language-model network on token ids: ``model(ids)`` gives a ``LayerOutput`` whose ``output``
    is the (batch, seq, vocab) logits. The example trainers (``lmdemo.training.example_trainer``) train the
    networks that give logits directly.

    Args:
        model: a built Keras model, ``lmdemo.networks.GPT`` or ``lmdemo.networks.RecurrentNetwork``.
        config: a ``TrainConfig``.
        context: the window length of training examples.
        save_fn: ``f(step, metrics)`` that writes a checkpoint (called at evaluations).
        state_dir: where optimizer state is kept for ``resume``; None disables it.
        log_fn: ``f(dict)`` called with every evaluation record (e.g. for a live loss chart).
        progress: show a tqdm progress bar.
        should_stop: ``f() -> bool`` asked after every step; True ends the run there, as
            ``pause_after`` does (evaluated, saved, resumable).
    """

    def __init__(self, model, config, context, save_fn=None, state_dir=None, log_fn=None, progress=True,
                 should_stop=None):
        self.model = model
        self.config = config
        self.context = int(context)
        self.save_fn = save_fn
        self.state_dir = state_dir
        self.log_fn = log_fn
        self.progress = progress
        self.should_stop = should_stop
        self.optimizer = make_optimizer(config)
        self.optimizer.build(model.trainable_variables)
        self.step = 0
        self.history = []
        self.interrupted = False  # the last fit stopped early by pause_after or should_stop (not by time)
        self.distribution = None
        if len(jax.devices()) > 1:
            self.distribution = keras.distribution.DataParallel(devices=jax.devices())
        self._train_step = jax.jit(self._step, donate_argnums=(0, 1, 2))
        self._eval_step = jax.jit(self._eval)

    # -- the compiled functions ------------------------------------------------------------
    def _loss(self, trainable, non_trainable, x, y):
        outputs, non_trainable = self.model.stateless_call(trainable, non_trainable, x, training=True)
        total, count = cross_entropy(outputs.output, y)
        return total / count, non_trainable

    def _step(self, trainable, non_trainable, opt_vars, *batch):
        (loss, non_trainable), grads = jax.value_and_grad(self._loss, has_aux=True)(trainable, non_trainable, *batch)
        trainable, opt_vars = self.optimizer.stateless_apply(opt_vars, grads, trainable)
        return trainable, non_trainable, opt_vars, loss

    def _eval(self, trainable, non_trainable, x, y, mask):
        outputs, _ = self.model.stateless_call(trainable, non_trainable, x, training=False)
        return cross_entropy(outputs.output, y, mask)

    # -- state ---------------------------------------------------------------------------------
    def _place(self, values, variables=None, batch=False):
        """Lay arrays out for the distribution: variables replicated, batches split (over every process's
        devices in a multi-process run, ``lmdemo.training.distributed``)."""
        if self.distribution is None:
            return values
        if batch:
            layouts = [self.distribution.get_data_layout(np.shape(v)).backend_layout for v in values]
            return distributed.global_batch(values, layouts)
        layouts = [self.distribution.get_variable_layout(var).backend_layout for var in variables]
        return distributed.replicated(values, layouts)

    def _state(self):
        m = self.model
        return (
            self._place([v.value for v in m.trainable_variables], m.trainable_variables),
            self._place([v.value for v in m.non_trainable_variables], m.non_trainable_variables),
            self._place([v.value for v in self.optimizer.variables], self.optimizer.variables),
        )

    def _assign(self, trainable, non_trainable, opt_vars):
        for var, value in zip(self.model.trainable_variables, trainable):
            var.assign(distributed.local_value(value))
        for var, value in zip(self.model.non_trainable_variables, non_trainable):
            var.assign(distributed.local_value(value))
        for var, value in zip(self.optimizer.variables, opt_vars):
            var.assign(distributed.local_value(value))

    def save_state(self):
        """Optimizer state, step and history for ``resume`` (arrays in .npz; no pickle); process 0 writes it."""
        if not self.state_dir or not distributed.is_main_process():
            return
        os.makedirs(self.state_dir, exist_ok=True)
        arrays = {f"v{i}": np.asarray(v.value) for i, v in enumerate(self.optimizer.variables)}
        tmp = os.path.join(self.state_dir, "optimizer.tmp.npz")
        np.savez(tmp, **arrays)
        os.replace(tmp, os.path.join(self.state_dir, "optimizer.npz"))
        with open(os.path.join(self.state_dir, "state.json"), "w", encoding="utf-8") as f:
            json.dump({"step": self.step, "history": self.history, "config": dataclasses.asdict(self.config)}, f)

    def load_state(self):
        """Restore what ``save_state`` wrote; returns False when there is nothing to resume."""
        if not self.state_dir or not os.path.isfile(os.path.join(self.state_dir, "state.json")):
            return False
        with open(os.path.join(self.state_dir, "state.json"), encoding="utf-8") as f:
            state = json.load(f)
        with np.load(os.path.join(self.state_dir, "optimizer.npz"), allow_pickle=False) as data:
            if len(data.files) != len(self.optimizer.variables):
                raise ValueError(f"cannot resume from {self.state_dir!r}: optimizer state does not match the model")
            for i, var in enumerate(self.optimizer.variables):
                var.assign(data[f"v{i}"])
        self.step = int(state["step"])
        self.history = state["history"]
        return True

    # -- the data: a token stream cut into random windows (subclasses train on other data) --------
    def _prepare(self, train_ids, val_ids):
        """Check and convert the training and validation data (None: no validation). A memory map
        (a token folder's ids) stays on disk: batches read only their windows."""
        if not isinstance(train_ids, np.memmap):
            train_ids = np.asarray(train_ids, dtype=np.int32)
        if len(train_ids) <= self.context + 1:
            raise ValueError(
                f"the training text has {len(train_ids)} tokens; it needs more than context={self.context} + 1")
        if val_ids is not None and len(val_ids) < 2:
            val_ids = None
        return train_ids, val_ids

    def _batch(self, train_ids, rng):
        """One training batch, the arguments of ``_loss`` after the variables."""
        return random_windows(train_ids, self.config.batch_size, self.context, rng)

    # -- the loop ------------------------------------------------------------------------------
    def evaluate(self, ids, batch_size=None):
        """Mean cross-entropy (nats per token) over disjoint windows of ``ids``."""
        batch_size = batch_size or self.config.batch_size
        if self.config.eval_tokens:
            ids = ids[: self.config.eval_tokens + 1]
        inputs, targets, mask = disjoint_windows(ids, self.context)
        pad = -len(inputs) % batch_size
        if pad:
            inputs, targets = (np.concatenate([a, np.zeros((pad, self.context), a.dtype)]) for a in (inputs, targets))
            mask = np.concatenate([mask, np.zeros((pad, self.context), mask.dtype)])
        trainable, non_trainable, _ = self._state()
        total, count = 0.0, 0.0
        for i in range(0, len(inputs), batch_size):
            batch = self._place([inputs[i:i + batch_size], targets[i:i + batch_size], mask[i:i + batch_size]], batch=True)
            t, c = self._eval_step(trainable, non_trainable, *batch)
            total, count = total + float(t), count + float(c)
        return total / count

    def fit(self, train_ids, val_ids=None, pause_after=None):
        """Train until ``config.steps`` (or ``max_minutes``); returns the evaluation history.

        Args:
            train_ids: the training token stream.
            val_ids: the validation token stream (optional).
            pause_after: stop after this many steps of this call, saving a resumable state
                (the schedule still runs to ``config.steps``).
        """
        from tqdm.auto import tqdm

        cfg = self.config
        train_ids, val_ids = self._prepare(train_ids, val_ids)
        if self.distribution is not None and cfg.batch_size % len(jax.devices()):
            raise ValueError(f"batch_size={cfg.batch_size} must be divisible by the {len(jax.devices())} devices "
                             f"of the {jax.process_count()} process(es)")
        trainable, non_trainable, opt_vars = self._state()
        start_time = time.time()
        bar = tqdm(total=cfg.steps, initial=self.step, disable=not self.progress, desc="train", unit="step")
        losses = []
        pause_at = self.step + pause_after if pause_after else None
        self.interrupted = False
        try:
            while self.step < cfg.steps:
                # the batch depends only on (seed, step): a resumed run sees the same data
                rng = np.random.default_rng([cfg.seed, self.step])
                batch = self._place(list(self._batch(train_ids, rng)), batch=True)
                trainable, non_trainable, opt_vars, loss = self._train_step(trainable, non_trainable, opt_vars, *batch)
                # wait for the step: JAX dispatches asynchronously, and the progress bar, the time
                # limit and the checkpoints must follow the computation, not the dispatch
                losses.append(float(loss))
                self.step += 1
                bar.update(1)
                out_of_time = cfg.max_minutes and time.time() - start_time > cfg.max_minutes * 60
                paused = self.step == pause_at or bool(self.should_stop and self.should_stop())
                at_eval = self.step % cfg.eval_interval == 0 or self.step == cfg.steps or out_of_time or paused
                at_save = cfg.checkpoint_interval and self.step % cfg.checkpoint_interval == 0
                if at_eval or at_save:
                    self._assign(trainable, non_trainable, opt_vars)
                    record = {"step": self.step, "train_loss": float(np.mean(losses)),
                              "elapsed_s": round(time.time() - start_time, 1)}
                    losses = []
                    if at_eval and val_ids is not None:
                        record["val_loss"] = self.evaluate(val_ids)
                    self.history.append(record)
                    bar.set_postfix({k: round(v, 4) for k, v in record.items() if k.endswith("loss")})
                    if self.log_fn:
                        self.log_fn(record)
                    if self.save_fn:
                        self.save_fn(self.step, record)
                    self.save_state()
                    trainable, non_trainable, opt_vars = self._state()
                if out_of_time or paused:
                    self.interrupted = paused and not out_of_time and self.step < cfg.steps
                    break
        finally:
            bar.close()
        self._assign(trainable, non_trainable, opt_vars)
        return self.history
