"""The interface every lmdemo language model implements, and the generation loop they share.

A language model assigns a probability to each next token given the tokens before it.
``log_probs`` reads those probabilities for a text; ``generate`` and ``stream`` sample from
them. Every kind (Transformer, LSTM and RNN, n-gram) provides the same hooks and none overrides
the public methods:

- ``tokenizer`` and ``max_length`` (the context window, or None when unlimited);
- ``_prefill(rows)`` → (state, logits): read a batch of equal-length token lists, return the
  state to continue from (a KV cache, a recurrent state) and the next-token logits;
- ``_step(params, token, state, index)`` → (logits, state): feed one token per row, pure JAX;
- ``_params()``: the arrays ``_step`` needs;
- ``_score_windows(inputs, targets)`` → natural-log probabilities of the targets, (n, width);
- optionally ``_cache_length(positions)``: for a state whose arrays hold one entry per position on
  axis 1 (a KV cache), how many of them a decoding call that ends at ``positions`` needs to read
  (None, the default: all of the state).

A kind whose next-token probabilities are not a JAX function (the n-gram model counts with numpy)
sets ``steps_in_jax = False`` and leaves out ``_step`` and ``_params``: generation then re-reads
the context with ``_prefill`` at every step instead of running a compiled loop.
"""

import functools

import jax
import jax.numpy as jnp
import numpy as np

from lmdemo.data.batching import rolling_windows
from lmdemo.data.checks import check_text, is_int
from lmdemo.generation.samplers import BeamSampler, make_sampler
from lmdemo.generation.state import select_rows
from lmdemo.storage.network_model import NetworkModel
from lmdemo.storage.stored_model import StoredModel

MAX_PROMPT_CHARS = 1_000_000  # longer prompts are refused; within it, long prompts slide
MAX_NEW_TOKENS = 20_000
MAX_SCORE_CHARS = 20_000_000
CHUNK_STEPS = 16  # tokens per compiled decoding call (one compilation for every length)
NO_WINDOW = 2**30
MAX_TRACE_STEPS = 200  # steps ``sampling_steps`` records


@functools.partial(jax.jit, static_argnames=("step_fn", "num_steps", "cache_length"), donate_argnames=("state",))
def _decode_chunk(sampler, step_fn, params, state, logits, index, key, first_step, n_valid, num_steps,
                  cache_length=None):
    """``sampler.decode_chunk``; with ``cache_length``, on the first ``cache_length`` positions (axis 1)
    of every array of the state only, written back after the loop: a step then reads only the
    positions filled so far (and the padding up to ``cache_length``), not the whole window."""
    if cache_length is None:
        return sampler.decode_chunk(step_fn, params, state, logits, index, key, first_step, n_valid, num_steps)
    short = jax.tree.map(lambda a: a[:, :cache_length], state)
    short, logits, index, tokens = sampler.decode_chunk(step_fn, params, short, logits, index, key, first_step,
                                                        n_valid, num_steps)
    state = jax.tree.map(lambda a, b: jax.lax.dynamic_update_slice(a, b, (0,) * a.ndim), state, short)
    return state, logits, index, tokens


@jax.jit
def _pick(sampler, logits, key, step):
    return sampler.get_next_token(logits, jax.random.fold_in(key, step))


@jax.jit
def _distributions(sampler, logits):
    """(batch, vocab) logits → the model's distribution, the same after the temperature, and the one
    the sampler draws from (0 for every token it cuts off)."""
    logits = logits.astype(jnp.float32)
    return (jax.nn.softmax(logits, axis=-1), jax.nn.softmax(logits / sampler.temperature, axis=-1),
            sampler.probabilities(logits))


@jax.jit
def _beam_pick(sampler, logits, scores, first):
    return sampler.beam_step(logits, scores, first)


@functools.partial(jax.jit, static_argnames=("step_fn",))
def _beam_step(sampler, step_fn, params, state, logits, scores, index, first):
    parent, token, scores = sampler.beam_step(logits, scores, first)
    state = select_rows(state, parent)  # every beam continues its parent's state
    # (when the window is full this feed lands on a clamped position; the caller then re-reads)
    logits, state = step_fn(params, token, state, index)
    return parent, token, scores, state, logits, index + 1


