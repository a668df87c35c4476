"""Corpus BLEU through sacrebleu, the reference scorer, with seeded bootstrap intervals.

sacrebleu does all the scoring here: its tokenizers (13a by default, ``zh`` for Chinese,
``intl`` for Unicode punctuation), its n-gram matching and its brevity penalty. This module
only arranges the inputs the way ``evaluate`` metrics receive them (one list of references
per prediction), keeps the per-sentence sufficient statistics sacrebleu extracts (lengths
plus matched and total n-gram counts, which add up over sentences) and aggregates them
exactly as ``sacrebleu.corpus_bleu`` does, so the score and signature are identical.

Example:
    >>> result = corpus_bleu(["the cat sat on the mat"], [["the cat sat on the mat"]])
    >>> result["score"], result["signature"].split("|")[0]
    (100.00000000000004, 'nrefs:1')
"""

from __future__ import annotations

from typing import Optional, Sequence, Union

import numpy as np
from sacrebleu.metrics.bleu import BLEU

from evals.scoring.bootstrap import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, add_intervals, bootstrap_ci
from evals.scoring.inputs import check_references

References = Sequence[Union[str, Sequence[str]]]

TOKENIZERS = tuple(BLEU.TOKENIZERS)
SMOOTH_METHODS = tuple(BLEU.SMOOTH_DEFAULTS)


def make_bleu(tokenize: str = "13a", lowercase: bool = False, smooth_method: str = "exp",
              smooth_value: Optional[float] = None, force: bool = False) -> BLEU:
    """A configured ``sacrebleu.metrics.BLEU``, after checking the options.

    Args:
        tokenize: a sacrebleu tokenizer name: ``"13a"`` (default, mteval-v13a), ``"zh"``
            (Chinese characters split, other text 13a), ``"intl"`` (mteval-v14 international
            punctuation), ``"char"``, ``"none"``; ``"ja-mecab"``/``"ko-mecab"``/``"spm"`` need
            extra packages.
        lowercase: compute case-insensitive BLEU.
        smooth_method: ``"exp"`` (default), ``"floor"``, ``"add-k"`` or ``"none"``.
        smooth_value: the value for ``floor``/``add-k`` (None: sacrebleu's default).
        force: silence sacrebleu's warning about text that looks already tokenized.

    Raises:
        ValueError: an unknown tokenizer or smoothing method, named with its value.
    """
    if tokenize not in TOKENIZERS:
        raise ValueError(f"tokenize must be one of {list(TOKENIZERS)}, received tokenize={tokenize!r}")
    if smooth_method not in SMOOTH_METHODS:
        raise ValueError(f"smooth_method must be one of {list(SMOOTH_METHODS)}, "
                         f"received smooth_method={smooth_method!r}")
    return BLEU(lowercase=lowercase, force=force, tokenize=tokenize, smooth_method=smooth_method,
                smooth_value=smooth_value)


def reference_streams(references: References, n_predictions: int) -> list[list[Optional[str]]]:
    """Turn one list of references per prediction into sacrebleu's reference streams.

    sacrebleu wants ``streams[k][i]``: the k-th reference of sentence i. When sentences have
    different numbers of references, the missing ones are ``None``, which sacrebleu skips
    (its signature then says ``nrefs:var``).

    Args:
        references: for each prediction, a string or a non-empty list of strings.
        n_predictions: the number of predictions, which ``references`` must match.

    Raises:
        ValueError: a length mismatch or a prediction without references (row named).
        TypeError: a reference that is not a string (row named).
    """
    check_references(references, n_predictions)
    rows = []
    for i, refs in enumerate(references):
        if isinstance(refs, str):
            rows.append((refs,))
            continue
        if not isinstance(refs, Sequence) or not refs:
            raise ValueError(f"references[{i}] must be a string or a non-empty list of strings, received {refs!r}")
        for ref in refs:
            if not isinstance(ref, str):
                raise TypeError(f"references[{i}] must hold strings, received {type(ref).__name__}: {ref!r}")
        rows.append(refs)
    width = max(len(r) for r in rows)
    if all(len(r) == width for r in rows):
        return [list(stream) for stream in zip(*rows)]
    return [[r[k] if k < len(r) else None for r in rows] for k in range(width)]


