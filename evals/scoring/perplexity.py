"""Perplexity of lmdemo language models, per token, per character, per byte and per word.

A model's tokens differ (characters, BPE pieces), so per-token perplexities of two models
are not comparable; the same total log-likelihood divided by a tokenizer-free unit is.
The definitions follow EleutherAI's lm-evaluation-harness (``lm_eval/api/metrics.py``
and its ``loglikelihood_rolling`` tasks such as wikitext)::

    perplexity_per_token = exp(-total_loglik / total_tokens)
    word_perplexity      = exp(-total_loglik / total_words)    # words = len(re.split(r"\\s+", text))
    byte_perplexity      = exp(-total_loglik / total_bytes)    # UTF-8 bytes
    bits_per_byte        = -total_loglik / total_bytes / ln 2
    bits_per_char        = -total_loglik / total_chars / ln 2

Log-likelihoods are natural logs. The corpus figures pool the totals over all texts (a
weighted figure, not the mean of per-text perplexities). Texts longer than the model's
context are scored by ``lm.log_probs`` in rolling windows: disjoint by default, or
overlapping with ``stride`` new tokens per window (more context per prediction, slower).

Example:
    >>> import numpy as np
    >>> class Uniform4:  # every token has probability 1/4
    ...     max_length = 8
    ...     def log_probs(self, text, stride=None):
    ...         return np.full(len(text), -np.log(4.0))
    >>> round(perplexity(["abcd"], Uniform4())["perplexity_per_token"], 12)
    4.0
"""

from __future__ import annotations

import math
import os
import re
from typing import Any, Optional, Sequence

import numpy as np

from evals.scoring.bootstrap import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, add_intervals, bootstrap_ci

LN2 = math.log(2.0)
# columns of the per-text statistics: all of them add up over texts
STAT_COLUMNS = ("log_likelihood_nats", "num_tokens", "num_chars", "num_bytes", "num_words")
SCORE_KEYS = ("perplexity_per_token", "bits_per_token", "bits_per_char", "bits_per_byte", "byte_perplexity",
              "word_perplexity")


def count_units(text: str) -> tuple[int, int, int]:
    """(characters, UTF-8 bytes, words) of ``text``; words as lm-evaluation-harness counts them.

    The harness counts ``len(re.split(r"\\s+", text))``, so leading or trailing whitespace
    adds an empty "word"; we keep that so word perplexities match the harness's.
    """
    return len(text), len(text.encode("utf-8")), len(re.split(r"\s+", text))


def resolve_model(model: Any):
    """An lmdemo language model from a shipped name, a checkpoint folder or a model object.

    Args:
        model: ``"shakespeare-char"``, a checkpoint path, or any object with ``log_probs``.

    Raises:
        TypeError: ``model`` is neither a name/path nor an object with ``log_probs``.
        ValueError: an unknown model name or a bad checkpoint (from ``lmdemo.load_model``).
    """
    if isinstance(model, (str, os.PathLike)):
        import lmdemo  # heavy (Keras + JAX): only when a model must be loaded

        return lmdemo.load_model(model)
    if callable(getattr(model, "log_probs", None)):
        return model
    raise TypeError(f"model must be a model name, a checkpoint folder or an object with log_probs(text, stride), "
                    f"received {type(model).__name__}: {model!r}")


