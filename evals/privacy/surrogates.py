"""Surrogates: each found entity replaced by a realistic fake of the same kind and shape.

A placeholder (``[PERSON]``) tells a reader what was there but changes the text a model reads; a
surrogate keeps the text natural ("Jane: see you at 5" becomes "Mary: see you at 5"), so a model
scored on sanitized data sees the kind of input it was trained on.

- PERSON: every word of a name is replaced on its own, a first name by a first name and a surname by
  a surname from ``data/names.json`` (ASCII names for ASCII names, else names of the same script where
  the lists have one, else Latin), so "Jane Smith" and a later "Jane" stay the same person. Initials stay
  initials ("J." becomes another letter and a dot), titles and particles ("Mr.", "van") stay, and the
  case pattern of each word is kept ("tom" gives a lower-case name, "TOM" an upper-case one). A
  Chinese name becomes a Chinese name of the same length: surname and given name replaced apart.
- ADDRESS: house numbers get other digits, street names become other names, street types and unit
  words stay ("221 Baker Street" becomes "47 Lindqvist Street"); a Chinese address keeps its
  structure characters (市, 区, 路, 号...) and gets other place characters and digits.
- Structured types keep their format with another value: EMAIL a fake user at example.com, .org or
  .net (RFC 2606); PHONE every digit replaced but a leading dialling prefix 0/00, separators and the
  ``+`` kept; CREDIT_CARD the same grouping and first digit (the card network), Luhn-valid; IBAN the
  same country and length with valid mod-97 check digits; IP_ADDRESS a documentation address
  (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, RFC 5737; 2001:db8::/32, RFC 3849); URL
  ``https://example.com/`` and a short path; US_SSN the same layout with an area number 900-999 and a
  group number 01-49, which the SSA never issues and the IRS does not use for ITINs, so a surrogate
  cannot be anyone's number (and the US_SSN recognizer rejects it); CN_ID 18 characters with a real
  province code, a valid birth date and a valid GB 11643 check character; DATE_OF_BIRTH another date
  in the same format (same separators, field widths and month-name language); SECRET a random string
  of the same length and alphabet (hex stays hex), keeping a vendor prefix ("ghp_") and PEM headers.

Each distinct (type, normalized value) gets one surrogate per `Surrogates` object, chosen by an
HMAC-SHA256 of the normalized value keyed by the salt: the same salt gives the same surrogates in every
run, another salt others. Values are normalized as `Pseudonymizer` does (compact for numbers, casefold
and collapsed blanks otherwise), and the output takes the case and separators of each occurrence.
Within one object two different values of a type never share a surrogate, and a surrogate never
equals its original (compared normalized).

Limits: the fakes are found again by the recognizers (they are realistic on purpose, except US_SSN),
so a second sanitizing pass counts them; gender and nationality of a name are not kept; a surrogate
may coincide with another real value of the data (a real "Mary" and Jane's surrogate "Mary").
"""

import datetime
import functools
import hashlib
import hmac
import ipaddress
import random
import re
import unicodedata

from evals.privacy.addresses import _DE_TYPES, _EN_ABBREVIATIONS, _FR_TYPES
from evals.privacy.checksums import _CN_ID_CHECK, _CN_ID_WEIGHTS, _CN_PROVINCES, luhn_valid
from evals.privacy.names import _PARTICLES, _TITLES, _WEAK, name_lists
from evals.privacy.operators import _SEPARATORS, make_salt, normalize

# Draws per value before the generators widen their pools (compound names, more network ranges):
# collisions are resolved by drawing again, and a pool smaller than the data runs out.
_WIDEN_AFTER = 24
_MAX_ATTEMPTS = 400

