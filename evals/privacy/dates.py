"""Date-of-birth recognizer: a date counts as personal only right after a birth cue.

Dates alone are everywhere (meeting times, release dates), so only a date that follows "born on",
"DOB:", "date of birth", "geboren am", "né le", "出生于", "生日" and similar is reported. The span is
the date itself, not the cue. Formats: ISO (1990-05-03), numeric with / . - (03/05/1990), day-month
and month-day with English, German or French month names, and Chinese (1990年5月3日).
"""

import re

from evals.privacy.finding import Finding
from evals.privacy.recognizers import literal_alternation

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
    "|januar|februar|märz|maerz|juni|juli|oktober|dezember"
    "|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
)
_DATE = (
    r"\d{4}[ ]?年[ ]?\d{1,2}[ ]?月[ ]?\d{1,2}[ ]?[日号]"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)"
    r"|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})(?!\d)"
    rf"|\d{{1,2}}(?:st|nd|rd|th|er|\.)?(?:[ ]+of)?[ ]+(?:{_MONTHS})\.?,?[ ]+\d{{4}}"
    rf"|(?:{_MONTHS})\.?[ ]+\d{{1,2}}(?:st|nd|rd|th)?,?[ ]+\d{{4}}"
)
# Every cue branch starts with a literal (see `literal_alternation`), so the scan skips ahead fast.
_CUES = literal_alternation((
    "born on", "born", "date of birth", "d.o.b.", "d.o.b", "dob", "DOB", "D.O.B.", "birth date", "birthdate",
    "birthday is", "birthday", "geboren am", "geboren", "geburtsdatum", "geb.", "né le", "née le", "date de naissance",
    "出生于", "出生日期", "出生在", "出生", "生日是", "生日"))
_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_DOB = re.compile(rf"{_CUES}[ \t]{{0,3}}[:：,]?[ \t]{{0,3}}(?:on[ ]+|the[ ]+|am[ ]+|le[ ]+|为|是)?((?i:{_DATE}))",
                  re.ASCII)


def find_dates_of_birth(text):
    """Dates right after a birth cue in English, German, French or Chinese."""
    return [Finding(m.start(1), m.end(1), "DATE_OF_BIRTH", 0.85) for m in _DOB.finditer(text)
            if not (m.start() and _LETTER.match(text, m.start() - 1))]  # "stubborn" holds no cue
