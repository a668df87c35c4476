"""What a recognizer reports: the entity type, the span in the original text and a confidence.

A `Finding` deliberately has no field for the matched text. Reports, logs and tests can pass findings
around freely; the raw value exists only inside `sanitize` while it is being replaced.
"""

from collections import Counter
from typing import NamedTuple

# Every entity type the sanitizer knows, with its placeholder. Placeholders are the type in brackets
# so a reader of a sanitized corpus can still tell what kind of thing was there.
ENTITY_TYPES = (
    "EMAIL",          # local@domain.tld
    "PHONE",          # international and national formats, with extensions
    "CREDIT_CARD",    # 12-19 digits, Luhn-checked
    "IBAN",           # mod-97 checked
    "IP_ADDRESS",     # IPv4 and IPv6
    "URL",            # http(s)://, ftp://, www.
    "US_SSN",         # AAA-GG-SSSS, SSA issuance rules
    "CN_ID",          # 18-character Chinese resident ID, GB 11643 check character
    "DATE_OF_BIRTH",  # a date right after a birth cue ("born on", "DOB:", "出生于")
    "ADDRESS",        # street addresses (English, German, French, Chinese)
    "PERSON",         # names from name lists and context cues
    "SECRET",         # API keys and tokens, private keys, high-entropy strings
)


class Finding(NamedTuple):
    """One detected entity: where it is and how sure the recognizer is, never what it is.

    A named tuple (immutable, ordered by span): recognizers create many candidates, and tuples are
    several times cheaper to create, hash and sort than dataclass instances.

    Args:
        start: Offset of the first character in the original text.
        end: Offset one past the last character in the original text.
        type: One of `ENTITY_TYPES`.
        score: Confidence in [0, 1]; checksum-verified types score highest.

    Example:
        >>> Finding(10, 27, "EMAIL", 0.95).to_dict()
        {'type': 'EMAIL', 'start': 10, 'end': 27, 'score': 0.95}
    """

    start: int
    end: int
    type: str
    score: float

    def to_dict(self):
        """The finding as a plain dict (for JSON reports)."""
        return {"type": self.type, "start": self.start, "end": self.end, "score": self.score}


def count_by_type(findings):
    """How many entities of each type were found: the only summary a report should carry.

    Args:
        findings: An iterable of `Finding` objects or of their dicts, or an iterable of such
            iterables (the per-text findings that `sanitize_batch` returns).

    Returns:
        A dict from entity type to count, sorted by type, with only the types that occurred.

    Example:
        >>> count_by_type([Finding(0, 5, "EMAIL", 0.95), Finding(9, 20, "PHONE", 0.8),
        ...                Finding(30, 41, "EMAIL", 0.95)])
        {'EMAIL': 2, 'PHONE': 1}
    """
    counts = Counter()
    for item in findings:
        if isinstance(item, Finding):
            counts[item.type] += 1
        elif isinstance(item, dict):
            counts[item["type"]] += 1
        elif isinstance(item, (list, tuple)):
            counts.update(count_by_type(item))
        else:
            raise TypeError(f"findings must hold Finding objects, dicts or lists of them, "
                            f"received an item of type {type(item).__name__}")
    return dict(sorted(counts.items()))