_BLANKS = re.compile(r"\s+")
_WORD_OR_NUMBER = re.compile(r"[^\W\d_]+|\d+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_INITIAL = re.compile(r"[^\W\d_]\.?")
_ZH_DIGITS = "一二三四五六七八九十"

# Compound surnames: names.json has only 欧阳, too few to replace it with another.
_ZH_COMPOUND_SURNAMES = ("上官", "东方", "令狐", "公孙", "司徒", "司马", "夏侯", "慕容", "欧阳", "皇甫", "端木", "诸葛",
                         "长孙", "宇文", "尉迟")
# Characters of Chinese place and street names, and those that give an address its structure (kept).
_ZH_PLACE_CHARS = "东西南北中新华光明和平建设人民解放长江黄河山海湖城阳安宁康泰兴福金银春秋松柏桂兰文武龙凤星月"
_ZH_ADDRESS_KEEP = frozenset("省市区县镇乡村路街道巷弄里号楼座栋幢单元层室胡同大院期")
# Words of a Latin address that stay: street types and the words around house and unit numbers.
_DE_SUFFIXES = tuple(sorted({t.rstrip(".") for t in _DE_TYPES}, key=len, reverse=True))
_ADDRESS_WORDS = frozenset("de du des la le l d bis ter apt apartment suite ste unit flat room studio no nr".split())

_DOC_NETS_V4 = ("192.0.2", "198.51.100", "203.0.113")  # RFC 5737
_EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")  # RFC 2606
_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_SECRET_PREFIX = re.compile(r"sk-(?:proj-|ant-(?:api\d\d-)?)?|[spr]k_(?:live|test)_|gh[pousr]_|github_pat_|AKIA|ASIA"
                            r"|xox[abposr]-|AIza|glpat-|hf_|npm_|eyJ")
_HEX_SECRET = re.compile(r"[0-9a-fA-F\-]+")

_MONTH_TABLES = (
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "januar februar maerz april mai juni juli august september oktober november dezember",
)
_MONTH_TABLES = tuple(t.split() for t in _MONTH_TABLES)
_MONTHS = {"sept": (1, 8)}  # month word -> (table, index); the first table holding a word is its language
for _t, _table in enumerate(_MONTH_TABLES):
    for _i, _word in enumerate(_table):
        _MONTHS.setdefault(_word, (_t, _i))
_ORDINALS = ("st", "nd", "rd", "th")


class Surrogates:
    """Maps each distinct (type, value) to a stable, realistic fake of the same kind and shape.

    Mirrors `Pseudonymizer`: an HMAC-SHA256 of the normalized value keyed by the salt picks the fake,
    so equal values get equal fakes wherever one object (or one salt) is used. See the module
    docstring for what each entity type becomes.

    Args:
        salt: Key for the HMAC: ``None`` (random, so surrogates are consistent only within this
            object), ``str`` or ``bytes``.

    Example:
        >>> s = Surrogates(salt="s")
        >>> s("PERSON", "Jane") == s("PERSON", "jane").title() != s("PERSON", "Bo")
        True
        >>> s("PERSON", "Jane Smith").split()[0] == s("PERSON", "Jane")
        True
    """

    def __init__(self, salt=None):
        self.salt = make_salt(salt)
        self._given = {}  # (type, normalized value) -> the surrogate as first made
        self._picked = {}  # namespace -> {normalized value -> fake}
        self._taken = {}  # namespace -> normalized fakes handed out
        self._cycles = {}  # alphabet -> {letter: letter}, for initials

    def __call__(self, entity_type, value):
        key = (entity_type, normalize(entity_type, value))
        made = self._given.get(key)
        if made is None:
            make = getattr(self, f"_make_{entity_type.lower()}", None)
            if make is None:
                raise ValueError(f"entity_type must be one of the sanitizer's types, received {entity_type!r}")
            made = self._given[key] = make(key[1], value)
        return _render(entity_type, made, value)

    # --- the keyed draw -----------------------------------------------------------------------------
    def _rng(self, namespace, key, attempt):
        message = f"{namespace}\x00{key}\x00{attempt}".encode("utf-8", "surrogatepass")
        return random.Random(int.from_bytes(hmac.new(self.salt, message, hashlib.sha256).digest(), "big"))

    def _unique(self, namespace, key, draw, norm=str.casefold):
        """The fake of ``key``: ``draw(rng, wide)`` again until it is new in ``namespace`` and differs from ``key``.

        ``norm`` maps a fake to the form compared with ``key`` and with the fakes already taken.
        """
        picked = self._picked.setdefault(namespace, {})
        if key in picked:
            return picked[key]
        taken = self._taken.setdefault(namespace, set())
        for attempt in range(_MAX_ATTEMPTS):
            fake = draw(self._rng(namespace, key, attempt), attempt >= _WIDEN_AFTER)
            seen = norm(fake)
            if seen != key and seen not in taken:
                picked[key] = fake
                taken.add(seen)
                return fake
        raise AssertionError(f"no new {namespace} surrogate in {_MAX_ATTEMPTS} draws")

    # --- names --------------------------------------------------------------------------------------
    def _make_person(self, key, value):
        text = " ".join(value.split())
        if all(_HAN.match(c) for c in text.replace(" ", "")):
            return self._chinese_name(text.replace(" ", ""))
        words = text.split(" ")
        kinds = [_word_kind(w) for w in words]
        if all(k == "keep" for k in kinds):
            kinds = ["name"] * len(words)  # nothing else to replace: the titles are the name
        names = [i for i, k in enumerate(kinds) if k == "name"]
        out = []
        for i, (word, kind) in enumerate(zip(words, kinds)):
            if kind == "keep":
                out.append(word)
            elif kind == "initial":
                out.append(self._initial(word[0]) + word[1:])
            else:
                role = _role(word, i, names, kinds)
                out.append("-".join(self._name_part(p, role) if p else p for p in word.split("-")))
        return " ".join(out)

    def _name_part(self, part, role):
        bare = part.rstrip(".")
        pool = _name_pool(role, _script(bare))

        def draw(rng, wide):
            return rng.choice(pool) + ("-" + rng.choice(pool) if wide else "")

        # keyed by the word alone, whatever its role, so "Jane Smith" and "Jane" keep one first name
        return self._unique("PERSON name", bare.casefold(), draw) + part[len(bare):]

    def _initial(self, letter):
        low = letter.casefold()
        for alphabet in _alphabets():
            if low in alphabet:
                break
        else:
            alphabet, low = _alphabets()[0], "x"  # outside every alphabet: any other letter will do
        cycle = self._cycles.get(alphabet)
        if cycle is None:
            # one salted cycle through the whole alphabet: distinct initials stay distinct, none maps to itself
            order = sorted(alphabet, key=lambda c: hmac.new(self.salt, f"initial\x00{c}".encode(), hashlib.sha256)
                           .digest())
            cycle = self._cycles[alphabet] = {c: order[(i + 1) % len(order)] for i, c in enumerate(order)}
        return cycle[low]

    def _chinese_name(self, text):
        surnames, given = name_lists()[2:4]
        n = 2 if len(text) > 2 and text[:2] in surnames else 1
        surname, rest = text[:n], text[n:]
        pool = sorted(s for s in surnames if len(s) == 1) if n == 1 else list(_ZH_COMPOUND_SURNAMES)
        chars = sorted({c for g in given for c in g})

        def draw_surname(rng, wide):
            if not wide:
                return rng.choice(pool)
            return "".join(rng.choice(chars) for _ in range(n))  # the surnames are spent: rarer characters

        out = self._unique(f"PERSON zh surname {n}", surname, draw_surname)
        if rest:
            names = sorted(g for g in given if len(g) == len(rest))

            def draw_given(rng, wide):
                if names and not wide:
                    return rng.choice(names)
                return "".join(rng.choice(chars) for _ in rest)

            out += self._unique(f"PERSON zh given {len(rest)}", rest, draw_given)
        return out

    # --- addresses ----------------------------------------------------------------------------------
    def _make_address(self, key, value):
        text = " ".join(value.split())
        chinese = bool(_HAN.search(text))
        pool = _name_pool("last", "ascii" if text.isascii() else "latin")

        def draw(rng, wide):
            if chinese:
                return "".join(_zh_address_char(c, rng, wide) for c in text)
            return _WORD_OR_NUMBER.sub(lambda m: _address_word(m.group(), rng, pool, wide), text)

        return self._unique("ADDRESS", key, draw, norm=lambda fake: normalize("ADDRESS", fake))

    # --- structured types ---------------------------------------------------------------------------
    def _make_email(self, key, value):
        firsts, lasts = _plain_names("first"), _plain_names("last")

        def draw(rng, wide):
            user = f"{rng.choice(firsts)}.{rng.choice(lasts)}" if rng.random() < 0.7 else \
                f"{rng.choice(firsts)}{rng.randrange(10, 100)}"
            if wide:
                user += str(rng.randrange(100, 10000))
            return f"{user}@{rng.choice(_EXAMPLE_DOMAINS)}"

        return self._unique("EMAIL", key, draw)

    def _make_phone(self, key, value):
        def draw(rng, wide):
            out, leading = [], True
            for c in key:
                if not c.isdigit():
                    out.append(c)
                elif leading and c == "0":
                    out.append("0")  # the trunk or international prefix (0, 00) is no part of the number
                else:
                    out.append(str(rng.randrange(1, 10) if leading else rng.randrange(10)))
                    leading = False
            return "".join(out)

        return self._unique("PHONE", key, draw, norm=str.upper)

    def _make_credit_card(self, key, value):
        def draw(rng, wide):
            body = key[0] + "".join(str(rng.randrange(10)) for _ in key[1:-1])
            return next(body + d for d in "0123456789" if luhn_valid(body + d))

        return self._unique("CREDIT_CARD", key, draw, norm=str.upper)

    def _make_iban(self, key, value):
        def draw(rng, wide):
            bban = "".join(str(rng.randrange(10)) if c.isdigit() else chr(65 + rng.randrange(26)) for c in key[4:])
            return f"{key[:2]}{98 - _iban_remainder(bban + key[:2] + '00'):02d}{bban}"

        return self._unique("IBAN", key, draw, norm=str.upper)

    def _make_ip_address(self, key, value):
        def draw(rng, wide):
            if ":" in key:
                return ipaddress.IPv6Address((0x20010DB8 << 96) | rng.getrandbits(96)).compressed
            if wide:  # the 762 documentation hosts are spent: the benchmarking range 198.18.0.0/15 (RFC 2544)
                return f"198.{rng.randrange(18, 20)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            return f"{rng.choice(_DOC_NETS_V4)}.{rng.randrange(1, 255)}"

        return self._unique("IP_ADDRESS", key, draw)

    def _make_url(self, key, value):
        def draw(rng, wide):
            return "https://example.com/" + "".join(rng.choice(_ALNUM) for _ in range(12 if wide else 8))

        return self._unique("URL", key, draw)

    def _make_us_ssn(self, key, value):
        def draw(rng, wide):
            return f"9{rng.randrange(100):02d}{rng.randrange(1, 50):02d}{rng.randrange(1, 10000):04d}"

        return self._unique("US_SSN", key, draw, norm=str.upper)

    def _make_cn_id(self, key, value):
        provinces = sorted(_CN_PROVINCES)

        def draw(rng, wide):
            born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20454))  # to 2005-12-31
            body = (f"{rng.choice(provinces):02d}{rng.randrange(1, 21):02d}{rng.randrange(1, 31):02d}"
                    f"{born:%Y%m%d}{rng.randrange(1000):03d}")
            return body + _CN_ID_CHECK[sum(int(d) * w for d, w in zip(body, _CN_ID_WEIGHTS)) % 11]

        return self._unique("CN_ID", key, draw, norm=str.upper)

    def _make_date_of_birth(self, key, value):
        text = " ".join(value.split())
        return self._unique("DATE_OF_BIRTH", key, lambda rng, wide: _fake_date(text, rng),
                            norm=lambda fake: normalize("DATE_OF_BIRTH", fake))

    def _make_secret(self, key, value):
        return self._unique("SECRET", key, lambda rng, wide: _fake_secret(value, rng, wide),
                            norm=lambda fake: normalize("SECRET", fake))


