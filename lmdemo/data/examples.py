"""Examples for the three applications: (text, label), (source, target), (document, summary).

Local files (what this repository is tested with) or Hugging Face ``datasets`` names for
online users (``"hf:NAME"`` or ``"hf:NAME:CONFIG"``):

- sentiment: a TSV/CSV with a text column and a 0/1 label column (GLUE SST-2's ``train.tsv``);
- translation: a TSV (``.gz`` too) whose first line names the columns, source then target
  (the Tatoeba ``english\\tspanish`` files);
- summarization: a JSON list or JSON-lines file (``.gz`` too) of objects with a document
  and a summary field (SAMSum's ``dialogue``/``summary``).
"""

import json
import math

from lmdemo.data.text import load_hub_dataset, read_text
from lmdemo.registry import TASKS

EXAMPLE_TASKS = ("translation", "summarization", "sentiment")  # the tasks whose data are (input, output) pairs


def load_texts(sources):
    """Plain texts for masked-LM pre-training from one or more files (a list, or paths joined by commas).

    A ``.txt`` file (any other name too) gives its non-empty lines; a TSV/CSV its first column;
    a JSON or JSON-lines file the ``dialogue`` field of each object.
    """
    paths = [p for p in (sources.split(",") if isinstance(sources, str) else sources) if p]
    if not paths:
        raise ValueError(f"sources must name at least one file, received sources={sources!r}")
    texts = []
    for path in paths:
        name = path[:-3] if path.endswith(".gz") else path
        if name.endswith((".tsv", ".csv", ".json", ".jsonl")):
            rows = _file_rows(path)
            column = "dialogue" if name.endswith(("json", "jsonl")) else (list(rows[0]) if rows else [None])[0]
            texts += [r[column].strip() for r in rows if isinstance(r.get(column), str) and r[column].strip()]
        else:
            texts += [line.strip() for line in read_text(path).splitlines() if line.strip()]
    return texts


def load_examples(task, source, split="train", input_column=None, output_column=None, skip_empty=False, report=None):
    """A list of (input text, output) pairs for ``task`` from ``source``.

    Args:
        task: ``"sentiment"``, ``"translation"`` or ``"summarization"``.
        source: a file path, or ``"hf:NAME[:CONFIG]"`` for ``datasets.load_dataset`` (needs the network).
        split: the split to read from the Hub (files are one split each).
        input_column, output_column: the fields to read (default: the first of the task's column names in
            ``lmdemo.registry.TASKS`` that the file has: ``text`` or ``sentence`` and ``label``;
            ``source`` and ``reference`` or the first two columns; ``document`` or ``dialogue`` and ``summary``).
        skip_empty: leave out examples whose input or output text is empty (training data:
            SAMSum's train split has one empty dialogue) instead of refusing the file.
        report: a dict that receives ``skipped_empty``, the number of examples left out.

    Raises:
        ValueError: a missing file or column, an empty text, a label that is not 0 or 1.
    """
    if task not in EXAMPLE_TASKS:
        raise ValueError(f"task must be one of {EXAMPLE_TASKS}, received task={task!r}")
    rows = _hub_rows(source, split) if str(source).startswith("hf:") else _file_rows(source)
    if not rows:
        raise ValueError(f"source={source!r} holds no examples")
    columns = list(rows[0])
    if task == "translation" and len(columns) < 2 and not (input_column and output_column):
        raise ValueError(f"source={source!r} needs two columns (source, target); it has {columns}")
    input_column = input_column or TASKS[task].column("input", columns)
    output_column = output_column or TASKS[task].column("target", columns)
    for name, value in (("input_column", input_column), ("output_column", output_column)):
        if value not in columns:
            raise ValueError(f"source={source!r} has no column {name}={value!r}; columns: {columns}")
    examples, skipped = [], 0
    for n, row in enumerate(rows, start=1):
        x, y = row[input_column], row[output_column]
        empty = not isinstance(x, str) or not x.strip() or (task != "sentiment" and (not isinstance(y, str)
                                                                                     or not y.strip()))
        if empty and skip_empty:
            skipped += 1
            continue
        if not isinstance(x, str) or not x.strip():
            raise ValueError(f"source={source!r} row {n}: {input_column} is empty")
        examples.append((x.strip(), _label(y, source, n, output_column) if task == "sentiment" else _text(y, source, n, output_column)))
    if report is not None:
        report["skipped_empty"] = skipped
    if not examples:
        raise ValueError(f"source={source!r} holds no non-empty examples")
    return examples


def _label(value, source, n, column):
    if isinstance(value, float) and math.isnan(value):
        raise ValueError(f"source={source!r} row {n}: {column} is NaN; labels must be 0 or 1")
    label = str(value).strip()
    if label not in ("0", "1"):
        raise ValueError(f"source={source!r} row {n}: {column}={value!r}; labels must be 0 or 1")
    return int(label)


def _text(value, source, n, column):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"source={source!r} row {n}: {column} is empty")
    return value.strip()


def _file_rows(path):
    text = read_text(path)
    name = path[:-3] if path.endswith(".gz") else path
    if name.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ValueError(f"source={path!r} is not valid JSON: {e}") from None
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ValueError(f"source={path!r} must hold a JSON list of objects")
        return data
    if name.endswith(".jsonl"):
        rows = []
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise ValueError(f"source={path!r} line {n} is not valid JSON: {e}") from None
        return rows
    sep = "," if name.endswith(".csv") else "\t"
    lines = [line for line in text.splitlines() if line.strip()]
    if sep == ",":
        import csv

        return list(csv.DictReader(lines))
    header = lines[0].rstrip("\r").split("\t")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        cells = line.rstrip("\r").split("\t")
        if len(cells) < len(header):
            raise ValueError(f"source={path!r} line {n} has {len(cells)} columns; the header has {len(header)}")
        rows.append(dict(zip(header, cells)))
    return rows


def _hub_rows(source, split):
    return [dict(r) for r in load_hub_dataset(source, split)[1]]
