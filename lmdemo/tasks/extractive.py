"""Extractive summaries: pick sentences from the document itself.

- ``lead_k``: the first k sentences (for a dialogue, the first k turns): the baseline every
  summarization paper reports, strong on news where the lead states the story.
- ``textrank``: the k most central sentences (Mihalcea & Tarau, 2004): sentences are TF-IDF
  vectors, edges are their cosine similarities, and a sentence's score is its PageRank on that
  graph: central sentences are similar to many others. Chosen sentences keep document order.
"""

import re

import numpy as np

_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")


def split_units(document):
    """A dialogue's turns (one per non-empty line) or, for a one-line text, its sentences."""
    if not isinstance(document, str):
        raise TypeError(f"document must be a str, received {type(document).__name__}")
    lines = [line.strip() for line in document.splitlines() if line.strip()]
    if len(lines) > 1:
        return lines
    return [s.strip() for s in _SENTENCE_END.split(document.strip()) if s.strip()]


def _check(document, k):
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise ValueError(f"k must be an int ≥ 1, received k={k!r}")
    units = split_units(document)
    if not units:
        raise ValueError("document is empty")
    return units


def lead_k(document, k=3):
    """The first ``k`` sentences or turns, joined by newlines."""
    return "\n".join(_check(document, k)[:k])


def textrank_scores(units, damping=0.85, iterations=100, tolerance=1e-9):
    """PageRank of each unit on the graph of TF-IDF cosine similarities (self-loops removed).

    score = (1 - d) / n + d · Wᵀ score, W row-normalised; a unit similar to none spreads its
    score uniformly. Returns float64 (n,) summing to 1.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(units)
    if n == 1:
        return np.ones(1)
    try:
        vectors = TfidfVectorizer(token_pattern=r"(?u)\b\w+\b").fit_transform(units)
    except ValueError:  # no word characters at all
        return np.full(n, 1.0 / n)
    sim = (vectors @ vectors.T).toarray()
    np.fill_diagonal(sim, 0.0)
    rows = sim.sum(axis=1, keepdims=True)
    transition = np.where(rows > 0, sim / np.where(rows > 0, rows, 1.0), 1.0 / n)
    score = np.full(n, 1.0 / n)
    for _ in range(iterations):
        new = (1 - damping) / n + damping * transition.T @ score
        if np.abs(new - score).sum() < tolerance:
            return new
        score = new
    return score


def textrank(document, k=3):
    """The ``k`` most central sentences or turns (ties: the earlier one), in document order."""
    units = _check(document, k)
    scores = textrank_scores(units)
    chosen = sorted(np.argsort(-scores, kind="stable")[:k])
    return "\n".join(units[i] for i in chosen)


METHODS = {"lead-3": lambda d: lead_k(d, 3), "textrank": lambda d: textrank(d, 3)}
