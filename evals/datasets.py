"""Reading evaluation data: local CSV/TSV/JSONL/TXT files (optionally gzipped) or Hugging Face datasets.

Every reader returns a `pandas.DataFrame` of strings plus the sha256 of the file as stored, so a report
can say exactly which bytes were scored. Problems raise ``ValueError`` naming the file, the row and the
column: a missing column, an empty file, a missing value, bytes that are not UTF-8 (with their offset).

Rows are counted from 1 over data rows (a CSV/TSV header is not a row; in JSONL row N is line N).
A TXT file becomes one row per paragraph (blocks separated by blank lines) in a column ``text``, or one
row per line with ``lines=True`` (used for prediction files).
"""

import csv
import gzip
import hashlib
import io
import json
import math
import os
from typing import Optional

import pandas as pd

from evals.suite import parse_slice

FORMATS = (".csv", ".tsv", ".jsonl", ".txt")


def file_format(path: str) -> str:
    """The format suffix of ``path`` (``.csv``, ``.tsv``, ``.jsonl``, ``.txt``), looking through ``.gz``."""
    base = path[:-3] if path.endswith(".gz") else path
    suffix = os.path.splitext(base)[1].lower()
    if suffix not in FORMATS:
        raise ValueError(f"dataset {path!r}: unsupported format {suffix!r}; use one of {list(FORMATS)} "
                         f"(optionally .gz) or 'hf:NAME[:CONFIG]'")
    return suffix


def read_text_file(path: str) -> tuple[str, str]:
    """The UTF-8 text of a local file (gunzipped if ``.gz``) and the sha256 of its stored bytes.

    Raises:
        ValueError: The file is missing, empty, or not UTF-8 (the message gives byte offset and line).
    """
    if not os.path.isfile(path):
        raise ValueError(f"dataset file not found: {path!r}")
    with open(path, "rb") as f:
        raw = f.read()
    digest = hashlib.sha256(raw).hexdigest()
    data = raw
    if path.endswith(".gz"):
        try:
            data = gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise ValueError(f"dataset {path!r}: not a valid gzip file: {e}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise ValueError(f"dataset {path!r}: not valid UTF-8: byte {data[e.start:e.start + 1]!r} at byte offset "
                         f"{e.start} (line {line}){' of the decompressed data' if data is not raw else ''}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ValueError(f"dataset {path!r}: the file is empty")
    return text, digest


TXT_ROWS = ("paragraph", "line", "document")


def read_local(path: str, slice: Optional[str] = None, lines: bool = False,
               txt_rows: str = "paragraph") -> tuple[pd.DataFrame, str]:
    """Read a local dataset file into a DataFrame of strings.

    Args:
        path: A ``.csv``, ``.tsv``, ``.jsonl`` or ``.txt`` file, optionally ``.gz``.
        slice: For TXT only: a fraction range of the characters, e.g. ``"0.9:"`` for the last 10%.
        lines: For TXT only: one row per line instead of one per paragraph (same as ``txt_rows="line"``).
        txt_rows: For TXT only: ``"paragraph"`` (blocks between blank lines), ``"line"``, or
            ``"document"`` (the whole text, or slice, as one row: a language model then scores it as
            one continuous text, which is how validation losses such as nanoGPT's are measured).

    Returns:
        ``(frame, sha256 of the stored file)``.

    Raises:
        ValueError: Naming the file (and row) for every problem described in the module docstring.
    """
    fmt = file_format(path)
    if slice is not None and fmt != ".txt":
        raise ValueError(f"dataset {path!r}: slice={slice!r} applies to TXT files only; use limit for tables")
    text, digest = read_text_file(path)
    if fmt == ".txt":
        if slice is not None:
            start, stop = parse_slice(slice)
            text = text[int(start * len(text)):int(stop * len(text))]
        if txt_rows not in TXT_ROWS:
            raise ValueError(f"txt_rows must be one of {TXT_ROWS}, received txt_rows={txt_rows!r}")
        if txt_rows == "document":
            rows = [text] if text.strip() else []
        elif lines or txt_rows == "line":
            rows = [line for line in text.splitlines() if line.strip()]
        else:
            rows = [block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
        if not rows:
            raise ValueError(f"dataset {path!r}: no text in slice={slice!r}")
        return pd.DataFrame({"text": rows}), digest
    if fmt == ".jsonl":
        return _read_jsonl(path, text), digest
    sep = "\t" if fmt == ".tsv" else ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""],
                            quoting=csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise ValueError(f"dataset {path!r}: cannot parse as {fmt[1:].upper()}: {e}") from None
    if frame.empty:
        raise ValueError(f"dataset {path!r}: the file has a header but no data rows")
    return frame, digest


def _read_jsonl(path: str, text: str) -> pd.DataFrame:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"dataset {path!r}: row {number}: not valid JSON: {e.msg}") from None
        if not isinstance(record, dict):
            raise ValueError(f"dataset {path!r}: row {number}: expected a JSON object, "
                             f"received {type(record).__name__}")
        records.append({k: (None if v is None else str(v)) for k, v in record.items()})
    return pd.DataFrame.from_records(records)