# --- rendering: the case and the separators of each occurrence ----------------------------------------
def _render(entity_type, made, value):
    """``made`` (the surrogate as first made) with the case pattern and separators of ``value``."""
    if entity_type in ("PHONE", "CREDIT_CARD", "IBAN", "US_SSN", "CN_ID"):
        return _lay_out(made, value)
    if entity_type in ("EMAIL", "URL", "IP_ADDRESS"):
        letters = [c for c in value if c.isalpha()]
        return made.upper() if len(letters) > 1 and all(c.isupper() for c in letters) else made
    if entity_type == "SECRET":
        if len(made) != len(value):
            return made
        return "".join(m.upper() if v.isupper() else m.lower() if v.islower() else m for m, v in zip(made, value))
    return _fit_words(made, value)


def _lay_out(compact, value):
    """The characters of ``compact`` in the places of ``value``'s, with its separators and letter case."""
    chars = iter(compact)
    out = []
    for c in value:
        if _SEPARATORS.match(c):  # what `normalize` drops from a number is copied from the occurrence
            out.append(c)
        else:
            fake = next(chars, "")
            out.append(fake.lower() if c.islower() else fake)
    return "".join(out) + "".join(chars)


def _fit_words(made, value):
    """``made`` with the blanks of ``value`` between its words and the case pattern of each word."""
    gaps = _BLANKS.findall(value.strip())
    pieces, words = made.split(" "), _BLANKS.split(value.strip())
    if len(pieces) != len(words):
        return made
    out = []
    for i, (piece, word) in enumerate(zip(pieces, words)):
        runs, likes = _LETTER_RUN.findall(piece), _LETTER_RUN.findall(word)
        if len(runs) == len(likes):
            like = iter(likes)
            out.append(_LETTER_RUN.sub(lambda m: _recase(m.group(), next(like)), piece))
        else:
            out.append(_recase(piece, word))
        if i < len(gaps):
            out.append(gaps[i])
    return "".join(out)


