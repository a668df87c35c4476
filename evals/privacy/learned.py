"""The learned recognizer: lmdemo's PII tagger (``pii-ner``) finds person names and street addresses.

Patterns find what has a format (e-mail, IBAN, card numbers: checksums make them certain). Names and
addresses have none: "Why is Rebecca so impulsive?", "said Gladys to Logan", "2274 Via delle Coste 41"
are found by a model that reads words from their characters and in context (see
``lmdemo.tasks.tagger_model``). Its findings join the patterns' and the name lists' before
`resolve_overlaps`, so the usual rules pick between overlapping candidates.

Which tagger runs: ``$LMDEMO_PII_TAGGER`` (a shipped name or a checkpoint folder; ``none`` turns it
off), else the shipped ``pii-ner`` when it is present. `set_tagger` changes it in this process. A
tagger that was asked for by name and cannot be loaded is an error: a sanitizer that silently stops
finding names would be worse than one that stops.

The score of a finding maps the tagger's confidence ``p`` (the mean over the entity's words of their
B + I probability) onto the sanitizer's scale so that an entity at the tagger's own threshold ``t``
scores ``DEFAULT_MIN_SCORE`` (0.5): ``0.5 + 0.5 · (p − t) / (1 − t)``.

Two pieces of evidence are combined for persons. A word the tagger takes for part of a name with less
certainty (``p`` from ``LISTED_NAME_THRESHOLD`` up to ``t``) is kept when it is in the name lists
(``names.listed_name``: "said Constanza to Angela" gives Angela 0.51, under ``t`` = 0.6); such a
finding scores at least 0.5.
And a person's name followed by a company's or a place's word ("Doyle Ltd", "Victoria Station"), or
between the title marks 《 》, is not a person (``names.names_no_person``). Measured in docs/privacy.md.
"""

import functools
import os
import re
import threading

from evals.privacy.finding import Finding
from evals.privacy.names import LETTER_WORDS, listed_name, names_no_person

DEFAULT_TAGGER = "pii-ner"
TAGGED_TYPES = ("PERSON", "ADDRESS")
LISTED_NAME_THRESHOLD = 0.25  # chosen on the dev documents: docs/privacy.md

# What a finding must hold to be kept. Any: a letter. An address: a digit, or a Han character that names
# a part of an address (号, 路, 区 ...), which drops "addresses" made of a label word ("Adresse", "Room") or
# of two characters of a poem (千山). A person: not one Han character alone (Chinese names have two or
# more), and not only common words ("Notes",
# "EXPERIENCE", "Reason": words written in lower case in ordinary sentences, and the words of country
# names, "Japan"; first names excepted, "Jordan"; see data/build_common_words.py). Measured in docs/privacy.md.
_LETTER = re.compile(r"[^\W\d_]")
_ADDRESS_MARK = re.compile(r"[\d号號路街道巷弄里区區市县縣省镇鎮乡鄉村楼樓室栋棟座层層单單幢院园園]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_COMMON_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "common_words.txt")

_lock = threading.Lock()
_state = {"name": None, "model": None, "loaded": False}


def set_tagger(name):
    """Use the tagger ``name`` (a shipped name or checkpoint folder) in this process; None or "none": none.

    Raises:
        ValueError: the tagger cannot be loaded (the message names it).
    """
    with _lock:
        _state.update(name=None, model=None, loaded=True)
        if name is None or str(name).lower() == "none":
            return
        _state.update(name=str(name), model=_load(str(name)))


def _load(name):
    from lmdemo.registry import load_model

    try:
        model = load_model(name)
    except (ValueError, OSError) as e:
        raise ValueError(f"the PII tagger {name!r} cannot be loaded: {e}") from None
    if getattr(model, "kind", None) != "tagger":
        raise ValueError(f"the PII tagger {name!r} is a {getattr(model, 'kind', None)!r} model, not a tagger")
    return model.frozen(constant_weights=True)  # weights read once, word vectors kept across calls


def tagger():
    """The tagger in use (a ``FrozenTagger`` of a ``TaggerModel``), or None; loaded on first use."""
    if _state["loaded"]:
        return _state["model"]
    with _lock:
        if not _state["loaded"]:
            wanted = os.environ.get("LMDEMO_PII_TAGGER")
            if wanted:
                if wanted.lower() != "none":
                    _state.update(name=wanted, model=_load(wanted))
            else:
                from lmdemo.registry import available_models

                if DEFAULT_TAGGER in available_models():
                    _state.update(name=DEFAULT_TAGGER, model=_load(DEFAULT_TAGGER))
            _state["loaded"] = True
    return _state["model"]


def tagger_name():
    """The name of the tagger in use, or None (for reports: which recognizers ran)."""
    tagger()
    return _state["name"]


@functools.lru_cache(maxsize=1)
def common_words():
    """The lower-case common words a person's name may not consist of only (``data/common_words.txt``)."""
    with open(_COMMON_PATH, encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip())


def plausible(kind, value):
    """Whether the tagger's ``kind`` finding ``value`` passes the checks above (the module's comments).

    Example:
        >>> plausible("PERSON", "Reason"), plausible("PERSON", "Rebecca"), plausible("ADDRESS", "Adresse")
        (False, True, False)
    """
    if not _LETTER.search(value):
        return False
    if kind == "ADDRESS":
        return bool(_ADDRESS_MARK.search(value))
    if kind == "PERSON":
        if len(value) == 1 and _HAN.match(value):
            return False
        words = LETTER_WORDS.findall(value)
        return not words or not all(w.lower() in common_words() for w in words)
    return True


def start_learned(texts, types=TAGGED_TYPES):
    """Starts the tagger's network on ``texts`` (it runs in native code, beside the caller's Python);
    `finish_learned` collects the findings."""
    model = tagger()
    wanted = set(types) & set(TAGGED_TYPES)
    if model is None or not wanted or not texts:
        return {"texts": texts, "model": None}
    return {"texts": texts, "model": model, "wanted": wanted, "started": model.start(list(texts))}


def finish_learned(started):
    """The tagger's findings for each text given to `start_learned` (empty lists without a tagger), as
    `Finding`s of the entity types asked for."""
    texts, model = started["texts"], started["model"]
    if model is None:
        return [[] for _ in texts]
    threshold, wanted = model.config.threshold, started["wanted"]
    relaxed = ("PERSON", min(LISTED_NAME_THRESHOLD, threshold), listed_name) if "PERSON" in wanted else None
    out = [[] for _ in texts]
    for i, (text, spans) in enumerate(zip(texts, model.finish(started["started"], relaxed=relaxed)[0])):
        for start, end, kind, p in spans:
            if kind not in wanted or not plausible(kind, text[start:end]) or \
                    (kind == "PERSON" and names_no_person(text, start, end)):
                continue
            # a span below the threshold holds a listed name the threshold was relaxed for: 0.5
            score = 0.5 + 0.5 * (p - threshold) / (1.0 - threshold) if threshold < 1 else 1.0
            out[i].append(Finding(start, end, kind, round(min(max(score, 0.5), 1.0), 4)))
    return out