def text_statistics(lm, predictions: Sequence[str], stride: Optional[int] = None) -> np.ndarray:
    """Per-text log-likelihood (nats) and unit counts, one row per text (columns: ``STAT_COLUMNS``).

    Args:
        lm: a language model object with ``log_probs(text, stride=None)``.
        predictions: the texts to score, non-empty strings.
        stride: new tokens per rolling window (None: disjoint windows), passed to ``lm.log_probs``.

    Returns:
        float64 array of shape (len(predictions), 5).

    Raises:
        ValueError, TypeError: a bad text (its index named) or a model that returned no scores.
    """
    if isinstance(predictions, str) or not isinstance(predictions, Sequence):
        raise TypeError(f"predictions must be a list of strings, received {type(predictions).__name__}")
    if not predictions:
        raise ValueError("predictions is empty: give at least one text to score")
    rows = np.zeros((len(predictions), len(STAT_COLUMNS)))
    for i, text in enumerate(predictions):
        if not isinstance(text, str):
            raise TypeError(f"predictions[{i}] must be a string, received {type(text).__name__}: {text!r}")
        if not text:
            raise ValueError(f"predictions[{i}] is empty; perplexity needs at least one token")
        log_probs = np.asarray(lm.log_probs(text, stride=stride), dtype=np.float64)
        if log_probs.ndim != 1 or log_probs.size == 0:
            raise ValueError(f"the model scored no tokens of predictions[{i}]={text[:40]!r} "
                             f"(log_probs shape {log_probs.shape}); the text is too short for this model")
        rows[i, 0] = float(log_probs.sum())
        rows[i, 1] = log_probs.size
        rows[i, 2:] = count_units(text)
    return rows


def scores_from_statistics(summed: Sequence[float]) -> dict[str, float]:
    """The perplexity figures of summed statistics (columns as in ``STAT_COLUMNS``)."""
    loglik, tokens, chars, n_bytes, words = (float(x) for x in summed)
    nll = -loglik
    return {
        "perplexity_per_token": _exp(nll / tokens),
        "bits_per_token": nll / tokens / LN2,
        "bits_per_char": nll / chars / LN2,
        "bits_per_byte": nll / n_bytes / LN2,
        "byte_perplexity": _exp(nll / n_bytes),
        "word_perplexity": _exp(nll / words),
    }


def perplexity(
    predictions: Sequence[str],
    model: Any,
    stride: Optional[int] = None,
    per_text: bool = True,
    confidence_interval: bool = False,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> dict:
    """Corpus perplexity of ``model`` on ``predictions``, in every unit.

    Args:
        predictions: the texts to score.
        model: a shipped model name, a checkpoint folder, or a language model object with
            ``log_probs(text, stride=None)`` (as every lmdemo model has).
        stride: new tokens per rolling window for texts longer than the context
            (None: disjoint windows).
        per_text: also return ``per_text``, the same figures for each text.
        confidence_interval: also return ``<key>_ci_low``/``<key>_ci_high`` for every
            figure (seeded percentile bootstrap over texts; needs several texts to be useful).
        n_resamples: bootstrap resamples (default 1,000).
        confidence: interval coverage (default 0.95).
        seed: bootstrap seed.

    Returns:
        dict with ``perplexity_per_token``, ``bits_per_token``, ``bits_per_char``,
        ``bits_per_byte``, ``byte_perplexity``, ``word_perplexity`` (totals pooled over
        texts), the totals ``log_likelihood_nats``, ``num_tokens``, ``num_chars``,
        ``num_bytes``, ``num_words``, and the optional keys above.

    Raises:
        ValueError, TypeError: malformed inputs or options, naming the argument and value.
    """
    lm = resolve_model(model)
    stats = text_statistics(lm, predictions, stride)
    summed = stats.sum(axis=0)
    result: dict[str, Any] = scores_from_statistics(summed)
    result["log_likelihood_nats"] = float(summed[0])
    for name, value in zip(STAT_COLUMNS[1:], summed[1:]):
        result[name] = int(value)
    if per_text:
        result["per_text"] = [_row_dict(row) for row in stats]
    if confidence_interval:
        add_intervals(result, bootstrap_ci(stats, scores_from_statistics, n_resamples=n_resamples,
                                           confidence=confidence, seed=seed))
    return result


def _row_dict(row: np.ndarray) -> dict:
    out: dict[str, Any] = scores_from_statistics(row)
    out["log_likelihood_nats"] = float(row[0])
    for name, value in zip(STAT_COLUMNS[1:], row[1:]):
        out[name] = int(value)
    return out


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf
