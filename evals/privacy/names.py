"""Person-name recognizer: name lists plus context cues, for Latin-script and Chinese names.

Without a model, a name is recognized by what it is made of (a first name from a list followed by a
last name from a list, a Chinese surname followed by a known given name) or by what surrounds it
("Mr.", "my name is", "我叫", "先生"). The lists live in ``data/names.json`` (built from Faker's
providers, MIT licensed; see ``data/build_names.py``). Capitalized words that are also everyday words
("May", "Grant", "Hill") count only next to an unambiguous name.
"""

import functools
import json
import os
import re

from evals.privacy.finding import Finding
from evals.privacy.recognizers import initials, literal_alternation

_DATA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "names.json")

# Upper-case letters of Latin-1 and Latin Extended-A/B, so "Élodie" and "Łukasz" start a name token.
_UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper())
_UP = re.escape(_UPPER)
# Latin letters only, so a name glued to Chinese text ("联系John Smith") is still a token of its own.
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_TOKEN = rf"[{_UP}][{_LATIN}'’\-]{{0,40}}\.?"
_GAP = r"[ \t]{1,3}(?:(?:van|von|der|den|de|la|le|du|da|das|di|do|del|della|des|dos|ten|ter|zu|bin|ibn)[ \t]{1,3}){0,2}"
# Two or more capitalized words, possibly with particles ("Ludwig van Beethoven"). The first
# character comes before the look-behind so the engine can skip from capital to capital; single
# capitalized words (most of them sentence starts) fail inside the engine, not in Python.
_RUN = re.compile(rf"[{_UP}](?<![{_LATIN}0-9_'’\-][{_UP}])[{_LATIN}'’\-]{{0,40}}\.?(?:{_GAP}{_TOKEN}){{1,5}}")
_PARTICLES = frozenset("van von der den de la le du da das di do del della des dos ten ter zu bin ibn".split())
_CAP_PARTICLES = frozenset("Van Von Der Den De La Le Du Da Das Di Do Del Della Des Dos".split())
_TITLES = frozenset("mr mrs ms miss mx dr prof sir madam dame herr frau m mme mlle madame monsieur dott sig "
                    "sra sr srta dra señor señora signor signora mevrouw meneer".split())
# Capitalized words that are never names here: function words and nouns that the lists contain
# because some family is called that ("The", "Company", "Doctor", "Das").
_STOP = frozenset("The This That These Those A An And Or But If In On At For From With To Of By As Is Are "
                  "Was Were Be It Its We You They He She I My Our Your His Her Their Please Thanks Thank "
                  "Dear Hello Hi Hey Best Kind Regards Sincerely Yours Company Doctor Das Die Der Le La Les "
                  "Un Une Et Sales Read More Good North South East West New Old Street Road Avenue Lane "
                  "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Inc Ltd LLC GmbH University "
                  "Hospital Bank City County Team Support Customer Office Email Phone Call Contact".split())
# Real first or last names that are also common words: accepted only next to an unambiguous name.
_WEAK = frozenset("January February March April May June July August September October November December "
                  "Will Mark Bill Frank Grant Hope Joy Faith Grace Rose Summer Winter Autumn Chase Dean "
                  "Earl Guy Jack Max Ray Bishop Church Duke King Prince Price Bond Law Love Moon Day Hill Park "
                  "Green Young White Black Brown Gray Long Short Little Small Rich Strong Stone Wood Woods Hall "
                  "Wall House Field Glass Moore Sky Star".split())

