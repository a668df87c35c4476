"""Operators: what replaces a detected entity in the sanitized text.

- ``placeholder``: the type in brackets, ``[EMAIL]``. Readable, and the default.
- ``mask``: one ``*`` per character, so column alignment and lengths survive.
- ``pseudonym``: ``[PERSON_1a2b3c]``, a salted hash of the value. The same value gets the same pseudonym
  everywhere the same salt is used, so "who said what" survives sanitization; without the salt the
  hash cannot be reversed by hashing a list of candidate names.
- ``remove``: the entity disappears (with one neighbouring blank, so no double space is left).
- ``surrogate``: a realistic fake of the same kind and shape ("Jane" becomes "Mary", a card number
  another Luhn-valid number in the same grouping), the same fake for the same value wherever the same
  salt is used, so a text reads naturally and who said what survives; see `surrogates.py`.
"""

import hashlib
import hmac
import re
import secrets

OPERATORS = ("placeholder", "mask", "pseudonym", "remove", "surrogate")

# Pseudonyms and surrogates are made from a normalized value so "+1 555-123-4567" and "+15551234567",
# or "Ann Lee" and "ann  lee", get the same one.
_SEPARATORS = re.compile(r"[\s\-.()/]+")
_COMPACT_TYPES = frozenset({"PHONE", "CREDIT_CARD", "IBAN", "US_SSN", "CN_ID"})


def normalize(entity_type, value):
    """The form of ``value`` that pseudonyms and surrogates are keyed by.

    Numbers lose their separators and are upper-cased; anything else is casefolded with its blanks
    collapsed to one space.

    Example:
        >>> normalize("PHONE", "+1 (415) 555-0100"), normalize("PERSON", "Ann  LEE")
        ('+14155550100', 'ann lee')
    """
    if entity_type in _COMPACT_TYPES:
        return _SEPARATORS.sub("", value).upper()
    return " ".join(value.split()).casefold()


def check_operator(operator):
    """Raise ValueError unless ``operator`` is one of `OPERATORS`."""
    if operator not in OPERATORS:
        raise ValueError(f"operator must be one of {list(OPERATORS)}, received operator={operator!r}")


def make_salt(salt):
    """The salt as bytes: ``None`` draws a fresh random salt, a str is UTF-8 encoded.

    Args:
        salt: ``None``, ``str`` or ``bytes``.

    Returns:
        The salt as ``bytes``.
    """
    if salt is None:
        return secrets.token_bytes(16)
    if isinstance(salt, str):
        return salt.encode("utf-8", "surrogatepass")
    if isinstance(salt, (bytes, bytearray)):
        return bytes(salt)
    raise TypeError(f"salt must be None, str or bytes, received {type(salt).__name__}")


class Pseudonymizer:
    """Maps each distinct (type, value) to a stable pseudonym such as ``[PERSON_1a2b3c]``.

    Pseudonyms are the first hex digits of an HMAC-SHA256 of the normalized value keyed by the salt.
    Within one `Pseudonymizer` two different values never share a pseudonym: on a (rare) collision
    of the short digest the later value gets a longer one.

    Args:
        salt: Key for the HMAC: ``None`` (random, so pseudonyms are consistent only within this
            object), ``str`` or ``bytes``.
        digits: Hex digits in a pseudonym (6 by default: 16.7 million values per type).

    Example:
        >>> p = Pseudonymizer(salt="s")
        >>> p("PERSON", "Ann Lee") == p("PERSON", "ann  lee") != p("PERSON", "Bo Chen")
        True
    """

    def __init__(self, salt=None, digits=6):
        self.salt = make_salt(salt)
        self.digits = digits
        self._given = {}  # normalized (type, value) -> pseudonym
        self._taken = {}  # pseudonym -> normalized (type, value)

    def __call__(self, entity_type, value):
        norm = normalize(entity_type, value)
        key = (entity_type, norm)
        if key in self._given:
            return self._given[key]
        digest = hmac.new(self.salt, f"{entity_type}\x00{norm}".encode("utf-8", "surrogatepass"),
                          hashlib.sha256).hexdigest()
        n = self.digits
        while f"[{entity_type}_{digest[:n]}]" in self._taken:
            n += 2
        pseudonym = f"[{entity_type}_{digest[:n]}]"
        self._given[key] = pseudonym
        self._taken[pseudonym] = key
        return pseudonym


def apply_operator(text, findings, operator, pseudonymizer=None, mask_char="*", surrogates=None):
    """Replace every finding's span in ``text`` according to ``operator``.

    Args:
        text: The original text.
        findings: Non-overlapping findings sorted by start (as `resolve_overlaps` returns them).
        operator: One of `OPERATORS`.
        pseudonymizer: A `Pseudonymizer`, required for ``"pseudonym"`` (a fresh random one otherwise).
        mask_char: The character ``"mask"`` repeats.
        surrogates: A `Surrogates`, required for ``"surrogate"`` (a fresh random one otherwise).

    Returns:
        The sanitized text.

    Example:
        >>> from evals.privacy.finding import Finding
        >>> apply_operator("mail ann@x.org now", [Finding(5, 14, "EMAIL", 0.95)], "placeholder")
        'mail [EMAIL] now'
    """
    check_operator(operator)
    if operator == "pseudonym" and pseudonymizer is None:
        pseudonymizer = Pseudonymizer()
    if operator == "surrogate" and surrogates is None:
        from evals.privacy.surrogates import Surrogates  # imported here: surrogates.py imports this module

        surrogates = Surrogates()
    parts, pos = [], 0
    for f in findings:
        assert pos <= f.start, "findings must be sorted and must not overlap"
        if operator == "placeholder":
            replacement = f"[{f.type}]"
        elif operator == "mask":
            replacement = mask_char * (f.end - f.start)
        elif operator == "pseudonym":
            replacement = pseudonymizer(f.type, text[f.start:f.end])
        elif operator == "surrogate":
            replacement = surrogates(f.type, text[f.start:f.end])
        else:
            replacement = ""
        before = text[pos:f.start]
        if operator == "remove" and before.endswith((" ", "\t")) and text[f.end:f.end + 1] in (" ", "\t", ""):
            before = before[:-1]  # "call 555-0100 today" -> "call today", not "call  today"
        parts.append(before)
        parts.append(replacement)
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)