def _recase(fake, like):
    """``fake`` in the case pattern of ``like``: lower, upper (two letters or more), or capitalized."""
    letters = [c for c in like if c.isalpha()]
    if not letters:
        return fake
    if all(c.islower() for c in letters):
        return fake.lower()
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return fake.upper()
    if letters[0].isupper() and not any(c.isupper() for c in fake):
        i = next((k for k, c in enumerate(fake) if c.isalpha()), 0)
        return fake[:i] + fake[i:i + 1].upper() + fake[i + 1:]
    return fake


# --- names ------------------------------------------------------------------------------------------
def _word_kind(word):
    """'keep' (a title or particle), 'initial' ("J.") or 'name'."""
    low = word.casefold()
    if low in _PARTICLES or (len(low.rstrip(".")) > 1 and low.rstrip(".") in _TITLES):
        return "keep"
    return "initial" if _INITIAL.fullmatch(word) else "name"


def _role(word, i, names, kinds):
    """'first' or 'last': the last of several name words is a surname, a single one after a title too."""
    if len(names) > 1:
        return "last" if i == names[-1] else "first"
    if i > 0 and kinds[i - 1] in ("keep", "initial"):
        return "last"  # "Mr. Müller", "J. Smith"
    first, last = _casefolded_lists()
    low = word.casefold()
    return "last" if low in last and low not in first else "first"


