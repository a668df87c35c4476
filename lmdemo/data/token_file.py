"""Token ids on disk, for texts too big for memory: tokenized once into one flat binary file and read back
memory-mapped, as nanoGPT's ``prepare.py`` writes ``train.bin``.

A token folder holds ``tokens.bin`` (the ids, uint16 when the vocabulary fits, else uint32),
``tokenizer.json`` and ``tokens.json`` (the dtype, the number of tokens, where validation starts,
where the text came from). The last ``val_fraction`` of the tokens is the validation split.
``python -m lmdemo prepare`` writes one; ``python -m lmdemo train --data FOLDER`` trains from it.
"""

import codecs
import gzip
import json
import os

import numpy as np

from lmdemo.data.text import load_hub_dataset
from lmdemo.tokenizers.tokenizer import load_tokenizer, train_tokenizer

CHUNK_BYTES = 1 << 22  # read and tokenize 4 MB at a time
META = "tokens.json"
TOKENS = "tokens.bin"


def is_token_folder(path):
    """Whether ``path`` is a folder ``prepare_token_folder`` wrote."""
    return isinstance(path, str) and os.path.isfile(os.path.join(path, META))


def file_chunks(path, chunk_bytes=CHUNK_BYTES):
    """The text of a UTF-8 file (``.gz`` too) in pieces of about ``chunk_bytes``, each cut after a newline
    (or whitespace) so that no word is split between two pieces; never the whole file in memory.

    Raises:
        ValueError: the file is missing, binary or not UTF-8 (with the byte offset).
    """
    if not os.path.isfile(path):
        raise ValueError(f"data file not found: path={path!r}")
    decoder = codecs.getincrementaldecoder("utf-8")()
    opener = gzip.open if path.endswith(".gz") else open
    carry, offset = "", 0
    with opener(path, "rb") as f:
        while True:
            raw = f.read(chunk_bytes)
            if offset == 0 and b"\x00" in raw[:65536]:
                raise ValueError(f"data file path={path!r} looks binary (it has NUL bytes), not text")
            try:
                text = carry + decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as e:
                raise ValueError(f"data file path={path!r} is not UTF-8: invalid byte at offset "
                                 f"{offset + e.start}") from None
            offset += len(raw)
            if not raw:
                if text:
                    yield text
                return
            cut = max(text.rfind("\n"), text.rfind(" "))
            if cut < 0:
                carry = text
                continue
            yield text[:cut + 1]
            carry = text[cut + 1:]


def hub_chunks(source, split="train", text_column="text", streaming=True):
    """The rows of a Hugging Face dataset (``"hf:NAME"`` or ``"hf:NAME:CONFIG"``), each followed by a newline,
    read in streaming mode: rows arrive as they download, and the dataset is never held whole."""
    name, ds = load_hub_dataset(source, split, streaming=streaming)
    for row in ds:
        if text_column not in row:
            raise ValueError(f"dataset {name!r} has no column text_column={text_column!r}; columns: {list(row)}")
        if row[text_column]:
            yield str(row[text_column]) + "\n"


def _chunks(source, split, text_column):
    if source.startswith("hf:"):
        return hub_chunks(source, split, text_column)
    return file_chunks(source)


def _sample(chunks, chars):
    """The first ``chars`` characters of the chunks, and the chunks read so far (to tokenize them too)."""
    seen, size = [], 0
    for chunk in chunks:
        seen.append(chunk)
        size += len(chunk)
        if size >= chars:
            break
    return "".join(seen)[:chars], seen


def prepare_token_folder(source, out_dir, tokenizer="char", bpe_vocab_size=1000, val_fraction=0.01,
                         sample_chars=10_000_000, max_chars=None, split="train", text_column="text"):
    """Tokenize ``source`` into a token folder, streaming: memory holds one chunk, not the text.

    Args:
        source: a UTF-8 text file (``.gz`` too) or ``"hf:NAME[:CONFIG]"`` (streamed from the Hub).
        out_dir: the folder to write.
        tokenizer: ``"char"``, ``"bpe"`` or ``"word"``, trained on the first ``sample_chars`` characters
            (characters a char tokenizer did not see there become ``<unk>``, counted in ``tokens.json``).
        val_fraction: the last part of the tokens kept for validation, in [0, 0.5).
        max_chars: stop after this many characters (None: the whole source).
        split, text_column: of a Hub dataset.

    Returns:
        the ``tokens.json`` dict.
    """
    if not 0.0 <= val_fraction < 0.5:
        raise ValueError(f"val_fraction must be in [0, 0.5), received val_fraction={val_fraction!r}")
    if max_chars is not None and (isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1):
        raise ValueError(f"max_chars must be a positive int or None, received max_chars={max_chars!r}")
    chunks = _chunks(source, split, text_column)
    sample, seen = _sample(chunks, min(sample_chars, max_chars or sample_chars))
    if not sample.strip():
        raise ValueError(f"source={source!r} has no text")
    tok = train_tokenizer(tokenizer, sample, bpe_vocab_size)
    dtype = np.uint16 if tok.vocab_size <= np.iinfo(np.uint16).max + 1 else np.uint32
    os.makedirs(out_dir, exist_ok=True)
    tmp = os.path.join(out_dir, TOKENS + ".tmp")
    count = chars = unknown = 0
    unk = getattr(tok, "unk_id", None)
    with open(tmp, "wb") as f:
        for chunk in _chain(seen, chunks):
            if max_chars is not None and chars + len(chunk) > max_chars:
                chunk = chunk[:max_chars - chars]
            ids = np.asarray(tok.encode(chunk), dtype=dtype)
            ids.tofile(f)
            count += len(ids)
            chars += len(chunk)
            unknown += int(np.sum(ids == unk)) if unk is not None else 0
            if max_chars is not None and chars >= max_chars:
                break
    if count < 2:
        os.remove(tmp)
        raise ValueError(f"source={source!r} gave {count} tokens; it needs at least 2")
    os.replace(tmp, os.path.join(out_dir, TOKENS))
    tok.save(os.path.join(out_dir, "tokenizer.json"))
    meta = {"source": source, "tokenizer": tok.type_name, "dtype": np.dtype(dtype).name, "tokens": count,
            "chars": chars, "val_start": int(count * (1.0 - val_fraction)), "val_fraction": val_fraction,
            "unknown_tokens": unknown, "sample_chars": len(sample)}
    with open(os.path.join(out_dir, META), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1)
    return meta


def _chain(first, rest):
    yield from first
    yield from rest


def read_token_folder(folder):
    """``(tokenizer, train_ids, val_ids, meta)`` of a token folder; the ids are read-only memory maps
    (``val_ids`` is None when there is no validation split)."""
    if not is_token_folder(folder):
        raise ValueError(f"{folder!r} is not a token folder (no {META}); write one with python -m lmdemo prepare")
    with open(os.path.join(folder, META), encoding="utf-8") as f:
        meta = json.load(f)
    ids = np.memmap(os.path.join(folder, TOKENS), dtype=meta["dtype"], mode="r")
    if len(ids) != meta["tokens"]:
        raise ValueError(f"{folder!r}: {TOKENS} holds {len(ids):,} tokens and {META} says {meta['tokens']:,}; "
                         f"write the folder again")
    start = meta["val_start"]
    tok = load_tokenizer(os.path.join(folder, "tokenizer.json"))
    return tok, ids[:start], (ids[start:] if start < len(ids) else None), meta
