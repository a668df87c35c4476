"""Recurrent language models (Elman RNN and LSTM): a ``RecurrentNetwork`` and its tokenizer.

A recurrent model has no context window: everything it has read is folded into its state.
Generation carries that state from token to token (the prompt is read once), and scoring
reads the whole text in one left-to-right pass, in chunks that hand the state on.
"""

import jax
import numpy as np

from lmdemo.config import RecurrentConfig
from lmdemo.data.batching import pad_batch
from lmdemo.layers.logits import target_log_probs
from lmdemo.lm.language_model import NetworkLM
from lmdemo.networks.recurrent_network import RecurrentNetwork

CHUNK = 256  # tokens per compiled call when reading a prompt or scoring a text


class RecurrentLM(NetworkLM):
    """Base of ``LSTMLM`` and ``RNNLM``.

    Example:
        >>> lm = lmdemo.load_model("shakespeare-lstm")
        >>> lm.generate("ROMEO:", max_new_tokens=50, sampler="top_k", top_k=10, seed=0)
    """

    config_class = RecurrentConfig
    network_class = RecurrentNetwork
    cell = None
    max_length = None  # no window: the state summarises everything read so far

    def __init__(self, network, tokenizer, card=None, encryption=None):
        if network.config.cell != self.cell:
            raise ValueError(f"{type(self).__name__} needs a {self.cell!r} network, received cell={network.config.cell!r}")
        super().__init__(network, tokenizer, card=card, encryption=encryption)
        self._read_jit = jax.jit(self._read)

    @classmethod
    def create(cls, tokenizer, config=None, **overrides):
        return super().create(tokenizer, config, **{**overrides, "cell": cls.cell})

    @property
    def train_length(self):
        return self.config.train_length

    def describe(self):
        c = self.config
        name = {"lstm": "LSTM", "rnn": "Elman RNN"}[c.cell]
        return (f"A recurrent {name} language model: {c.num_layers} layers with a {c.hidden_dim}-wide state, "
                f"{c.embed_dim}-wide embeddings{' tied to the output layer' if c.tie_embeddings else ''}, "
                f"no context window (the state carries everything read)")

    # -- pure functions (jitted) -------------------------------------------------------------------
    # the generation loop keeps states batch-first, (batch, layers, parts, hidden), so that beam
    # search can pick each beam's parent state; the network stacks them layer-first
    def _read(self, params, token_ids, mask, state):
        """Read (batch, seq) tokens from ``state``: all logits and the state after the last real token."""
        result = self._call(params, token_ids, state=state.transpose(1, 2, 0, 3), step_mask=mask)
        return result.output, result.cache.transpose(2, 0, 1, 3)

    def _step(self, params, token, state, index):
        result = self._call(params, token[:, None], state=state.transpose(1, 2, 0, 3))
        return result.output[:, 0], result.cache.transpose(2, 0, 1, 3)

    def _read_chunks(self, rows, on_chunk=None):
        """Read equal-length rows chunk by chunk; returns (state, logits at each row's last token)."""
        lengths = {len(r) for r in rows}
        if len(lengths) != 1:
            raise ValueError(f"rows must have equal lengths, received lengths {sorted(lengths)}")
        (length,) = lengths
        params = self._params()
        state = np.asarray(self.network.initial_state(len(rows))).transpose(2, 0, 1, 3)
        logits = None
        for a in range(0, length, CHUNK):
            n = min(CHUNK, length - a)
            ids, mask = pad_batch([r[a:a + n] for r in rows], CHUNK)
            mask = mask.astype(np.float32)
            all_logits, state = self._read_jit(params, ids, mask, state)
            if on_chunk is not None:
                on_chunk(a, n, all_logits)
            logits = all_logits[:, n - 1]
        return state, logits

    def _prefill(self, rows):
        return self._read_chunks(rows)

    def _score_windows(self, inputs, targets):
        """Without a window there is one row: the whole text, read in one pass with the state handed on."""
        out = np.zeros(inputs.shape, np.float64)

        def score(a, n, logits):
            out[:, a:a + n] = np.asarray(target_log_probs(logits[:, :n], targets[:, a:a + n]))

        self._read_chunks([row.tolist() for row in inputs], on_chunk=score)
        return out


class LSTMLM(RecurrentLM):
    """A long short-term memory language model (``lmdemo.layers.recurrent`` has the equations)."""

    kind = "lstm"
    cell = "lstm"


class RNNLM(RecurrentLM):
    """An Elman (simple) recurrent language model: hₜ = tanh(xₜ W + hₜ₋₁ U + b)."""

    kind = "rnn"
    cell = "rnn"
