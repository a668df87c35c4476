"""Text: reading it from files or Hugging Face datasets, and splitting it for validation."""

import gzip
import os

MAX_TEXT_BYTES = 2_000_000_000


def read_text(path):
    """Read a UTF-8 text file (``.gz`` too) and return its contents.

    Raises:
        ValueError: the file is missing, empty, binary or not UTF-8 (with the byte offset).
    """
    if not os.path.isfile(path):
        raise ValueError(f"data file not found: path={path!r}")
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            raw = f.read(MAX_TEXT_BYTES + 1)
    except (OSError, EOFError) as e:
        raise ValueError(f"cannot read data file path={path!r}: {e}") from None
    if len(raw) > MAX_TEXT_BYTES:
        raise ValueError(f"data file path={path!r} is larger than {MAX_TEXT_BYTES:,} bytes")
    if b"\x00" in raw[:65536]:
        raise ValueError(f"data file path={path!r} looks binary (it has NUL bytes), not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(
            f"data file path={path!r} is not UTF-8: invalid byte 0x{raw[e.start]:02x} at offset {e.start}; "
            f"convert it, e.g. iconv -f latin1 -t utf-8") from None
    if not text.strip():
        raise ValueError(f"data file path={path!r} is empty")
    return text


def load_text(source, split="train", text_column="text"):
    """Text from a local file, or from a Hugging Face ``datasets`` name (needs the network).

    Args:
        source: a file path, or ``"hf:NAME"`` / ``"hf:NAME:CONFIG"`` for ``datasets.load_dataset``.
        split: the dataset split (Hub datasets only).
        text_column: the column holding the text (Hub datasets only); rows are joined by newlines.
    """
    if not isinstance(source, str) or not source:
        raise ValueError(f"data source must be a file path or 'hf:NAME', received source={source!r}")
    if not source.startswith("hf:"):
        return read_text(source)
    name, ds = load_hub_dataset(source, split)
    if text_column not in ds.column_names:
        raise ValueError(f"dataset {name!r} has no column text_column={text_column!r}; columns: {ds.column_names}")
    text = "\n".join(str(t) for t in ds[text_column] if t)
    if not text.strip():
        raise ValueError(f"dataset {name!r} split={split!r} column={text_column!r} is empty")
    return text


def load_hub_dataset(source, split, streaming=False):
    """``(name, dataset)`` for ``"hf:NAME"`` or ``"hf:NAME:CONFIG"`` through ``datasets.load_dataset`` (online, or a
    local folder laid out as the Hub lays datasets out); ``streaming`` gives an iterable that reads rows as they
    arrive instead of downloading the whole split first."""
    name, _, config = source[3:].partition(":")
    try:
        import datasets
    except ImportError:
        raise ValueError("loading 'hf:...' data needs the `datasets` package: pip install datasets") from None
    try:
        return name, datasets.load_dataset(name, config or None, split=split, streaming=streaming)
    except Exception as e:  # network and Hub errors come in many types
        raise ValueError(f"could not load the Hugging Face dataset {name!r} (split={split!r}): {e}") from None


def split_text(text, val_fraction=0.1):
    """First ``1 - val_fraction`` for training, the rest for validation (as nanoGPT does)."""
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in [0, 1), received val_fraction={val_fraction!r}")
    cut = int(len(text) * (1.0 - val_fraction))
    return text[:cut], text[cut:]
