"""Texts with labelled character spans, the data of the ``ner`` task: one JSON object per line,

    {"text": "Call Ann Lee at 5 Elm St.", "entities": [[5, 12, "PERSON"], [16, 25, "ADDRESS"]]}

``entities`` are ``[start, end, type]`` with ``end`` exclusive, as Python slices count, and do not
overlap. spaCy's and Hugging Face's span formats carry the same three numbers.
"""

import gzip
import json
import os

from lmdemo.data.checks import MAX_INPUT_CHARS


def check_tagged(example, where="example"):
    """``example`` as ``(text, [(start, end, type), ...])`` sorted by start; ValueError naming what is wrong."""
    if not isinstance(example, dict) or not isinstance(example.get("text"), str):
        raise ValueError(f"{where} must be an object with a string 'text', received {str(example)[:80]!r}")
    text, entities = example["text"], example.get("entities", [])
    if len(text) > MAX_INPUT_CHARS:
        raise ValueError(f"{where}: text has {len(text):,} characters, more than {MAX_INPUT_CHARS:,}")
    if not isinstance(entities, list):
        raise ValueError(f"{where}: entities must be a list of [start, end, type], received {entities!r:.80}")
    spans = []
    for item in entities:
        ok = isinstance(item, (list, tuple)) and len(item) == 3
        if ok:
            start, end, kind = item
            ok = (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
                  and isinstance(kind, str) and kind and 0 <= start < end <= len(text))
        if not ok:
            raise ValueError(f"{where}: each entity must be [start, end, type] with 0 ≤ start < end ≤ "
                             f"{len(text)} (the text's length), received {item!r:.80}")
        spans.append((start, end, kind))
    spans.sort()
    for a, b in zip(spans, spans[1:]):
        if b[0] < a[1]:
            raise ValueError(f"{where}: entities overlap: {list(a)} and {list(b)}")
    return text, spans


def read_tagged(path):
    """The examples of a JSON-lines file (``.gz`` ok) as ``(text, spans)`` pairs (see ``check_tagged``)."""
    if not isinstance(path, (str, os.PathLike)) or not os.path.isfile(path):
        raise ValueError(f"path must be a JSON-lines file of tagged texts, received path={path!r} (not a file)")
    opener = gzip.open if str(path).endswith(".gz") else open
    out = []
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    example = json.loads(line)
                except json.JSONDecodeError as e:
                    raise ValueError(f"{os.path.basename(path)} line {number} is not JSON ({e.msg})") from None
                out.append(check_tagged(example, f"{os.path.basename(path)} line {number}"))
    except UnicodeDecodeError:
        raise ValueError(f"{os.path.basename(path)} is not UTF-8 text") from None
    if not out:
        raise ValueError(f"{os.path.basename(path)} holds no tagged texts")
    return out


def write_tagged(path, examples):
    """Write ``(text, spans)`` pairs as JSON lines (``.gz`` ok); written to a temporary name, then renamed."""
    opener = gzip.open if str(path).endswith(".gz") else open
    tmp = f"{path}.partial"
    with opener(tmp, "wt", encoding="utf-8") as f:
        for text, spans in examples:
            f.write(json.dumps({"text": text, "entities": [list(s) for s in spans]}, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
