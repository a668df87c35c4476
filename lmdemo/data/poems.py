"""Poems as a language model reads them: one record per poem, its form and title before its lines.

    七言絕句《雪霽》星榆葉葉晝離披，雲粉千重凝不飛。崑玉樓臺珠樹密，夜來誰向月中歸。

Each record ends with a newline, so a model trained on records knows where a poem ends, and a prompt
``"\\n七言絕句《雪霽》"`` asks for a poem of that form and title. The files are tables of ``title`` and
``poem`` (``../shared/data/tang_poems``: TSV with a header, ``.gz`` too); poems of no regulated form are
skipped and counted.
"""

import pandas as pd

from lmdemo.data.poem_form import detect_form, split_lines

MAX_TITLE_CHARS = 64  # longer titles are refused in prompts and cut in training records


def clean_title(title, cut=False):
    """A title as the records hold it: one line, at most ``MAX_TITLE_CHARS`` characters, and 〈〉 for the
    《》 that frame it in a record. ValueError for an empty title, and for a too long one unless ``cut``."""
    if not isinstance(title, str):
        raise TypeError(f"title must be a str, received {type(title).__name__}")
    cleaned = " ".join(title.split()).replace("《", "〈").replace("》", "〉")
    if not cleaned:
        raise ValueError("title is empty: give the poem a title")
    if cut:
        cleaned = cleaned[:MAX_TITLE_CHARS]
    if len(cleaned) > MAX_TITLE_CHARS:
        raise ValueError(f"title has {len(cleaned)} characters; the limit is {MAX_TITLE_CHARS}")
    return cleaned


def poem_prompt(title, form):
    """The text a poem model continues: a record's start, its form and its title."""
    return f"\n{form}《{clean_title(title)}》"


def poem_record(title, poem):
    """One training record for ``poem``, or None when it has no regulated form. A run of marks ("。。")
    becomes its first mark."""
    lines = split_lines(poem)
    body = "".join(chars + marks[:1] for chars, marks in lines)
    form = detect_form(body)
    if form is None:
        return None
    return f"{form}《{clean_title(title, cut=True)}》{body}\n"


def read_poems(path):
    """``[(title, poem)]`` from a table with ``title`` and ``poem`` columns (TSV, CSV; ``.gz`` too)."""
    sep = "\t" if ".tsv" in str(path) else ","
    try:
        frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, quoting=3 if sep == "\t" else 0)
    except (OSError, ValueError, UnicodeDecodeError) as e:
        raise ValueError(f"cannot read poems from path={path!r}: {e}") from None
    missing = [c for c in ("title", "poem") if c not in frame.columns]
    if missing:
        raise ValueError(f"poems file path={path!r} has no column {missing[0]!r}; columns: {list(frame.columns)}")
    return list(zip(frame["title"], frame["poem"]))


def poems_text(path):
    """The records of every poem in ``path`` with a regulated form, joined: ``(text, poems kept, skipped)``."""
    records = [poem_record(title or "無題", poem) for title, poem in read_poems(path)]
    kept = [r for r in records if r]
    if not kept:
        raise ValueError(f"poems file path={path!r} has no poem of 4 or 8 lines of 5 or 7 characters")
    return "".join(kept), len(kept), len(records) - len(kept)
