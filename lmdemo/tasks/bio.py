"""Words and BIO tags: how the tagger cuts text, labels its words, and reads entities back.

A text is cut into **words**: a run of letters (with inner apostrophes and hyphens: "O'Brien", "it's",
"Adebayo-Hartley", "Jean-Pierre"), a run of
digits, one Han character (Chinese has no spaces, and a name is two or three of them), a newline, or
one other symbol. Spaces are not words. Each word gets one tag: ``B-TYPE`` begins an entity, ``I-TYPE``
continues it, ``O`` is outside every entity (Ramshaw & Marcus, 1995).

Long texts are read in **windows** of ``width`` words that overlap by ``overlap`` words; each word
takes its tag from the window in which it sits furthest from an edge, so an entity that crosses one
window's edge is read whole from the next one (as long as it is shorter than the overlap).
"""

import re

import numpy as np

from lmdemo.data.chinese_script import HAN

WORD = re.compile(rf"[{HAN}]|[^\W\d_{HAN}]+(?:['’\-][^\W\d_{HAN}]+)*|\d+|\n|[^\w\s]")
OUTSIDE = "O"


def split_words(text):
    """The ``(start, end)`` offsets of the words of ``text``, in order.

    Example:
        >>> [text[s:e] for text in ["Ann O'Neil, 5 Elm St.\\n王小明"] for s, e in split_words(text)]
        ['Ann', "O'Neil", ',', '5', 'Elm', 'St', '.', '\\n', '王', '小', '明']
    """
    return [m.span() for m in WORD.finditer(text)]


def bio_labels(types):
    """The tag names for entity ``types``: ``O`` then ``B-T``, ``I-T`` for each type, in order."""
    return (OUTSIDE,) + tuple(f"{p}-{t}" for t in types for p in ("B", "I"))


def spans_to_tags(words, spans, labels):
    """One tag id per word: a word overlapping an entity span is tagged with its type (B for the first).

    Args:
        words: ``(start, end)`` offsets (``split_words``).
        spans: ``(start, end, type)`` entities, sorted and not overlapping; types not in ``labels``
            are left outside (``O``).
        labels: the tag names (``bio_labels``).
    """
    index = {name: i for i, name in enumerate(labels)}
    tags, k = [0] * len(words), 0
    for i, (start, end) in enumerate(words):
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        if k < len(spans) and spans[k][0] < end and f"B-{spans[k][2]}" in index:
            first = i == 0 or not (spans[k][0] < words[i - 1][1])
            tags[i] = index[("B-" if first else "I-") + spans[k][2]]
    return tags


def _edge(word):
    """True for a word that cannot begin or end an entity: a newline or a lone symbol."""
    return len(word) == 1 and not word.isalnum()


def entity_runs(tags, labels, breaks=()):
    """The entities of a tag sequence as word-index runs ``[(first, last, type), ...]``.

    A run is a stretch of words of one type; it begins at a ``B-`` tag, at a change of type, after an
    ``O``, or at a ``break`` (the first word of each text when the tags of several texts are laid end to
    end), so an ``I-T`` after ``O`` begins an entity, as a ``B-T`` would. Only the tagged words are
    looked at, one by one: in a long text most words are ``O``.

    Example:
        >>> entity_runs([0, 1, 2, 2, 1, 3, 0, 2], ("O", "B-PERSON", "I-PERSON", "B-ADDRESS", "I-ADDRESS"))
        [(1, 3, 'PERSON'), (4, 4, 'PERSON'), (5, 5, 'ADDRESS'), (7, 7, 'PERSON')]
    """
    tags = np.asarray(tags, np.int64)
    hot = np.flatnonzero(tags)
    if not hot.size:
        return []
    names = [label.split("-", 1) for label in labels]
    kinds = [n[1] if len(n) == 2 else None for n in names]
    begins = [n[0] == "B" for n in names]
    breaks = set(np.asarray(breaks, np.int64).tolist())
    runs, first, last, kind = [], -1, -2, None
    for i, tag in zip(hot.tolist(), tags[hot].tolist()):
        if kinds[tag] is None:
            continue
        if i != last + 1 or kinds[tag] != kind or begins[tag] or i in breaks:
            if kind is not None:
                runs.append((first, last, kind))
            first, kind = i, kinds[tag]
        last = i
    if kind is not None:
        runs.append((first, last, kind))
    return runs


def trimmed(words, first, last):
    """``(first, last)`` without the symbols and newlines at the run's ends, or None if nothing is left.

    Args:
        words: the words (str) the run's indices point into.
    """
    while first <= last and _edge(words[first]):
        first += 1
    while last >= first and _edge(words[last]):
        last -= 1
    return (first, last) if first <= last else None


def tags_to_spans(text, words, tags, labels, scores=None):
    """Entities from word tags: ``[(start, end, type, score), ...]`` sorted by start.

    Entities are ``entity_runs``; symbols and newlines at an entity's ends are left out ("Ann Lee," →
    "Ann Lee"), and inside it they stay ("5 Elm St.\\nLeeds" is one address).

    Args:
        text: the text ``words`` were cut from.
        words: ``(start, end)`` offsets.
        tags: one tag id per word (0 is ``O``).
        labels: the tag names, ``O`` first.
        scores: optional per-word confidence; an entity's score is their mean over its words (1.0 without).

    Example:
        >>> text = "Call Ann Lee now"
        >>> labels = ("O", "B-PERSON", "I-PERSON")
        >>> tags_to_spans(text, split_words(text), [0, 1, 2, 0], labels)
        [(5, 12, 'PERSON', 1.0)]
    """
    out, strings = [], [text[a:b] for a, b in words]
    for first, last, kind in entity_runs(tags, labels):
        kept = trimmed(strings, first, last)
        if kept is not None:
            first, last = kept
            score = 1.0 if scores is None else float(sum(scores[first:last + 1]) / (last - first + 1))
            out.append((words[first][0], words[last][1], kind, round(score, 4)))
    return out


def windows(n, width, overlap):
    """The ``(start, end)`` word ranges of the windows over ``n`` words, and for each window the part
    ``(lo, hi)`` whose tags are kept: each word is kept from the window where it is furthest from an edge.

    Example:
        >>> windows(10, 6, 2)
        ([(0, 6), (4, 10)], [(0, 5), (5, 10)])
    """
    if width <= overlap or overlap < 0:
        raise ValueError(f"width must exceed overlap ≥ 0, received width={width}, overlap={overlap}")
    if n <= width:
        return [(0, n)], [(0, n)]
    stride = width - overlap
    starts = list(range(0, n - width, stride)) + [n - width]
    ranges = [(s, s + width) for s in starts]
    kept = []
    for k, (s, e) in enumerate(ranges):
        lo = s if k == 0 else (ranges[k - 1][1] + s) // 2
        hi = e if k == len(ranges) - 1 else (e + ranges[k + 1][0]) // 2
        kept.append((lo, hi))
    return ranges, kept