# Words after a name that make it the name of a company or a place ("Doyle Ltd", "Anthony Ville",
# "Victoria Station"): a person's name followed by one of them is not a person here. Not "Park" or "Day":
# they are surnames too ("Sarah Park").
_DESIGNATOR = re.compile(r"[ \t]{0,2},?[ \t]{1,2}(?:Ltd|Limited|Inc|LLC|LLP|PLC|plc|GmbH|AG|KG|S\.A\.|SA|S\.L\.|SL|"
                         r"S\.p\.A\.|SpA|SARL|SAS|B\.V\.|BV|N\.V\.|NV|Corp|Corporation|Company|Group|Holdings|"
                         r"Partners|and Sons|& Sons|Ville|City|Town|Station|Airport|Street|Road|Avenue|Square|Bridge|"
                         r"Hospital|University|College|School|Academy|Institute|Bank|Hotel|Restaurant|Bistro|Café|Cafe|"
                         r"Festival|Foundation|Stiftung|Museum|Stadium|Arena)\b")

# Words before a name. "Introductions" make even an unknown capitalized word a name; the others only
# raise the score of words that are in the name lists.
_CUES_INTRO = ("my name is", "name is", "i am", "i'm", "call me", "called", "je m'appelle", "ich heiße",
               "ich heisse", "me llamo", "mi chiamo")
_CUES_STRONG = _CUES_INTRO + ("ich bin", "name")
_CUES_GREETING = ("dear", "hi", "hello", "hey", "thanks", "thank you", "bonjour", "hallo", "liebe", "lieber", "cher",
                  "chère")
_CUES_ROLE = _CUES_GREETING + ("customer", "user", "client", "patient", "regards", "sincerely", "cc", "signed")
_CUES_WEAK = ("contact", "ask", "from", "by", "with", "to", "met", "told", "and")
_CUE_BOOST = {**{c: 0.15 for c in _CUES_WEAK}, **{c: 0.3 for c in _CUES_ROLE}, **{c: 0.35 for c in _CUES_STRONG}}
_CUE_LAST_WORDS = frozenset(c.split()[-1] for c in _CUE_BOOST)
_CUE_WORDS = frozenset(w.title() for c in _CUE_BOOST for w in c.split())  # "Dear" inside a run of capitals
# A lone capitalized word after an introduction or greeting ("Dear Jennifer,", "my name is Zxq"). The
# pattern starts at the blank or punctuation before the cue: the engine then tries the cue words only
# at word starts, not at every h, d, t, m... of the text.
_CUE_TAIL = (rf"{literal_alternation(_CUES_INTRO + _CUES_GREETING)}[ \t]{{0,2}}[,:]?[ \t]{{1,3}}({_TOKEN})"
             rf"(?![ \t]{{1,3}}[{_UP}])")
_CUE = re.compile(rf"[^{_LATIN}0-9_'’]{initials(_CUES_INTRO + _CUES_GREETING)}{_CUE_TAIL}")
_CUE_AT_START = re.compile(_CUE_TAIL)

_HAN = r"\u4e00-\u9fff"
_HAN_CHAR = re.compile(f"[{_HAN}]")
_ZH_CUES_INTRO = ("我叫", "名叫", "姓名", "联系人", "收件人")  # the rest are followed by other words too
_ZH_CUE_BEFORE = re.compile(literal_alternation(_ZH_CUES_INTRO + ("我是", "叫做", "患者", "客户")) +
                            rf"[:：]?[ ]?([{_HAN}]{{2,3}})")
# A "name" followed by one of these is a place: faker and real towns alike are named like people.
_ZH_PLACE = frozenset("县市区镇乡村路街省州")
# Titles after a name ("王先生"): the pattern starts at the title, rare characters the engine can
# skip to; the one to three characters before it are read back in Python.
_ZH_CUE_AFTER = re.compile(r"先生|女士|小姐|老师|医生|教授|同学|经理")
LETTER_WORDS = re.compile(r"[^\W\d_]+")  # runs of letters, any script
_ZH_FUNCTION = frozenset("的了是在和与跟给向对请找问把被让从到说我你他她们这那有也都就还要会")


