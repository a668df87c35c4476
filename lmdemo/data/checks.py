"""Argument checks every entry point shares: numbers, texts and lists of texts, refused by name."""

import math

import numpy as np

MAX_INPUT_CHARS = 100_000  # one input of an application; within it, inputs are cut to the model's window


def is_int(x):
    """True for Python and numpy integers (not bools): the argument checks' notion of an int."""
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def is_number(x):
    """True for finite Python and numpy numbers (not bools)."""
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool) and math.isfinite(x)


def check_text(text, name, max_chars, allow_empty=False):
    """Refuse a ``text`` that is not a str, is empty (unless ``allow_empty``) or has more than ``max_chars``."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, received {type(text).__name__}")
    if not allow_empty and not text:
        raise ValueError(f"{name} is empty")
    if len(text) > max_chars:
        raise ValueError(f"{name} has {len(text):,} characters; the limit is {max_chars:,}")


def check_texts(texts):
    """Refuse anything but a list of non-empty strings of at most ``MAX_INPUT_CHARS`` (the bad one named)."""
    if not isinstance(texts, (list, tuple)):
        raise TypeError(f"texts must be a list of strings, received {type(texts).__name__}")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}] must be a str, received {type(text).__name__}")
        if not text.strip():
            raise ValueError(f"texts[{i}] is empty")
        if len(text) > MAX_INPUT_CHARS:
            raise ValueError(f"texts[{i}] has {len(text):,} characters; the limit is {MAX_INPUT_CHARS:,}")
    return texts