def check_predictions(predictions: Sequence[str]) -> None:
    """Raise if ``predictions`` is not a non-empty list of strings (the bad row is named)."""
    if isinstance(predictions, str) or not isinstance(predictions, Sequence):
        raise TypeError(f"predictions must be a list of strings, received {type(predictions).__name__}")
    if not predictions:
        raise ValueError("predictions is empty: give at least one prediction")
    for i, text in enumerate(predictions):
        if not isinstance(text, str):
            raise TypeError(f"predictions[{i}] must be a string, received {type(text).__name__}: {text!r}")


def sentence_statistics(bleu: BLEU, predictions: Sequence[str], references: References) -> np.ndarray:
    """sacrebleu's per-sentence sufficient statistics, one row per prediction.

    Each row is ``[sys_len, ref_len, correct_1..N, total_1..N]`` (N = max n-gram order, 4):
    columns add up over sentences, and ``bleu._compute_score_from_stats`` turns the sums
    into the corpus score.

    Returns:
        int64 array of shape (len(predictions), 2 + 2N).
    """
    return np.asarray(_statistics(bleu, predictions, references), dtype=np.int64)


def _statistics(bleu: BLEU, predictions: Sequence[str], references: References) -> list[list[int]]:
    check_predictions(predictions)
    streams = reference_streams(references, len(predictions))
    return bleu._extract_corpus_statistics(predictions, streams)


def score_from_statistics(bleu: BLEU, summed: Sequence[float]) -> float:
    """The corpus BLEU score (0–100) of summed sentence statistics."""
    return float(bleu._compute_score_from_stats([float(x) for x in summed]).score)


def corpus_bleu(
    predictions: Sequence[str],
    references: References,
    tokenize: str = "13a",
    lowercase: bool = False,
    smooth_method: str = "exp",
    smooth_value: Optional[float] = None,
    force: bool = False,
    confidence_interval: bool = False,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> dict:
    """Corpus BLEU, identical to ``sacrebleu.corpus_bleu`` on the same options.

    Args:
        predictions: one hypothesis string per sentence.
        references: for each prediction, its reference string or list of references
            (lists may differ in length). Note the layout: ``references[i]`` holds the
            references of prediction i, whereas sacrebleu takes reference streams.
        tokenize, lowercase, smooth_method, smooth_value, force: as in ``make_bleu``.
        confidence_interval: also return a seeded bootstrap interval of the score, resampling
            sentences and recomputing corpus BLEU from their summed statistics.
        n_resamples: bootstrap resamples (default 1,000).
        confidence: interval coverage (default 0.95).
        seed: bootstrap seed.

    Returns:
        dict with ``score`` (0–100), ``counts`` and ``totals`` (matched and hypothesis n-grams
        per order), ``precisions`` (percent), ``bp`` (brevity penalty), ``sys_len``,
        ``ref_len``, ``signature`` (sacrebleu's reproducibility string) and, with
        ``confidence_interval=True``, ``score_ci_low``/``score_ci_high``.

    Raises:
        ValueError, TypeError: malformed inputs or options, naming the argument and value.
    """
    bleu = make_bleu(tokenize, lowercase, smooth_method, smooth_value, force)
    stats = _statistics(bleu, predictions, references)
    # sacrebleu's own aggregation of its own lists, so the score matches corpus_bleu bit for bit
    score = bleu._aggregate_and_compute(stats)
    result = {
        "score": float(score.score),
        "counts": [int(c) for c in score.counts],
        "totals": [int(t) for t in score.totals],
        "precisions": [float(p) for p in score.precisions],
        "bp": float(score.bp),
        "sys_len": int(score.sys_len),
        "ref_len": int(score.ref_len),
        "signature": str(bleu.get_signature()),
    }
    if confidence_interval:
        intervals = bootstrap_ci(np.asarray(stats, dtype=np.float64),
                                 lambda s: {"score": score_from_statistics(bleu, s)},
                                 n_resamples=n_resamples, confidence=confidence, seed=seed)
        add_intervals(result, intervals)
    return result
