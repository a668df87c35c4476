"""Checks shared by the scorers that take references: one list entry per prediction."""

from __future__ import annotations

from typing import Sequence


def check_references(references, n_predictions: int) -> None:
    """Raise unless ``references`` is a list with exactly one entry per prediction.

    Raises:
        TypeError: ``references`` is a string or not a sequence.
        ValueError: its length differs from ``n_predictions`` (both lengths named).
    """
    if isinstance(references, str) or not isinstance(references, Sequence):
        raise TypeError("references must be a list with one entry per prediction, "
                        f"received {type(references).__name__}")
    if len(references) != n_predictions:
        raise ValueError(f"predictions and references differ in length: len(predictions)={n_predictions}, "
                         f"len(references)={len(references)}")