def read_hf(name: str, split: str) -> tuple[pd.DataFrame, Optional[str]]:
    """Load ``hf:NAME[:CONFIG]`` with ``datasets.load_dataset`` (needs the package and, usually, network).

    Returns:
        ``(frame, the dataset's fingerprint or None)``.

    Raises:
        ValueError: ``datasets`` is not installed, or the dataset could not be loaded (e.g. offline).
    """
    spec = name[len("hf:"):]
    hf_name, _, config = spec.partition(":")
    try:
        import datasets as hf_datasets  # optional and heavy
    except ImportError:
        raise ValueError(f"dataset {name!r} needs the Hugging Face 'datasets' package "
                         f"(pip install datasets); use a local file offline") from None
    try:
        ds = hf_datasets.load_dataset(hf_name, config or None, split=split)
    except Exception as e:  # network, missing config, offline mode: all reach the user the same way
        raise ValueError(f"dataset {name!r} split={split!r} could not be loaded (offline or unknown name?): "
                         f"{type(e).__name__}: {e}") from None
    frame = ds.to_pandas().astype(object)
    return frame, getattr(ds, "_fingerprint", None)


def load_dataset(dataset: str, split: Optional[str] = None, slice: Optional[str] = None,
                 limit: Optional[int] = None, txt_rows: str = "paragraph") -> tuple[pd.DataFrame, Optional[str]]:
    """A local file or ``hf:`` dataset as a DataFrame, cut to ``limit`` rows.

    Args:
        dataset: Absolute local path or ``"hf:NAME[:CONFIG]"``.
        split: Split for ``hf:`` datasets.
        slice: Fraction range for TXT files.
        limit: Keep only the first ``limit`` rows.
        txt_rows: How a TXT file becomes rows (see ``read_local``).

    Returns:
        ``(frame, sha256 or fingerprint)``.
    """
    if dataset.startswith("hf:"):
        frame, digest = read_hf(dataset, split)
    else:
        frame, digest = read_local(dataset, slice=slice, txt_rows=txt_rows)
    if limit is not None:
        frame = frame.head(limit)
    return frame.reset_index(drop=True), digest


def column_values(frame: pd.DataFrame, column: str, source: str, key: str) -> list[str]:
    """The values of ``column`` as strings, refusing missing columns and missing values.

    Args:
        frame: The dataset.
        column: Column to read.
        source: The file (or ``hf:`` name) for messages.
        key: The suite key that named the column (``label_column``...) for messages.

    Raises:
        ValueError: ``"dataset X: missing column 'c' (key=...); columns are [...]"`` or
            ``"dataset X: row N, column 'c': missing value (NaN)"``.
    """
    if column not in frame.columns:
        raise ValueError(f"dataset {source!r}: missing column {column!r} ({key}={column!r}); "
                         f"columns are {list(map(str, frame.columns))}")
    values = []
    for i, value in enumerate(frame[column].tolist(), start=1):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            raise ValueError(f"dataset {source!r}: row {i}, column {column!r}: missing value (NaN)")
        values.append(str(value))
    return values
