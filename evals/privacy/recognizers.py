"""Recognizers for structured PII: a cheap regular expression finds candidates, Python verifies them.

Each ``find_*`` function takes the text and returns a list of `Finding`. Patterns are written to run
in linear time: every repetition is bounded or is a single character class followed by something it
cannot match, candidates are anchored with a look-behind so a run of digits or letters is tried once,
not at every offset, and the expensive checks (checksums, `ipaddress`) run only on candidates.
Patterns use ``re.ASCII`` so Chinese characters count as boundaries ("手机13812345678" holds a phone
number) and only ASCII digits are digits.
"""

import ipaddress
import re

from evals.privacy.checksums import IBAN_LENGTHS, cn_id_valid, iban_valid, luhn_valid, us_ssn_valid
from evals.privacy.finding import Finding


def literal_alternation(words):
    """A regex matching any of ``words`` (also capitalized), as a trie: ``(?:d(?:ear|ob)|h(?:i|ello))``.

    Every branch starts with a literal character, so a pattern that starts with it lets the regex
    engine skip ahead to where one of those characters occurs, and at each such place only the few
    branches sharing a first character are tried, not every word; ``(?i:...)`` or a flat list of
    words would make it try the whole alternation at every position, several times slower. Longer
    words are preferred where one word is a prefix of another.
    """
    trie = {}
    for word in words:
        for form in (word, word[:1].upper() + word[1:]):
            node = trie
            for ch in form:
                node = node.setdefault(ch, {})
            node[""] = {}

    def emit(node):
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            branches.append("")  # a word ends here; longer words were tried first
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(trie)


def initials(words):
    """A look-ahead for the first characters of ``words`` (also capitalized): ``(?=[DHdh])``.

    Put before `literal_alternation` where the pattern does not start with it (after a blank, say):
    one character-set test then turns most positions away, instead of one test per branch.
    """
    if not words or not all(words):
        raise ValueError(f"words must be non-empty strings, received words={words!r}")
    return "(?=[" + re.escape("".join(sorted({c for w in words for c in (w[:1], w[:1].upper())}))) + "])"


_CONTEXT_PATTERNS = {}


def has_context(text, start, keywords, window=48):
    """Whether any of ``keywords`` (lower case) occurs in the ``window`` characters before ``start``."""
    before = text[max(0, start - window):start].lower()
    try:
        pattern = _CONTEXT_PATTERNS[keywords]
    except (KeyError, TypeError):  # first use of this tuple, or an unhashable list
        if not isinstance(keywords, tuple):
            return any(k in before for k in keywords)
        # One search for all keywords: cheaper than one substring test per keyword.
        pattern = _CONTEXT_PATTERNS[keywords] = re.compile("|".join(map(re.escape, keywords)))
    return pattern.search(before) is not None


# --- email -----------------------------------------------------------------------------------------
# Anchored on "@": the domain is matched forwards by a regex, the local part walked backwards in
# Python, so a long run of letters without "@" costs nothing.
_EMAIL_DOMAIN = re.compile(r"@((?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24})"
                           r"(?![A-Za-z0-9\-])")
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-'")


def find_emails(text):
    """Email addresses with an ASCII local part and a dotted domain."""
    out = []
    if "@" not in text:
        return out
    for m in _EMAIL_DOMAIN.finditer(text):
        at = m.start()
        i, lo = at, max(0, at - 64)
        while i > lo and text[i - 1] in _EMAIL_LOCAL:
            i -= 1
        while i < at and text[i] in ".'-":  # a local part cannot start with these
            i += 1
        if i < at:
            out.append(Finding(i, m.end(), "EMAIL", 0.95))
    return out


# --- phone -----------------------------------------------------------------------------------------
# The first character is matched before the look-behind: a pattern that starts with a character
# set lets the regex engine skip quickly to the next candidate position instead of trying each one.
_PHONE = re.compile(
    r"([+(\d](?<![\w+/.\-][+(\d])(?:(?<=\()\+?)?[\d \u00a0().\-/]{6,25}(?<=\d))"
    r"(?:[ \u00a0]{0,2}(?:x|ext\.?|extension|#|分机)[ \u00a0]{0,2}\d{1,6})?(?![\w])", re.ASCII)
_PHONE_CONTEXT = ("phone", "tel", "call", "mobile", "cell", "fax", "contact", "reach", "whatsapp", "sms",
                  "電話", "电话", "手机", "致电", "联系", "telefon", "handy", "anruf", "tél", "portable", "appel")
_DATE_SHAPE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{3}-\d{2}-\d{4}", re.ASCII)
_DIGIT_RUN = re.compile(r"\d+", re.ASCII)
_CN_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)