@functools.lru_cache(maxsize=1)
def _casefolded_lists():
    first, last = name_lists()[:2]
    return frozenset(n.casefold() for n in first), frozenset(n.casefold() for n in last)


def _script(word):
    """'ascii', or the script of the first letter of a non-ASCII word ('latin', 'cyrillic', 'greek'...)."""
    if word.isascii():
        return "ascii"
    letter = next((c for c in word if c.isalpha()), "a")
    script = unicodedata.name(letter, "LATIN").split()[0].lower()
    return script if script in ("cyrillic", "greek") else "latin"


@functools.lru_cache(maxsize=None)
def _name_pool(role, script):
    """Names of ``role`` from the lists, of ``script`` (all Latin names when the lists have none of it).

    Everyday words that are also names ("May", "Will") are left out: they read as words, not names.
    """
    names = sorted(n for n in name_lists()[0 if role == "first" else 1] if n not in _WEAK and len(n) > 1)
    if script == "ascii":
        return [n for n in names if n.isascii()]
    same = [n for n in names if not n.isascii() and _script(n) == script]
    return same or [n for n in names if _script(n) in ("ascii", "latin")]


@functools.lru_cache(maxsize=None)
def _plain_names(role):
    """Names of ``role`` that are ASCII letters only, lower case: for email addresses."""
    return [n.lower() for n in _name_pool(role, "ascii") if n.isalpha()]


