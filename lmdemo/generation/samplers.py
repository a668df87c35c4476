"""Decoding strategies: how the next token is picked from the model's logits.

One base class, ``Sampler``, owns the decoding loop, the temperature and the random key;
each strategy overrides ``get_next_token`` (beam search overrides the loop instead, since it
follows several hypotheses at once). Samplers are JAX pytrees: their numbers (temperature,
k, p) are traced, so one compiled loop serves every value.

The loop is written against a ``step_fn(params, token, state, index) -> (logits, state)``
that feeds one token per sequence and returns the next logits: the Transformer's KV-cache
step and the RNN's recurrent step both fit it.
"""

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from lmdemo.data.checks import is_int, is_number
from lmdemo.layers.logits import MASK_VALUE

MAX_BEAMS = 16  # the most beams any model searches with (each beam is one more row of every step)

@jax.tree_util.register_pytree_node_class
class Sampler:
    """Base class: the decoding loop, temperature scaling and seeded randomness.

    Args:
        temperature: logits are divided by it before the softmax; < 1 sharpens, > 1 flattens.
    """

    name = None

    def __init__(self, temperature=1.0):
        if not is_number(temperature) or not temperature > 0:
            raise ValueError(f"temperature must be a finite number > 0, received temperature={temperature!r}")
        self.temperature = temperature

    # -- pytree plumbing: numbers are children (traced), everything else static ---------------
    def tree_flatten(self):
        return (self.temperature,), None

    @classmethod
    def tree_unflatten(cls, aux, children):
        obj = object.__new__(cls)
        (obj.temperature,) = children
        return obj

    # -- the one method a strategy overrides ----------------------------------------------------
    def get_next_token(self, logits, key):
        """(batch, vocab) logits and a PRNG key → (batch,) int32 token ids."""
        raise NotImplementedError

    def filter_logits(self, logits):
        """The logits a strategy samples from: temperature-scaled, others set to -inf."""
        return logits / self.temperature

    def probabilities(self, logits):
        """(batch, vocab) logits → the distribution the next token is drawn from: softmax of
        ``filter_logits``, 0 for every token the strategy cuts off (beam search: the model's own)."""
        return jax.nn.softmax(self.filter_logits(logits.astype(jnp.float32)), axis=-1)

    # -- the decoding loop ----------------------------------------------------------------------
    def decode_chunk(self, step_fn, params, state, logits, index, key, first_step, n_valid, num_steps):
        """Pick and feed ``n_valid`` tokens (traced, ≤ ``num_steps``) in one compiled loop.

        Step ``i`` draws with ``fold_in(key, first_step + i)``, so the tokens depend only on
        the seed and the position in the output, not on how the loop is split into chunks.
        The caller keeps ``index`` below the window size, except that the last token of a
        chunk may be picked when the cache is full: it is then fed to a clamped position and
        the caller slides the window and re-reads it, so that feed's results are never used.

        Returns:
            (state, logits, index, tokens) with tokens (batch, num_steps).
        """
        batch = logits.shape[0]
        tokens = jnp.zeros((batch, num_steps), jnp.int32)

        def body(carry):
            i, state, logits, index, tokens = carry
            token = self.get_next_token(logits, jax.random.fold_in(key, first_step + i))
            tokens = tokens.at[:, i].set(token)
            logits, state = step_fn(params, token, state, index)
            return i + 1, state, logits.astype(carry[2].dtype), index + 1, tokens

        _, state, logits, index, tokens = lax.while_loop(
            lambda carry: carry[0] < n_valid, body, (jnp.int32(0), state, logits, index, tokens))
        return state, logits, index, tokens


def _keep_in_order(logits, order, keep_sorted):
    """Logits (batch, vocab) with every token masked out except those whose place in ``order``
    (token ids, most probable first) is marked in ``keep_sorted``; one scatter, no second sort."""
    keep_sorted = jnp.broadcast_to(keep_sorted, order.shape)
    keep = jnp.zeros_like(keep_sorted).at[jnp.arange(logits.shape[0])[:, None], order].set(keep_sorted)
    return jnp.where(keep, logits, MASK_VALUE)


@jax.tree_util.register_pytree_node_class
class GreedySampler(Sampler):
    """Always the most probable token: argmax(logits). Deterministic."""

    name = "greedy"

    def __init__(self):
        super().__init__(temperature=1.0)

    def get_next_token(self, logits, key):
        return jnp.argmax(logits, axis=-1).astype(jnp.int32)

    def probabilities(self, logits):
        return jax.nn.one_hot(jnp.argmax(logits, axis=-1), logits.shape[-1], dtype=jnp.float32)


@jax.tree_util.register_pytree_node_class
class TemperatureSampler(Sampler):
    """A draw from softmax(logits / temperature) over the whole vocabulary."""

    name = "temperature"

    def get_next_token(self, logits, key):
        return jax.random.categorical(key, self.filter_logits(logits), axis=-1).astype(jnp.int32)