def _phone_score(cand):
    """Score a phone candidate (extension already stripped), or 0 when it is some other number."""
    groups = _DIGIT_RUN.findall(cand)
    n = sum(map(len, groups))
    international = cand[0] == "+" or cand.startswith("(+") or (groups[0].startswith("00") and len(groups) > 1)
    if not 7 <= n <= 15 or (n < 8 and international):
        return 0.0
    if _DATE_SHAPE.fullmatch(cand):
        return 0.0  # dates, and the SSN shape the SSN recognizer owns
    if "." in cand and (len(groups) == 4 and max(map(len, groups)) <= 3 or len(groups) == 2 and cand.isascii()
                        and not any(c in cand for c in " -()")):
        return 0.0  # a dotted quad (IPv4) or a decimal number such as 3.14159265
    if international:
        return 0.9
    if "(" in cand and ")" in cand:
        return 0.8
    if len(groups) == 1:
        if _CN_MOBILE.fullmatch(cand):
            return 0.75
        return 0.6 if n in (10, 11) else 0.0
    if len(groups) == 2 and all(len(g) == 4 and g.startswith(("19", "20")) for g in groups):
        return 0.0  # a range of years, 1990-2010
    if len(groups) > 2 and min(map(len, groups[1:])) == 1:
        return 0.0  # a list of small numbers, not a grouped phone number ("1-800-..." may start with one)
    if len(groups) >= 3 and all(len(g) == 4 for g in groups):
        return 0.5  # 4-4-4(-4) is how card numbers are printed; a Luhn-valid card outranks this
    return 0.75 if len(groups) >= 3 else 0.6


def find_phones(text):
    """Phone numbers: +CC international, national with area codes or parentheses, and extensions."""
    out = []
    for m in _PHONE.finditer(text):
        score = _phone_score(m.group(1))
        if score:
            if score < 0.95 and has_context(text, m.start(), _PHONE_CONTEXT):
                score = min(0.95, score + 0.15)
            out.append(Finding(m.start(), m.end(), "PHONE", score))
    return out


# --- credit card -----------------------------------------------------------------------------------
_CARD = re.compile(r"\d(?<![\w.+\-]\d)(?:[ \-]?\d){11,18}(?![\w])", re.ASCII)
# Issuer prefixes (IINs) of the common networks; a Luhn-valid number with another prefix is still
# reported, at a lower score, because the Luhn check alone already rejects 90% of random numbers.
_CARD_PREFIXES = ("4", "51", "52", "53", "54", "55", "22", "23", "24", "25", "26", "27", "34", "37", "300",
                  "301", "302", "303", "304", "305", "36", "38", "35", "6011", "65", "644", "645", "646",
                  "647", "648", "649", "62", "5018", "5020", "5038", "56", "57", "58", "6304", "6759",
                  "6761", "6762", "6763", "0604", "6390", "2131", "1800")
_CARD_SEP = re.compile(r"[ \-]")
_CARD_CONTEXT = ("card", "visa", "mastercard", "amex", "credit", "debit", "payment", "paid", "karte", "carte",
                 "卡", "信用")


def find_credit_cards(text):
    """Payment card numbers of 12-19 digits, contiguous or in groups, that pass the Luhn check."""
    out = []
    for m in _CARD.finditer(text):
        cand = m.group()
        digits = cand.replace(" ", "").replace("-", "")
        groups = _CARD_SEP.split(cand)
        if len(groups) > 1 and any(len(g) < 3 or len(g) > 6 for g in groups[:-1]):
            continue  # "1 2 3 4 ..." is a list of numbers, not a grouped card number
        if not luhn_valid(digits):
            continue
        score = 0.9 if digits.startswith(_CARD_PREFIXES) else 0.6
        if has_context(text, m.start(), _CARD_CONTEXT):
            score = min(0.95, score + 0.1)
        out.append(Finding(m.start(), m.end(), "CREDIT_CARD", score))
    return out


# --- IBAN ------------------------------------------------------------------------------------------
_IBAN = re.compile(r"[A-Z](?<![A-Za-z0-9][A-Z])[A-Z]\d{2}(?: ?[A-Z0-9]){11,32}(?![a-z0-9])", re.ASCII)
# the same in lower case (``gb82 west 1234 ...``, as typed in a chat), checked in upper case. The match
# starts at the check digits, the country code read by the look-behind: a scan that starts at a letter
# tries nearly every position of lower-case prose (6.4 ms against 3.4 ms on the bench's dense documents)
_IBAN_LOWER = re.compile(r"\d(?<=\b[a-z][a-z]\d)\d(?: ?[a-z0-9]){11,32}(?![A-Za-z0-9])", re.ASCII)


def _iban_candidates(text):
    """(start, end) of every upper-case and every lower-case IBAN-shaped run."""
    for m in _IBAN.finditer(text):
        yield m.start(), m.end()
    for m in _IBAN_LOWER.finditer(text):
        yield m.start() - 2, m.end()


