"""Street-address recognizer for English, German, French and Chinese street addresses.

An address is recognized by its street type: a USPS suffix after a house number and capitalized words
("221 Baker Street", "9032 Michelle Union Suite 011"), a German compound before the number
("Hauptstr. 5", "Walter-Beyer-Ring 3"), a French type word after the number ("81, boulevard de
Nicolas") or a Chinese street and building number ("北京市朝阳区建国路88号"). Cities and postcodes on
their own are left alone: they are rarely identifying without the street. An address with a house
number scores 0.85, as high as a full name, so "12 rue Victor Hugo" stays one address when the
overlap is resolved (equal scores: the longer span wins).
"""

import re

from evals.privacy.finding import Finding
from evals.privacy.names import name_lists
from evals.privacy.recognizers import initials, literal_alternation

_UPPER = "A-ZÀ-ÖØ-Þ"
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # not \w, which would run on into Chinese text
_WORD = rf"[{_UPPER}][{_LATIN}'’\-]{{0,30}}\.?"
_EN_NUMBERED = re.compile(rf"[0-9](?<![{_LATIN}0-9_.,/\-][0-9])[0-9]{{0,5}}[A-Za-z]?(?:-[0-9]{{1,4}})?,?[ \t]+"
                          rf"((?:{_WORD}[ \t]+){{0,4}}{_WORD})")
_EN_UNIT = re.compile(rf"[FSAU](?<![A-Za-z][FSAU])(?:lat|tudio|partment|nit)[ \t]+[0-9]{{1,5}}[A-Za-z]?,?[ \t\n]+"
                      rf"((?:{_WORD}[ \t]+){{0,3}}{_WORD})")
_EN_UNIT_AFTER = re.compile(r",?[ \t]+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Room|#)[ \t]*#?\d{1,6}[A-Za-z]?")
# Abbreviations the USPS list (which has full words) leaves out, plus British and Irish types.
_EN_ABBREVIATIONS = frozenset("St Ave Av Rd Blvd Dr Ln Ct Pl Sq Ter Terr Pkwy Hwy Cir Cres Crescent Close Mews "
                              "Gardens Grove Row Walk Wharf Yard Hwy Expy Fwy".split())
# German street types end the word before the house number ("Hauptstr. 5", "Walter-Beyer-Ring 3");
# the pattern starts at the number, which is rare in text, and the word is checked in Python.
_DE_TYPES_ALL = ("straße", "strasse", "str.", "weg", "gasse", "allee", "ring", "platz", "damm", "ufer", "chaussee",
                 "steig", "pfad", "markt")
# After a cheap look-behind (the last letter of some street type, then a blank), one fixed-width look-behind
# per street type (either case of its first letter) keeps only numbers right after a street type, so few
# candidates reach Python.
_DE_BEHIND = "|".join(f"(?<={re.escape(t)} [0-9])" for t in
                      sorted({f for t in _DE_TYPES_ALL for f in (t, t.title())}, key=lambda t: (-len(t), t)))
_DE_LAST = re.escape("".join(sorted({t[-1] for t in _DE_TYPES_ALL})))  # "e" of "straße", "." of "str.", ...
_DE = re.compile(rf"[0-9](?<=[{_DE_LAST}] [0-9])(?:" + _DE_BEHIND +
                 r")[0-9]{0,3}[a-zA-Z]?(?:[-/][0-9]{1,4})?(?![A-Za-z0-9])")
_DE_TYPES = _DE_TYPES_ALL
_DE_TYPES_CASED = _DE_TYPES + tuple(t.title() for t in _DE_TYPES)
_FR_TYPES = ("rue", "avenue", "av.", "boulevard", "bd", "chemin", "allée", "place", "impasse", "quai", "route", "cours",
             "square", "passage")
_FR_NAME = (rf"[ \t]+(?:(?:de la|de l'|de|du|des|d'|l')[ \t]*)?[{_UPPER}][{_LATIN}'’\-]{{0,30}}"
            rf"(?:[ \t]+[{_UPPER}][{_LATIN}'’\-]{{0,30}}){{0,3}}")
# One pass for French addresses: the pattern starts at the blank before the street type, which is
# where the engine tries it; the house number before it, if any, is read back in Python.
_FR = re.compile(rf"[^{_LATIN}0-9_]{initials(_FR_TYPES)}({literal_alternation(_FR_TYPES)}{_FR_NAME})")
_FR_AT_START = re.compile(rf"({literal_alternation(_FR_TYPES)}{_FR_NAME})")  # "Rue ..." opening the text
# Substrings one of which every street type (lower case or capitalized) contains.
_FR_HINTS = ("rue", "Rue", "enue", "v.", "oulevard", "bd", "Bd", "hemin", "llée", "lace", "mpasse", "uai", "oute",
             "ours", "quare", "assage")