@jax.tree_util.register_pytree_node_class
class TopKSampler(TemperatureSampler):
    """A draw from the ``top_k`` most probable tokens only (ties at the k-th value broken by id)."""

    name = "top_k"

    def __init__(self, top_k, temperature=1.0):
        super().__init__(temperature)
        if not is_int(top_k) or top_k < 1:
            raise ValueError(f"top_k must be an int ≥ 1, received top_k={top_k!r}")
        self.top_k = top_k

    def tree_flatten(self):
        return (self.temperature, self.top_k), None

    @classmethod
    def tree_unflatten(cls, aux, children):
        obj = object.__new__(cls)
        obj.temperature, obj.top_k = children
        return obj

    def filter_logits(self, logits):
        logits = logits / self.temperature
        order = jnp.argsort(-logits, axis=-1, stable=True)  # token ids, most probable first
        return _keep_in_order(logits, order, jnp.arange(logits.shape[-1]) < self.top_k)


@jax.tree_util.register_pytree_node_class
class TopPSampler(TemperatureSampler):
    """Nucleus sampling: a draw from the smallest set of tokens whose probability sums to ≥ top_p."""

    name = "top_p"

    def __init__(self, top_p, temperature=1.0):
        super().__init__(temperature)
        if not is_number(top_p) or not 0.0 < top_p <= 1.0:
            raise ValueError(f"top_p must be in (0, 1], received top_p={top_p!r}")
        self.top_p = top_p

    def tree_flatten(self):
        return (self.temperature, self.top_p), None

    @classmethod
    def tree_unflatten(cls, aux, children):
        obj = object.__new__(cls)
        obj.temperature, obj.top_p = children
        return obj

    def filter_logits(self, logits):
        logits = logits / self.temperature
        order = jnp.argsort(-logits, axis=-1, stable=True)
        sorted_probs = jnp.take_along_axis(jax.nn.softmax(logits, axis=-1), order, axis=-1)
        # keep a token if the tokens before it in the order sum to less than top_p
        before = jnp.cumsum(sorted_probs, axis=-1) - sorted_probs
        return _keep_in_order(logits, order, before < self.top_p)


@jax.tree_util.register_pytree_node_class
class BeamSampler(Sampler):
    """Beam search: keep the ``num_beams`` most probable continuations, return the best.

    All beams have the same length (no end-of-sequence token), so their total log
    probabilities compare directly. ``num_beams=1`` is exactly greedy decoding.
    """

    name = "beam"

    def __init__(self, num_beams=4):
        super().__init__(temperature=1.0)
        if not is_int(num_beams) or not 1 <= num_beams <= MAX_BEAMS:
            raise ValueError(f"num_beams must be an int in [1, {MAX_BEAMS}], received num_beams={num_beams!r}")
        self.num_beams = num_beams

    def tree_flatten(self):
        return (), self.num_beams

    @classmethod
    def tree_unflatten(cls, aux, children):
        obj = object.__new__(cls)
        obj.temperature, obj.num_beams = 1.0, aux
        return obj

    def beam_step(self, logits, scores, first):
        """One step of the search.

        Args:
            logits: (beams, vocab) next-token logits of each beam.
            scores: (beams,) total log probability of each beam so far.
            first: True on the first step, when all beams are the same prompt.

        Returns:
            (parent beam of each new beam, its new token, its new score), each (beams,).
        """
        log_probs = jax.nn.log_softmax(logits.astype(jnp.float32), axis=-1)
        vocab = log_probs.shape[-1]
        totals = scores[:, None] + log_probs  # (beams, vocab)
        # on the first step only beam 0 is real, or every beam would pick the same token
        live = jnp.where(first, jnp.arange(self.num_beams) == 0, True)
        totals = jnp.where(live[:, None], totals, -jnp.inf)
        best, flat = lax.top_k(totals.reshape(-1), self.num_beams)
        return (flat // vocab).astype(jnp.int32), (flat % vocab).astype(jnp.int32), best


SAMPLERS = {cls.name: cls for cls in (GreedySampler, TemperatureSampler, TopKSampler, TopPSampler, BeamSampler)}


def make_sampler(sampler="greedy", temperature=1.0, top_k=None, top_p=None, num_beams=4):
    """A ``Sampler`` from the keyword arguments that ``generate`` takes.

    Raises:
        ValueError: an unknown sampler name, or a parameter outside its range.
    """
    if isinstance(sampler, Sampler):
        return sampler
    # check every value given, even one the chosen strategy ignores: a typo should not pass silently
    TemperatureSampler(temperature)
    if top_k is not None:
        TopKSampler(top_k)
    if top_p is not None:
        TopPSampler(top_p)
    BeamSampler(num_beams)
    if sampler not in SAMPLERS:
        raise ValueError(f"sampler must be one of {sorted(SAMPLERS)}, received sampler={sampler!r}")
    if sampler == "greedy":
        return GreedySampler()
    if sampler == "temperature":
        return TemperatureSampler(temperature)
    if sampler == "top_k":
        return TopKSampler(top_k if top_k is not None else 40, temperature)
    if sampler == "top_p":
        return TopPSampler(top_p if top_p is not None else 0.9, temperature)
    return BeamSampler(num_beams)
