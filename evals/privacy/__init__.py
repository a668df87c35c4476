"""Offline PII sanitizer: recognizers, operators, `sanitize` for texts, batches and DataFrame columns.

    >>> from evals.privacy import sanitize, count_by_type
    >>> clean, findings = sanitize("Mail ann.lee@example.com or call +1 415 555 0100.")
    >>> clean, count_by_type(findings)
    ('Mail [EMAIL] or call [PHONE].', {'EMAIL': 1, 'PHONE': 1})

No model is downloaded: structured types are found by patterns verified with checksums (Luhn, mod-97,
GB 11643, SSA rules), names by name lists and context cues. See `sanitizer.py` for the pipeline.
Operators (`OPERATORS`): placeholder, mask, pseudonym, remove, and surrogate, which puts a realistic
fake of the same kind and shape in place of each value (`Surrogates`, in `surrogates.py`).
"""

from evals.privacy.finding import ENTITY_TYPES, Finding, count_by_type
from evals.privacy.learned import set_tagger, tagger_name
from evals.privacy.log_filter import RedactingFilter
from evals.privacy.operators import OPERATORS, Pseudonymizer
from evals.privacy.sanitizer import (DEFAULT_MIN_SCORE, RECOGNIZERS, analyze, analyze_batch, resolve_overlaps,
                                     sanitize, sanitize_batch, sanitize_column)
from evals.privacy.surrogates import Surrogates

__all__ = [
    "DEFAULT_MIN_SCORE", "ENTITY_TYPES", "OPERATORS", "RECOGNIZERS", "Finding", "Pseudonymizer", "RedactingFilter",
    "Surrogates", "analyze", "analyze_batch", "count_by_type", "resolve_overlaps", "sanitize", "sanitize_batch",
    "sanitize_column",
]
