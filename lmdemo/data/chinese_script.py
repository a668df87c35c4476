"""Simplified and traditional Chinese: converting between the two scripts with OpenCC's tables.

The Tang poems are written in traditional characters and Tatoeba's Chinese mixes both scripts. lmdemo's
models keep the script they were trained on and convert at the edges: a title typed in simplified
characters is read by the poem model in traditional ones, and any output can be given in either script.
OpenCC (``pip install opencc``) holds the phrase-aware conversion tables; nothing here is a table of ours.

    >>> to_traditional("七言绝句")
    '七言絕句'
    >>> to_simplified("七言絕句")
    '七言绝句'
"""

import functools

SCRIPTS = ("simplified", "traditional")
# the Han characters (CJK unified ideographs, extension A, compatibility ideographs), as a regex class body
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@functools.lru_cache(maxsize=None)
def _converter(config):
    try:
        import opencc
    except ImportError:
        raise ValueError("converting between simplified and traditional Chinese needs OpenCC: pip install opencc") \
            from None
    return opencc.OpenCC(config)


def to_simplified(text):
    """``text`` with traditional characters replaced by simplified ones (OpenCC ``t2s``)."""
    return _converter("t2s").convert(text) if text else text


def to_traditional(text):
    """``text`` with simplified characters replaced by traditional ones (OpenCC ``s2t``)."""
    return _converter("s2t").convert(text) if text else text


def check_script(script):
    """``script`` if it is one of ``SCRIPTS`` or None; ValueError naming the choices otherwise."""
    if script is not None and script not in SCRIPTS:
        raise ValueError(f"script must be one of {SCRIPTS} or None, received script={script!r}")
    return script


def convert_script(text, script):
    """``text`` in ``script`` (``"simplified"`` or ``"traditional"``); ``None`` leaves it as it is."""
    if check_script(script) is None:
        return text
    return to_simplified(text) if script == "simplified" else to_traditional(text)


def script_of(text):
    """``"simplified"``, ``"traditional"``, ``"both"`` (characters only one script writes, of each kind) or
    ``None`` (no character that tells them apart, as in 我们 vs 我們: 我 is in both)."""
    simplified = to_traditional(text) != text  # it has characters that traditional writing changes
    traditional = to_simplified(text) != text
    if simplified and traditional:
        return "both"
    return "simplified" if simplified else "traditional" if traditional else None