@functools.partial(jax.jit, static_argnames=("step_fn",))
def _feed(step_fn, params, token, state, index):
    """Feed one token per row to a cached model: (logits, state)."""
    return step_fn(params, token, state, index)


def window_start(length, max_length, start=0):
    """Where the model's view of a sequence of ``length`` tokens begins.

    The window ``seq[start:]`` holds at most ``max_length`` tokens. When the sequence outgrows
    it, the window jumps to the last ``max_length // 2`` tokens (room to generate before the
    next jump), so a cached generation re-reads its context once per ``max_length // 2`` tokens.

    Args:
        length: tokens in the sequence so far.
        max_length: the context window (None: unlimited).
        start: where the window begins now; it stays there while the window is not full.
    """
    if max_length is None or length - start <= max_length:
        return start
    return length - max(1, max_length // 2)


class LanguageModel(StoredModel):
    """Base class: argument checking, ``log_probs``, ``next_token_probs``, ``generate`` and ``stream``."""

    task = "lm"
    max_length = None
    steps_in_jax = True  # ``_step`` is a pure JAX function (False: generation re-reads with ``_prefill``)

    # -- what subclasses provide ----------------------------------------------------------------
    def _prefill(self, rows):
        raise NotImplementedError

    def _step(self, params, token, state, index):
        raise NotImplementedError

    def _params(self):
        raise NotImplementedError

    def _score_windows(self, inputs, targets):
        raise NotImplementedError

    def _cache_length(self, positions):
        return None

    # -- scoring ----------------------------------------------------------------------------------
    def encode_for_scoring(self, text, allow_empty=False):
        """The start token (if the tokenizer has one) followed by the text's tokens."""
        check_text(text, "text", MAX_SCORE_CHARS, allow_empty=allow_empty)
        ids = self.tokenizer.encode(text)
        start = self.tokenizer.start_text
        prefix = self.tokenizer.encode(start)[-1:] if start else []
        return prefix, ids

    def scoring_sequence(self, text):
        """The ids ``log_probs`` scores: the start token (if any), then the text's tokens."""
        prefix, ids = self.encode_for_scoring(text)
        seq = np.asarray(prefix + ids, dtype=np.int32)
        if len(seq) < 2:
            raise ValueError(f"text={text!r} is too short to score: it needs 2 tokens or a start token")
        return seq

    def log_probs(self, text, stride=None, ablate_heads=None):
        """ln P(token_i | the tokens before it) for every token of ``text``.

        The first token is conditioned on the tokenizer's start text (a newline for character
        models, ``<|endoftext|>`` for BPE), as lm-evaluation-harness conditions on the
        end-of-text token; if the tokenizer has none, the first token is not scored. Texts
        longer than the context window are scored in rolling windows: each window predicts up
        to ``stride`` new tokens (default: the whole window, i.e. disjoint windows) with the
        ``max_length`` tokens before them as context.

        Args:
            text: a non-empty string.
            stride: new tokens per window, 1 ≤ stride ≤ max_length (smaller = more context, slower).
            ablate_heads: attention heads to switch off, ``[(layer, head), ...]`` 0-based
                (Transformers only): each one's output is zeroed before its block's W_o.

        Returns:
            float64 array, one entry per scored token.
        """
        if self.max_length is None and stride is not None:
            raise ValueError(f"stride is for models with a context window; {self.kind} models read the whole text "
                             f"(received stride={stride!r})")
        ablation = self._ablation(ablate_heads)
        seq = self.scoring_sequence(text)
        inputs, targets, positions = rolling_windows(seq, self.max_length, stride)
        scores = self._score_windows(inputs, targets, **ablation)  # (n, window)
        return np.concatenate([scores[w, p] for w, p in enumerate(positions)]).astype(np.float64)

    def next_token_probs(self, text, ablate_heads=None):
        """P(next token | text) over the vocabulary, as a float64 array (the softmax of the last logits).

        An empty text gives the distribution of a text's first token (after the start token).
        ``ablate_heads`` switches attention heads off, as in ``log_probs``.
        """
        z = np.asarray(self._next_logits(text, **self._ablation(ablate_heads))[0], np.float64)
        probs = np.exp(z - z.max())
        return probs / probs.sum()

    def _next_logits(self, text, **ablation):
        """(1, vocab) logits of the token after ``text`` (the start token first; the last window of a long text)."""
        prefix, ids = self.encode_for_scoring(text, allow_empty=True)
        seq = prefix + ids
        if not seq:
            raise ValueError("text is empty and this tokenizer has no start token: give a text")
        if self.max_length:
            seq = seq[-self.max_length:]
        return self._prefill([seq], **ablation)[1]

    def _ablation(self, ablate_heads):
        """The keyword arguments that switch off ``ablate_heads`` in ``_prefill`` and ``_score_windows``:
        none when nothing is switched off. Models with attention heads override ``_head_mask``."""
        if ablate_heads is None or (isinstance(ablate_heads, (list, tuple)) and len(ablate_heads) == 0):
            return {}
        return {"head_mask": self._head_mask(ablate_heads)}

    def _head_mask(self, ablate_heads):
        raise ValueError(f"ablate_heads switches off attention heads, and a {self.kind} model has none "
                         f"(received ablate_heads={ablate_heads!r})")

    def sampling_probs(self, text, sampler="greedy", temperature=1.0, top_k=None, top_p=None):
        """The next-token distribution after ``text`` as the model gives it and as a sampler draws from it.

        Args:
            text: the context (empty: the tokenizer's start text).
            sampler, temperature, top_k, top_p: as in ``generate`` (beam search draws nothing:
                its distribution is the model's own).

        Returns:
            dict of float64 (vocab,) arrays: ``model`` = softmax(logits); ``tempered`` =
            softmax(logits / temperature); ``sampler`` = what the next token is drawn from, 0 for
            every token top-k or top-p cut off (greedy: 1 on the argmax). ``kept_mass`` (a float)
            is the part of ``tempered`` that the cut keeps.
        """
        sampler = make_sampler(sampler, temperature=temperature, top_k=top_k, top_p=top_p)
        return _sampling_record(sampler, self._next_logits(text))

    def sampling_steps(self, prompt, max_new_tokens=20, sampler="greedy", temperature=1.0, top_k=None, top_p=None,
                       num_beams=4, seed=None, top_n=5):
        """Generate token by token and keep what the sampler saw at every step (for watching it work).

        The tokens are those ``generate(..., use_cache=False)`` writes with the same arguments
        and seed: each step re-reads the window and draws with the same random key.

        Args:
            prompt, sampler, temperature, top_k, top_p, num_beams, seed: as in ``generate``.
            max_new_tokens: steps to record, 1 … ``MAX_TRACE_STEPS`` (200).
            top_n: candidates kept per step, 1 … 50 (the picked token is added when it is not among them).

        Returns:
            list with one dict per step. Sampling strategies: ``token`` and ``id`` (the pick),
            ``kept_mass`` (as in ``sampling_probs``) and ``candidates``, a list of dicts ``token``,
            ``id``, ``model`` (its probability under the model), ``sampler`` (under the sampler's
            distribution), most probable first. Beam search: ``beams``, a list of dicts ``text``
            (the beam's tokens so far, decoded) and ``score`` (its total log probability), best first.
        """
        if not is_int(max_new_tokens) or not 1 <= max_new_tokens <= MAX_TRACE_STEPS:
            raise ValueError(f"max_new_tokens must be an int in [1, {MAX_TRACE_STEPS}] for a step-by-step trace, "
                             f"received max_new_tokens={max_new_tokens!r}")
        if not is_int(top_n) or not 1 <= top_n <= 50:
            raise ValueError(f"top_n must be an int in [1, 50], received top_n={top_n!r}")
        ids, sampler, seed, _ = self._check_generate_args(
            prompt, max_new_tokens, sampler, temperature, top_k, top_p, num_beams, seed, None, False)
        steps = []
        tok = self.tokenizer

        def record_step(logits, token):
            r = _sampling_record(sampler, logits)
            order = [int(i) for i in np.argsort(-r["model"], kind="stable")[:top_n]]
            if token not in order:
                order.append(token)
            steps.append({"token": tok.token_text(token), "id": token, "kept_mass": r["kept_mass"],
                          "candidates": [{"token": tok.token_text(i), "id": i, "model": float(r["model"][i]),
                                          "sampler": float(r["sampler"][i])} for i in order]})

        def record_beams(history, scores):
            order = np.argsort(-np.asarray(scores), kind="stable")
            steps.append({"beams": [{"text": tok.decode_continuation(history[b].tolist()),
                                     "score": float(scores[b])} for b in order]})

        for _ in self._generate_tokens(ids, max_new_tokens, sampler, seed, use_cache=False,
                                       trace=record_beams if isinstance(sampler, BeamSampler) else record_step):
            pass
        return steps

    # -- generation -------------------------------------------------------------------------------
    def generate(self, prompt, max_new_tokens=100, sampler="greedy", temperature=1.0, top_k=None, top_p=None,
                 num_beams=4, seed=None, stop=None, use_cache=True, allowed_tokens=None):
        """Continue ``prompt``; returns the new text only (without the prompt).

        Args:
            prompt: the text to continue (empty: start from the tokenizer's start text).
            max_new_tokens: how many tokens to add, 1 … 20,000.
            sampler: ``"greedy"``, ``"temperature"``, ``"top_k"``, ``"top_p"`` or ``"beam"``.
            temperature: > 0; divides the logits (sampling strategies only).
            top_k: keep the k most probable tokens (``"top_k"``; default 40).
            top_p: keep the smallest set with probability ≥ p, 0 < p ≤ 1 (``"top_p"``; default 0.9).
            num_beams: beams for ``"beam"`` (1 … 16, ``MAX_BEAMS``).
            seed: int for reproducible sampling; the same seed gives the same text.
            stop: a string or list of strings; generation ends before the first one produced.
            use_cache: reuse keys/values (or the recurrent state) across steps; False re-reads
                the whole window every step (slow; for teaching and testing).
            allowed_tokens: constrained decoding, as Hugging Face's ``prefix_allowed_tokens_fn``: a function
                of the new token ids so far that returns a boolean mask over the vocabulary (or None:
                any token); every other token gets probability 0 before the sampler draws. Token by
                token, not in compiled chunks; not with beam search. ``lmdemo.tasks.poem.FormConstraint``
                is one.
        """
        return "".join(self.stream(prompt, max_new_tokens, sampler, temperature, top_k, top_p, num_beams, seed,
                                   stop, use_cache, allowed_tokens))

    def stream(self, prompt, max_new_tokens=100, sampler="greedy", temperature=1.0, top_k=None, top_p=None,
               num_beams=4, seed=None, stop=None, use_cache=True, allowed_tokens=None):
        """Like ``generate``, but yields the new text piece by piece as tokens are produced.

        Beam search yields the whole text at the end (the best beam is only known then).
        """
        ids, sampler, seed, stops = self._check_generate_args(
            prompt, max_new_tokens, sampler, temperature, top_k, top_p, num_beams, seed, stop, use_cache)
        if allowed_tokens is not None:
            if not callable(allowed_tokens):
                raise ValueError(f"allowed_tokens must be a function of the new token ids, received "
                                 f"{type(allowed_tokens).__name__}")
            if isinstance(sampler, BeamSampler):
                raise ValueError("allowed_tokens works with the sampling strategies and greedy decoding, not with "
                                 "beam search")
            tokens = self._constrained_tokens(ids, max_new_tokens, sampler, seed, use_cache, allowed_tokens)
        else:
            tokens = self._generate_tokens(ids, max_new_tokens, sampler, seed, use_cache)
        yield from _decode_stream(self.tokenizer, tokens, stops)

    def _check_generate_args(self, prompt, max_new_tokens, sampler, temperature, top_k, top_p, num_beams, seed, stop,
                             use_cache):
        check_text(prompt, "prompt", MAX_PROMPT_CHARS, allow_empty=True)
        if not is_int(max_new_tokens) or not 1 <= max_new_tokens <= MAX_NEW_TOKENS:
            raise ValueError(f"max_new_tokens must be an int in [1, {MAX_NEW_TOKENS}], received max_new_tokens={max_new_tokens!r}")
        sampler = make_sampler(sampler, temperature=temperature, top_k=top_k, top_p=top_p, num_beams=num_beams)
        if seed is None:
            seed = int(np.random.default_rng().integers(2**31))
        elif not is_int(seed) or not 0 <= seed < 2**63:
            raise ValueError(f"seed must be a non-negative int or None, received seed={seed!r}")
        if stop is None:
            stops = []
        elif isinstance(stop, str):
            stops = [stop]
        elif isinstance(stop, (list, tuple)) and all(isinstance(s, str) for s in stop):
            stops = list(stop)
        else:
            raise ValueError(f"stop must be a string or a list of strings, received stop={stop!r}")
        if any(not s for s in stops):
            raise ValueError(f"stop strings must not be empty, received stop={stop!r}")
        if not isinstance(use_cache, bool):
            raise ValueError(f"use_cache must be True or False, received use_cache={use_cache!r}")
        if not prompt:
            if not self.tokenizer.start_text:
                raise ValueError("prompt is empty and this tokenizer has no start text: give a prompt")
            prompt = self.tokenizer.start_text
        ids = self.tokenizer.encode(prompt)
        if not ids:
            raise ValueError(f"prompt={prompt[:80]!r} has no tokens this model knows")
        return ids, sampler, seed, stops

    def _generate_tokens(self, ids, max_new_tokens, sampler, seed, use_cache, trace=None):
        """Yield lists of new token ids; the context window slides as ``window_start`` says.

        ``trace`` (with ``use_cache=False``) is called at every step: with the logits and the
        picked token, or for beam search with the beams' tokens and scores."""
        if isinstance(sampler, BeamSampler):
            yield self._beam_search(ids, max_new_tokens, sampler, trace)
            return
        window = self.max_length
        key = jax.random.key(seed)
        seq = list(ids)
        start = window_start(len(seq), window)
        if not use_cache or not self.steps_in_jax:
            for step in range(max_new_tokens):
                _, logits = self._prefill([seq[start:]])
                token = int(_pick(sampler, logits, key, step)[0])
                if trace is not None:
                    trace(logits, token)
                seq.append(token)
                start = window_start(len(seq), window, start)
                yield [token]
            return
        params = self._params()
        state, logits = self._prefill([seq[start:]])
        index = len(seq) - start  # tokens in the cache
        done = 0
        while done < max_new_tokens:
            n_valid = min(CHUNK_STEPS, max_new_tokens - done, (window or NO_WINDOW) - index + 1)
            state, logits, _, tokens = _decode_chunk(
                sampler, self._step, params, state, logits, index, key, done, n_valid, CHUNK_STEPS,
                self._cache_length(index + n_valid))
            new = np.asarray(tokens[0, :n_valid]).tolist()
            seq += new
            done += n_valid
            index += n_valid
            yield new
            new_start = window_start(len(seq), window, start)
            if new_start != start and done < max_new_tokens:
                start = new_start
                state, logits = self._prefill([seq[start:]])
                index = len(seq) - start

    def _constrained_tokens(self, ids, max_new_tokens, sampler, seed, use_cache, allowed_tokens):
        """Yield one new token id at a time, drawn from the logits with the tokens ``allowed_tokens`` forbids
        masked out. The cache is fed one token per step (re-read when the window slides, or at every step
        without a cache or a JAX step)."""
        window = self.max_length
        key = jax.random.key(seed)
        seq, new = list(ids), []
        start = window_start(len(seq), window)
        cached = use_cache and self.steps_in_jax
        params = self._params() if cached else None
        state, logits = self._prefill([seq[start:]])
        for step in range(max_new_tokens):
            mask = allowed_tokens(list(new))
            if mask is not None:
                mask = np.asarray(mask, dtype=bool)
                if mask.shape != (logits.shape[-1],):
                    raise ValueError(f"allowed_tokens returned a mask of shape {mask.shape}; the vocabulary has "
                                     f"{logits.shape[-1]} tokens")
                if not mask.any():
                    raise ValueError(f"allowed_tokens allowed no token at step {step}")
                logits = jnp.where(mask[None, :], logits, -1e30)
            token = int(_pick(sampler, logits, key, step)[0])
            new.append(token)
            seq.append(token)
            yield [token]
            if step + 1 == max_new_tokens:
                return
            new_start = window_start(len(seq), window, start)
            if cached and new_start == start:
                logits, state = _feed(self._step, params, jnp.asarray([token], jnp.int32), state, len(seq) - 1 - start)
            else:
                start = new_start
                state, logits = self._prefill([seq[start:]])

    def _beam_search(self, ids, max_new_tokens, sampler, trace=None):
        window = self.max_length
        beams = sampler.num_beams
        params = self._params() if self.steps_in_jax else None
        start = window_start(len(ids), window)
        state, logits = self._prefill([ids[start:]] * beams)
        index = len(ids) - start
        scores = jnp.zeros((beams,), jnp.float32)
        history = np.zeros((beams, 0), dtype=np.int64)
        seq_len = len(ids)
        for step in range(max_new_tokens):
            if self.steps_in_jax:
                parent, token, scores, state, logits, index = _beam_step(
                    sampler, self._step, params, state, logits, scores, index, step == 0)
            else:
                parent, token, scores = _beam_pick(sampler, logits, scores, step == 0)
            history = np.concatenate([history[np.asarray(parent)], np.asarray(token)[:, None]], axis=1)
            if trace is not None:
                trace(history, np.asarray(scores))
            seq_len += 1
            new_start = window_start(seq_len, window, start)
            if (new_start != start or not self.steps_in_jax) and step + 1 < max_new_tokens:
                start = new_start
                full = [list(ids) + row.tolist() for row in history]
                state, logits = self._prefill([row[start:] for row in full])
                index = seq_len - start
        return history[int(jnp.argmax(scores))].tolist()


def _sampling_record(sampler, logits):
    """``sampling_probs``' dict for the first row of ``logits``."""
    model, tempered, drawn = (np.asarray(a[0], np.float64) for a in _distributions(sampler, logits))
    return {"model": model, "tempered": tempered, "sampler": drawn, "kept_mass": min(1.0, float(tempered[drawn > 0].sum()))}


def _decode_stream(tokenizer, token_lists, stops):
    """Turn lists of new token ids into text pieces; hold back text that may start a stop string.

    The generated ids are decoded together each time (so multi-byte characters split over
    BPE tokens come out whole), and only the new suffix is yielded.
    """
    ids, emitted = [], 0
    longest_stop = max((len(s) for s in stops), default=0)
    for new in token_lists:
        ids.extend(new)
        text = tokenizer.decode_continuation(ids)
        cut = [text.find(s, max(0, emitted - longest_stop)) for s in stops]
        cut = [c for c in cut if c >= 0]
        if cut:
            end = min(cut)
            if end > emitted:
                yield text[emitted:end]
            return
        safe = len(text)
        while safe > emitted and text[safe - 1] == "\ufffd" and tokenizer.type_name == "bpe":
            safe -= 1  # an incomplete UTF-8 sequence: wait for the next token
        for s in stops:  # keep back a suffix that could grow into a stop string
            for k in range(min(len(s) - 1, safe - emitted), 0, -1):
                if text[safe - k:safe] == s[:k]:
                    safe -= k
                    break
        if safe > emitted:
            yield text[emitted:safe]
            emitted = safe
    text = tokenizer.decode_continuation(ids)
    if len(text) > emitted:
        yield text[emitted:]


class NetworkLM(NetworkModel, LanguageModel):
    """Base of the Keras-network language models (Transformer, LSTM, RNN): stored and called as every
    ``NetworkModel``, generating and scoring as every ``LanguageModel``. Subclasses set ``kind``,
    ``config_class`` and ``network_class``."""