@functools.lru_cache(maxsize=1)
def _alphabets():
    latin = "".join(c for c in map(chr, range(0xDF, 0x250)) if c.isalpha() and c.islower())
    greek = "".join(c for c in map(chr, range(0x3B1, 0x3CA)) if c != "ς")
    cyrillic = "".join(map(chr, range(0x430, 0x450)))
    return ("abcdefghijklmnopqrstuvwxyz", latin, greek, cyrillic)


# --- addresses --------------------------------------------------------------------------------------
def _address_word(word, rng, pool, wide):
    """One word or number of a Latin-script address, replaced unless it is a street type or unit word."""
    if word.isdecimal():
        return _other_digits(word, rng)
    low = word.casefold()
    if not wide and (low in _ADDRESS_WORDS or low in _DE_SUFFIXES or low in _street_types()):
        return word
    if len(word) == 1:
        return _recase(chr(97 + rng.randrange(26)), word)
    suffix = next((t for t in _DE_SUFFIXES if low.endswith(t) and len(low) > len(t)), None)
    if suffix and not wide:  # "Hauptstr", "Walter-Beyer-Ring": the name before the German street type
        return _recase(rng.choice(pool), word[:-len(suffix)]) + word[-len(suffix):]
    return _recase(rng.choice(pool), word)


@functools.lru_cache(maxsize=1)
def _street_types():
    types = {t.casefold() for t in name_lists()[4]} | {t.casefold() for t in _EN_ABBREVIATIONS}
    return frozenset(types | {w.rstrip(".") for t in _FR_TYPES for w in t.split()})


def _other_digits(number, rng):
    """``number`` (decimal digits of any script) with other digits: leading zeros stay, the first other
    digit is never 0."""
    out, leading = [], True
    for c in number:
        zero = ord(c) - int(c)  # "0" of the digit's own script (ASCII, full-width...)
        if leading and c == chr(zero):
            out.append(c)
            continue
        out.append(chr(zero + (rng.randrange(1, 10) if leading else rng.randrange(10))))
        leading = False
    return "".join(out)


def _zh_address_char(c, rng, wide):
    if c.isdecimal():
        zero = ord(c) - int(c)
        return chr(zero + rng.randrange(1, 10))
    if c in _ZH_DIGITS:
        return rng.choice(_ZH_DIGITS[:9])
    if _HAN.match(c) and (wide or c not in _ZH_ADDRESS_KEEP):
        return rng.choice(_ZH_PLACE_CHARS)
    if c.isascii() and c.isalpha():
        return _recase(chr(97 + rng.randrange(26)), c)
    return c