assert all(any(h in f for h in _FR_HINTS) for t in _FR_TYPES for f in (t, t[:1].upper() + t[1:]))
_FR_NUMBER = re.compile(r"[0-9]{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+$")
_FR_WITHOUT_NUMBER = frozenset(("rue", "avenue", "boulevard", "chemin", "allée", "impasse", "quai"))
_ZH = re.compile(r"[路街道巷弄里大胡](?:(?<=大)道|(?<=胡)同|(?<=[路街道巷弄里]))"  # 路, 街, 大道, 胡同, ...
                 r"(?:[0-9０-９]{1,5}|[A-Za-z]|[一二三四五六七八九十百]{1,4})(?:号楼|号|座|栋|幢|弄)"
                 r"(?:[0-9A-Za-z一二三四五六七八九十]{1,5}(?:号楼|号|栋|幢|单元|楼|层|室|座)){0,4}")
_DIGIT = re.compile(r"\d")
# Characters that end the walk back from a Chinese street name: verbs and particles before an address.
_ZH_STOP = frozenset("在于是到址往住位寄送的和与从向给：:，,。、 ")


def _suffix_end(m, suffixes):
    """End offset of the last street-type word among the capitalized words of ``m`` (not the first)."""
    words, base = m.group(1), m.start(1)
    end, pos = None, 0
    for k, word in enumerate(words.split()):
        pos = words.index(word, pos) + len(word)
        bare = word.rstrip(".")
        if k and bare in _EN_ABBREVIATIONS:
            end = base + pos  # keep the abbreviation's full stop: "Main St."
        elif k and (bare in suffixes or bare.title() in suffixes):
            end = base + pos - (len(word) - len(bare))
        if word.endswith("."):
            break  # the end of a sentence, or of an abbreviated street type
    return end


def _english(text, out):
    suffixes = name_lists()[4]
    # "Flat 4, Willis Extension": run only where such a word occurs; `in` is far cheaper than a scan.
    units = "Flat" in text or "Studio" in text or "Apartment" in text or "Unit" in text
    for pattern in (_EN_NUMBERED, _EN_UNIT) if units else (_EN_NUMBERED,):
        for m in pattern.finditer(text):
            end = _suffix_end(m, suffixes)
            if end is None:
                continue
            unit = _EN_UNIT_AFTER.match(text, end)
            out.append(Finding(m.start(), unit.end() if unit else end, "ADDRESS", 0.85))


def _german(text, out):
    for m in _DE.finditer(text):
        end = start = m.start() - 1  # the blank before the number
        if not text.endswith(_DE_TYPES_CASED, max(0, end - 8), end):
            continue
        lo = max(0, end - 60)
        while start > lo and (text[start - 1].isalpha() or text[start - 1] in "-."):
            start -= 1
        word = text[start:end].lower()
        suffix = next((t for t in _DE_TYPES if word.endswith(t)), None)
        if suffix and len(word) > len(suffix) and text[start].isupper():  # a name before the type
            out.append(Finding(start, m.end(), "ADDRESS", 0.85))


def _french(text, out):
    for hint in _FR_HINTS:
        if hint in text:
            break
    else:
        return  # no street type: `in` tests are cheaper than a scan that starts at every blank
    first = _FR_AT_START.match(text)
    for m in ([first] if first else []) + list(_FR.finditer(text)):
        number = _FR_NUMBER.search(text, max(0, m.start(1) - 12), m.start(1))
        if number:
            out.append(Finding(number.start(), m.end(), "ADDRESS", 0.85))
        elif m.group(1).split(None, 1)[0].lower() in _FR_WITHOUT_NUMBER:
            out.append(Finding(m.start(1), m.end(), "ADDRESS", 0.6))  # no house number: less certain


def _chinese(text, out):
    for m in _ZH.finditer(text):
        start, lo = m.start(), max(0, m.start() - 20)
        while start > lo and "\u4e00" <= text[start - 1] <= "\u9fff" and text[start - 1] not in _ZH_STOP:
            start -= 1
        if start < m.start():
            out.append(Finding(start, m.end(), "ADDRESS", 0.85))


def find_addresses(text):
    """Street addresses in English, German, French and Chinese formats."""
    out = []
    if _DIGIT.search(text):  # every English and German address has a house number
        _english(text, out)
        _german(text, out)
    if not text.isascii():  # O(1) for ASCII text, which holds no Chinese street ("谢路M座" may hold no digit)
        _chinese(text, out)
    _french(text, out)
    return out