@functools.lru_cache(maxsize=1)
def name_lists():
    """The name lists, loaded once: (first, last, zh_surnames, zh_given, street_suffixes) as frozensets."""
    with open(_DATA_PATH, encoding="utf-8") as f:
        data = json.load(f)
    return (frozenset(data["first"]) - _STOP, frozenset(data["last"]) - _STOP, frozenset(data["zh_surnames"]),
            frozenset(data["zh_given"]), frozenset(data["street_suffixes"]))


@functools.lru_cache(maxsize=1)
def _kinds():
    """Every list word mapped to 'first', 'last', 'weak' or 'title' (one dict lookup per token)."""
    first, last = name_lists()[:2]
    table = {w: "last" for w in last}
    table.update((w, "first") for w in first)
    table.update((w, "weak") for w in _WEAK)
    table.update((t.title(), "title") for t in _TITLES)
    return table


@functools.lru_cache(maxsize=1)
def _known_words():
    """Every word that can make a run of capitals worth a closer look: list words, titles, cue words."""
    return frozenset(_kinds()) | _CUE_WORDS


@functools.lru_cache(maxsize=1)
def _zh_surname_pattern():
    surnames = name_lists()[2]
    return re.compile("[" + "".join(sorted({s[0] for s in surnames})) + "]")


def _kind(word, table):
    """'first', 'last', 'weak', 'title' or None; hyphenated and upper-case words are looked up by parts."""
    kind = table.get(word)
    if kind or word in _STOP:
        return kind
    if word.isupper() and len(word) <= 3:
        return None  # "RAF", "II": acronyms and numerals, not names
    if word.isupper() or "-" in word:
        kinds = [table.get(p.title()) for p in word.split("-")]
        strong = [k for k in kinds if k in ("first", "last")]
        if strong and all(k in ("first", "last", "weak") for k in kinds):
            return strong[-1]  # "Frank-Michael" is a first name, "Müller-Lüdenscheidt" a last name
    return None


def _cue_boost(text, start):
    """How much the words right before ``start`` raise the odds that a name follows.

    0.35 after an introduction ("my name is"), 0.3 after a greeting or a role ("Dear", "customer"),
    0.15 after a verb or preposition that often precedes a name ("contact", "with"), else 0.
    """
    before = text[max(0, start - 16):start].rstrip(" \t:,")
    if (before.rsplit(None, 1) or ("",))[-1].lower() not in _CUE_LAST_WORDS:
        return 0.0  # the common case, decided on the last word alone
    words = before.lower().split()
    for k in (3, 2, 1):  # whole words only: "Brito" does not end in the cue "to"
        boost = _CUE_BOOST.get(" ".join(words[-k:])) if len(words) >= k else None
        if boost:
            return boost
    return 0.0


def _groups(text, table):
    """Runs of capitalized tokens [(start, end, word)], split after a full stop that ends a sentence.

    Runs with no list word, no title and no cue ("United States", "World War") are dropped before
    any offsets are computed: in ordinary prose that is most of them.
    """
    known = _known_words()
    for m in _RUN.finditer(text):
        run, base, pos = m.group(), m.start(), 0
        words = run.split()
        if known.isdisjoint(words) and "-" not in run and \
                ("." not in run or known.isdisjoint([w.rstrip(".") for w in words])) and _cue_boost(text, base) < 0.3:
            continue
        group = []
        for word in words:
            pos = run.index(word, pos)
            if word in _PARTICLES or (group and word in _CAP_PARTICLES):
                continue  # "Ludwig van Beethoven", "Suzanne Le Fournier"
            if group and group[-1][2].endswith(".") and len(group[-1][2]) > 2 and \
                    group[-1][2][:-1].lower() not in _TITLES:
                yield group  # a full stop after a non-title ends the sentence, and the run
                group = []
            group.append((base + pos, base + pos + len(word), word))
            pos += len(word)
        yield group