def find_ibans(text):
    """IBANs, compact or printed in groups of four, in upper or lower case, that pass the mod-97 check."""
    out = []
    for start, end in _iban_candidates(text):
        cand = text[start:end].upper()
        if not "02" <= cand[2:4] <= "98":
            continue  # mod-97 check digits are never 00, 01 or 99
        # offsets of the alphanumeric characters, so a prefix of the compact form maps to a span
        pos = [i for i, c in enumerate(cand) if c != " "]
        compact = cand.replace(" ", "")
        expected = IBAN_LENGTHS.get(compact[:2])
        # The registry length first (it drops trailing capitals glued on), then the end of each
        # printed group, longest first: a printed IBAN's last group may be followed by capitals.
        ends = {len(compact)} | {pos.index(i - 1) + 1 for i, c in enumerate(cand) if c == " "}
        lengths = ([expected] if expected and expected <= len(compact) else []) + sorted(ends, reverse=True)
        for n in lengths:
            if n >= 15 and iban_valid(compact[:n]):
                out.append(Finding(start, start + pos[n - 1] + 1, "IBAN", 0.95 if n == expected else 0.9))
                break
    return out


# --- IP addresses ----------------------------------------------------------------------------------
_IPV4 = re.compile(r"\d(?<![\w.]\d)\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\d|\.\d)", re.ASCII)
# IPv6 is found from a seed ("x:y:" or "::"), then grown over hex digits, colons and dots both ways;
# times such as 10:30:00 are seeds too, but `ipaddress` rejects them.
_IPV6_SEED = re.compile(r":[0-9A-Fa-f]{0,4}:", re.ASCII)
_IPV6_CHARS = frozenset("0123456789abcdefABCDEF:.")
_IPV6_RUN = re.compile(r"[0-9A-Fa-f:.]*", re.ASCII)
_WORDISH = re.compile(r"[A-Za-z0-9_]", re.ASCII)


def _ipv4_ok(cand):
    return all(int(o) <= 255 and (o == "0" or o[0] != "0") for o in cand.split("."))


def find_ip_addresses(text):
    """IPv4 dotted quads and IPv6 addresses (validated by `ipaddress`, at least three groups)."""
    out = [Finding(m.start(), m.end(), "IP_ADDRESS", 0.85) for m in _IPV4.finditer(text) if _ipv4_ok(m.group())]
    done = 0
    for m in _IPV6_SEED.finditer(text):
        if m.start() < done:
            continue
        start, end = m.start(), _IPV6_RUN.match(text, m.start()).end()
        while start > end - 46 and start and text[start - 1] in _IPV6_CHARS:
            start -= 1
        done = end
        if end - start > 45:
            continue  # longer than any IPv6 address: a run of hex digits and colons
        while start < end and text[start] in ".":
            start += 1
        while end > start and text[end - 1] in ".:":
            end -= 1
        cand = text[start:end]
        if (start and _WORDISH.match(text, start - 1)) or (end < len(text) and _WORDISH.match(text, end)):
            continue  # glued to a word: part of an identifier, not an address
        if sum(1 for g in cand.split(":") if g) < 3:
            continue  # "::1", "a::b" are not personal addresses
        try:
            ipaddress.IPv6Address(cand)
        except ValueError:
            continue
        out.append(Finding(start, end, "IP_ADDRESS", 0.9))
    return out


# --- URL -------------------------------------------------------------------------------------------
_URL = re.compile(r"[hHfFwW](?i:ttps?://|tp://|ww\.)[A-Za-z0-9\-._~:/?#@!$&*+,;=%\[\]]{2,2048}", re.ASCII)


def find_urls(text):
    """Web addresses starting with a scheme or ``www.``; trailing punctuation is left out."""
    out = []
    if "://" not in text and "ww." not in text and "WW." not in text:
        return out
    for m in _URL.finditer(text):
        if m.start() and _WORDISH.match(text, m.start() - 1):
            continue  # "xhttp://" or "awww." are not the start of an address
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?]":
            end -= 1
        out.append(Finding(m.start(), end, "URL", 0.8))
    return out


# --- US SSN ----------------------------------------------------------------------------------------
_SSN = re.compile(r"(\d(?<![\w\-]\d)\d\d)([\- ]?)(\d{2})\2(\d{4})(?![\w\-])", re.ASCII)
_SSN_CONTEXT = ("ssn", "social security", "social-security", "ss#", "ss #", "taxpayer")


def find_us_ssns(text):
    """US Social Security numbers; dashed ones by shape, bare nine digits only next to "SSN"."""
    out = []
    for m in _SSN.finditer(text):
        area, sep, group, serial = m.groups()
        if not us_ssn_valid(area, group, serial):
            continue
        score = {"-": 0.85, " ": 0.6}.get(sep, 0.3)
        if has_context(text, m.start(), _SSN_CONTEXT):
            score = min(0.95, score + 0.4)
        out.append(Finding(m.start(), m.end(), "US_SSN", score))
    return out


# --- Chinese resident ID ---------------------------------------------------------------------------
_CN_ID = re.compile(r"[1-8](?<!\d[1-8])\d{5}(?:18|19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?!\d)", re.ASCII)


def find_cn_ids(text):
    """18-character Chinese resident ID numbers whose birth date and check character are valid."""
    return [Finding(m.start(), m.end(), "CN_ID", 0.95) for m in _CN_ID.finditer(text) if cn_id_valid(m.group())]