# --- structured types -------------------------------------------------------------------------------
def _iban_remainder(text):
    """The ISO 7064 remainder mod 97 of ``text``, letters read as 10 (A) to 35 (Z)."""
    return int("".join(str(int(c, 36)) for c in text)) % 97


def _fake_date(text, rng):
    """Another date in the format of ``text``: the same separators, field widths and month-name language."""
    runs = list(_WORD_OR_NUMBER.finditer(text))
    numbers = [m for m in runs if m.group().isdecimal()]
    month_word = next((m for m in runs if m.group().casefold() in _MONTHS), None)
    year = next((m for m in numbers if len(m.group()) == 4), numbers[-1] if numbers else None)
    rest = [m for m in numbers if m is not year]
    day = month = None
    ambiguous = False
    if month_word and len(rest) == 1:
        day = rest[0]
    elif not month_word and len(rest) == 2:
        if year is numbers[0]:
            month, day = rest  # 1990-05-03, 1990年5月3日
        elif int(rest[0].group()) > 12:
            day, month = rest
        elif int(rest[1].group()) > 12:
            month, day = rest
        else:
            day, month, ambiguous = rest[0], rest[1], True  # 03/05/1990: a day that is valid either way
    if year is None or day is None:
        return _WORD_OR_NUMBER.sub(lambda m: _other_digits(m.group(), rng) if m.group().isdecimal() else m.group(), text)
    suffix = next((m for m in runs if m.start() == day.end() and m.group().casefold() in _ORDINALS + ("er",)), None)
    y, m = rng.randrange(1940, 2007), rng.randrange(1, 13)
    d = 1 if suffix and suffix.group().casefold() == "er" else rng.randrange(1, 13 if ambiguous else 29)
    new = {year: f"{y % 100:02d}" if len(year.group()) == 2 else str(y),
           day: f"{d:02d}" if len(day.group()) == 2 else str(d)}
    if month is not None:
        new[month] = f"{m:02d}" if len(month.group()) == 2 else str(m)
    else:
        table, _ = _MONTHS[month_word.group().casefold()]
        new[month_word] = _recase(_MONTH_TABLES[table][m - 1], month_word.group())
    if suffix and suffix.group().casefold() != "er":
        ordinal = "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
        new[suffix] = _recase(ordinal, suffix.group())
    out, pos = [], 0
    for match in sorted(new, key=lambda r: r.start()):
        out += [text[pos:match.start()], new[match]]
        pos = match.end()
    return "".join(out) + text[pos:]


def _fake_secret(value, rng, wide):
    """A random string of ``value``'s length and alphabet; a vendor prefix and PEM armour lines stay."""
    if value.startswith("-----BEGIN"):
        return "\n".join(line if line.startswith("-----") else _random_like(line, rng, wide)
                         for line in value.split("\n"))
    prefix = _SECRET_PREFIX.match(value)
    keep = prefix.end() if prefix else 0
    return value[:keep] + _random_like(value[keep:], rng, wide)


def _random_like(text, rng, wide):
    """Each letter and digit of ``text`` replaced by a random one of its class (hex digits stay hex);
    with ``wide``, punctuation too (a value of punctuation alone has no other draw)."""
    hex_only = bool(_HEX_SECRET.fullmatch(text)) and any(c.isdigit() for c in text)
    out = []
    for c in text:
        if c.isdigit() and c.isascii():
            out.append(str(rng.randrange(10)))
        elif c.isascii() and c.isalpha():
            letter = rng.choice("abcdef") if hex_only else chr(97 + rng.randrange(26))
            out.append(letter.upper() if c.isupper() else letter)
        elif wide and not c.isspace():
            out.append(chr(97 + rng.randrange(26)))
        else:
            out.append(c)
    return "".join(out)