def _run_score(kinds, text, start):
    """Score a run of consecutive name tokens by what they are; 0 when they are not a name.

    The words before ``start`` (`_cue_boost`) are read only when the tokens alone do not decide.
    """
    strong = [k for k in kinds if k in ("first", "last")]
    if len(kinds) >= 2:
        if "first" in strong and "last" in strong:
            return 0.85
        if kinds[0] != "last" and strong:
            return 0.7  # "Jean Pierre", "April Griffin"
        boost = _cue_boost(text, start)
        return 0.5 + boost if strong else (0.6 if boost else 0.0)
    if strong:
        return (0.4 if strong[0] == "first" else 0.3) + _cue_boost(text, start)
    return 0.0


def _latin_runs(text, out, table):
    for group in _groups(text, table):
        if len(group) == 1:
            continue  # a lone word after a sentence break: only the cue pass may take it
        words = [w.rstrip(".") for _, _, w in group]
        # a dict lookup decides most words; only hyphenated and upper-case ones need `_kind`'s parts
        kinds = [table.get(w) or (_kind(w, table) if "-" in w or w.isupper() else None) for w in words]
        i = 0
        while i < len(group):
            j, score = i + 1, 0.0
            if kinds[i] == "title" and i + 1 < len(group) and words[i + 1] not in _STOP and kinds[i + 1] != "title":
                while j < len(group) and j - i <= 3 and kinds[j] in ("first", "last", "weak"):
                    j += 1
                score = 0.85 if j > i + 1 else 0.7  # "Mr. John Smith"; "Mr. Xyz" with an unknown name
                j = max(j, i + 2)
            elif kinds[i]:
                while j < len(group) and j - i < 4 and kinds[j] in ("first", "last", "weak"):
                    j += 1
                score = _run_score(kinds[i:j], text, group[i][0])
                if j - i == 1 and kinds[i] == "first" and j < len(group) and words[j] not in _STOP:
                    j, score = j + 1, max(0.6, score)  # a known first name and an unknown surname
            elif words[i] not in _STOP and j < len(group) and words[j] not in _STOP:
                # Names outside the lists: an unknown word before a known surname ("Luan Santos"),
                # or two unknown words right after a cue ("Dear Isaque Mota"). Inside a run, only a
                # capitalized cue word ("Dear") can precede the name, so the text is read only then.
                cued = i == 0 or words[i - 1].lower() in _CUE_BOOST
                boost = _cue_boost(text, group[i][0]) if cued else 0.0
                if kinds[j] == "last":
                    j, score = j + 1, 0.6 + boost / 2
                elif boost >= 0.3 and not kinds[j]:
                    j, score = j + 1, 0.4 + boost
            if score < 0.3:
                i += 1
                continue
            end = group[j - 1][1] - (1 if group[j - 1][2].endswith(".") else 0)
            out.append(Finding(group[i][0], end, "PERSON", min(0.95, score)))
            i = j


def _latin_cued(text, out, table):
    first = _CUE_AT_START.match(text)
    for m in ([first] if first else []) + list(_CUE.finditer(text)):
        word = m.group(1).rstrip(".")
        if word in _STOP:
            continue
        kind = _kind(word, table)
        if text[m.start():m.start(1)].lower().strip(" \t,:").endswith(_CUES_INTRO):
            score = 0.75
        else:
            score = {"first": 0.7, "last": 0.6}.get(kind, 0.0)
        if score:
            out.append(Finding(m.start(1), m.start(1) + len(word), "PERSON", score))


def _zh_given_len(text, q, given):
    """Length of a known given name starting at q (two characters preferred), else 0."""
    if text[q:q + 2] in given:
        return 2
    return 1 if q < len(text) and text[q] in given else 0


