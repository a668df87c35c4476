"""UI support for ``app.py``: one module per tab, plus the strings, charts, caps and shared models.

Nothing here does tensor math or metric work: every number shown comes from ``lmdemo`` (models,
tokenizers, training) or ``evals`` (scores, reports, the PII sanitizer).
"""