def _chinese_names(text, out):
    surnames, given = name_lists()[2:4]
    for m in _ZH_CUE_BEFORE.finditer(text):
        name = m.group(1)
        if name[0] in surnames or name[:2] in surnames:
            out.append(Finding(m.start(1), m.end(1), "PERSON", 0.85))
        elif m.group().startswith(_ZH_CUES_INTRO):
            out.append(Finding(m.start(1), m.end(1), "PERSON", 0.6))
    for m in _ZH_CUE_AFTER.finditer(text):
        end = m.start()
        seg = text[max(0, end - 3):end]
        seg = seg[next((i for i in range(len(seg) - 1, -1, -1) if not "\u4e00" <= seg[i] <= "\u9fff"), -1) + 1:]
        for k in range(len(seg), 0, -1):
            cand = seg[-k:]
            if cand[0] not in surnames or any(c in _ZH_FUNCTION for c in cand):
                continue
            if k == 1 or cand[1:] in given or all(c not in surnames for c in cand[1:]):
                out.append(Finding(end - k, end, "PERSON", 0.8))
                break
    for m in _zh_surname_pattern().finditer(text):
        p = m.start()
        s = 2 if text[p:p + 2] in surnames else 1
        if s == 1 and text[p] not in surnames:
            continue
        g = _zh_given_len(text, p + s, given)
        if g and text[p + s + g:p + s + g + 1] not in _ZH_PLACE:
            out.append(Finding(p, p + s + g, "PERSON", 0.7 if g == 1 else 0.75))


def find_persons(text):
    """Person names: Latin-script first/last names and titles, Chinese surname + given name and cues."""
    out = []
    table = _kinds()
    _latin_runs(text, out, table)
    _latin_cued(text, out, table)
    if not text.isascii() and _HAN_CHAR.search(text):
        _chinese_names(text, out)
    return [f for f in out if not names_no_person(text, f.start, f.end)]


def names_no_person(text, start, end):
    """Whether the name ``text[start:end]`` is a company's, a place's or a work's: followed by a company's or a
    place's word (``names_a_company_or_place``) or between title marks (``in_title_marks``). The patterns'
    findings and the tagger's are both held to it."""
    return names_a_company_or_place(text, end) or ("《" in text and in_title_marks(text, start, end))


def names_a_company_or_place(text, end):
    """Whether the words right after ``end`` make the name before it a company's or a place's.

    Example:
        >>> names_a_company_or_place("Card declined at Doyle Ltd on Monday", 22)
        True
    """
    return _DESIGNATOR.match(text, end) is not None


def in_title_marks(text, start, end):
    """Whether ``text[start:end]`` lies between the title marks 《 》 (a book's or a poem's title, not a person).

    Example:
        >>> in_title_marks("五言绝句《江雪》千山鸟飞绝", 5, 7), in_title_marks("《静夜思》的作者是李白", 10, 12)
        (True, False)
    """
    opened = text.rfind("《", 0, start)
    if opened < 0 or text.rfind("》", 0, start) > opened:
        return False
    closed = text.find("》", end)
    return closed >= 0 and not 0 <= text.find("《", end, closed)


def listed_name(value):
    """Whether every word of ``value`` is a name of the lists (first or last names, or ``other_names``:
    Faker's other locales, any script) and none is an everyday word that names are also made of
    (``_WEAK``: "May", "Grant"); lower-case words are looked up capitalized.

    Example:
        >>> listed_name("angela"), listed_name("Angela Weiss"), listed_name("Χρήστος"), listed_name("May")
        (True, True, True, False)
    """
    table, others = _kinds(), other_names()
    words = LETTER_WORDS.findall(value)
    for word in words:
        word = word[:1].upper() + word[1:]
        kind = table.get(word)
        if kind not in ("first", "last") and (kind or word not in others):
            return False
    return bool(words)


@functools.lru_cache(maxsize=1)
def other_names():
    """The names of Faker's other locales (``names.json``'s ``other_names``; see ``data/build_names.py``),
    less the everyday words of ``_WEAK`` and ``_STOP``: read by ``listed_name`` only, not by the patterns."""
    with open(_DATA_PATH, encoding="utf-8") as f:
        return frozenset(json.load(f)["other_names"]) - _WEAK - _STOP
