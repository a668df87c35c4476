"""A training text's fingerprint: its word 13-grams in a Bloom filter, to tell later whether a text was seen.

Contamination checks (GPT-3's appendix C; lm-evaluation-harness's decontamination) ask what share of an
evaluation text's 13-grams also occur in the training text. Keeping the training text itself would be
large and would carry it along with the model; a Bloom filter keeps only hashed bits:

    m bits, k hash functions; a 13-gram sets bits h_1(g) … h_k(g) (mod m)
    a 13-gram "was seen" when all its k bits are set: never a false "no", a false "yes" with probability
    p ≈ (1 − e^(−k·n/m))^k; m = ⌈−n·ln p / (ln 2)²⌉ and k = round(m/n · ln 2) give p for n grams.

The k positions come from two 64-bit halves of one BLAKE2b digest, h_i = a + i·b (Kirsch and
Mitzenmacher, 2006). Words are lower-cased runs of letters and digits; each CJK character is a word of
its own, so Chinese text has 13-grams too.

The filter is stored in a checkpoint folder as ``training_ngrams.npz`` (arrays only), encrypted as the
weights are when the checkpoint is (a filter answers "was this sentence in the training text?" for a
sentence one guesses).

    >>> fp = NgramFingerprint.from_text("the cat sat on the mat and then it slept in the sun all day long")
    >>> fp.overlap("the cat sat on the mat and then it slept in the sun all day long")["ngram_overlap"]
    1.0
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
from typing import Iterable, Optional

import numpy as np

from lmdemo.data.chinese_script import HAN
from lmdemo.storage.checkpoint import FINGERPRINT_FILE

NGRAM = 13
FALSE_POSITIVE_RATE = 0.01
_WORD = re.compile(f"[{HAN}]|[^\\W_]+")


def words(text: str) -> list[str]:
    """The words a fingerprint counts: lower-cased letter/digit runs, and every CJK character alone."""
    return _WORD.findall(text.lower())


def ngrams(text: str, n: int = NGRAM) -> list[str]:
    """The word ``n``-grams of ``text`` (none when it has fewer than ``n`` words), as space-joined strings."""
    w = words(text)
    return [" ".join(w[i:i + n]) for i in range(len(w) - n + 1)]


def _hash_pairs(grams: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    digests = [hashlib.blake2b(g.encode("utf-8"), digest_size=16).digest() for g in grams]
    raw = np.frombuffer(b"".join(digests), dtype="<u8").reshape(-1, 2) if digests else np.zeros((0, 2), np.uint64)
    return raw[:, 0].astype(np.uint64), raw[:, 1].astype(np.uint64) | np.uint64(1)


class NgramFingerprint:
    """A Bloom filter of a training text's word n-grams (see the module).

    Args:
        bits: the filter, a uint8 array of ``ceil(m / 8)`` bytes (little-endian bit order).
        num_bits: m.
        num_hashes: k.
        n: the n-gram length (13).
        count: how many distinct n-grams went in.
    """

    def __init__(self, bits: np.ndarray, num_bits: int, num_hashes: int, n: int = NGRAM, count: int = 0):
        self.bits = np.asarray(bits, dtype=np.uint8)
        self.num_bits, self.num_hashes, self.n, self.count = int(num_bits), int(num_hashes), int(n), int(count)
        if self.bits.size * 8 < self.num_bits or self.num_bits < 8 or self.num_hashes < 1:
            raise ValueError(f"not a valid fingerprint: {self.bits.size} bytes for num_bits={num_bits}, "
                             f"num_hashes={num_hashes}")

    @classmethod
    def from_texts(cls, texts: Iterable[str], n: int = NGRAM,
                   false_positive_rate: float = FALSE_POSITIVE_RATE) -> "NgramFingerprint":
        """The fingerprint of every text in ``texts`` (n-grams do not cross from one text to the next)."""
        if not 0 < false_positive_rate < 1:
            raise ValueError(f"false_positive_rate must be in (0, 1), received {false_positive_rate!r}")
        grams = set()
        for text in texts:
            grams.update(ngrams(text, n))
        count = len(grams)
        num_bits = max(64, math.ceil(-max(count, 1) * math.log(false_positive_rate) / math.log(2) ** 2))
        num_hashes = max(1, round(num_bits / max(count, 1) * math.log(2)))
        fp = cls(np.zeros((num_bits + 7) // 8, np.uint8), num_bits, num_hashes, n, count)
        positions = fp._positions(sorted(grams))
        flat = np.zeros(fp.bits.size * 8, dtype=bool)
        flat[positions.ravel()] = True
        fp.bits = np.packbits(flat, bitorder="little")
        return fp

    @classmethod
    def from_text(cls, text: str, **kwargs) -> "NgramFingerprint":
        """The fingerprint of one text."""
        return cls.from_texts([text], **kwargs)

    def _positions(self, grams: list[str]) -> np.ndarray:
        a, b = _hash_pairs(grams)
        i = np.arange(self.num_hashes, dtype=np.uint64)
        with np.errstate(over="ignore"):  # the sums wrap around 2^64 on purpose
            return ((a[:, None] + i[None, :] * b[:, None]) % np.uint64(self.num_bits)).astype(np.int64)

    def contains(self, grams: list[str]) -> np.ndarray:
        """A bool per n-gram: True when all its bits are set (seen, or a false positive at rate ~p)."""
        if not grams:
            return np.zeros(0, bool)
        positions = self._positions(grams)
        set_bits = (self.bits[positions // 8] >> (positions % 8).astype(np.uint8)) & 1
        return set_bits.all(axis=1)

    def overlap(self, texts) -> dict:
        """The share of the n-grams of ``texts`` (a string or a list of strings) the training text had.

        Returns:
            ``{"ngram_overlap": share or None (no text has n words), "ngrams": how many were checked,
            "seen": how many of them were in the filter, "n": n, "false_positive_rate": the filter's
            estimated rate}``. Repeated n-grams count each time they occur.
        """
        texts = [texts] if isinstance(texts, str) else list(texts)
        grams = [g for text in texts for g in ngrams(text, self.n)]
        seen = int(self.contains(grams).sum())
        return {"ngram_overlap": seen / len(grams) if grams else None, "ngrams": len(grams), "seen": seen,
                "n": self.n, "false_positive_rate": self.false_positive_rate()}

    def false_positive_rate(self) -> float:
        """The filter's false-positive rate as filled: (share of bits set)^k."""
        filled = float(np.unpackbits(self.bits, bitorder="little")[:self.num_bits].mean())
        return filled ** self.num_hashes

    # ---- storage ---------------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(buffer, bits=self.bits, num_bits=np.int64(self.num_bits),
                            num_hashes=np.int64(self.num_hashes), n=np.int64(self.n), count=np.int64(self.count))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, name: str = FINGERPRINT_FILE) -> "NgramFingerprint":
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                return cls(z["bits"], int(z["num_bits"]), int(z["num_hashes"]), int(z["n"]), int(z["count"]))
        except (OSError, KeyError, ValueError) as e:
            raise ValueError(f"{name} is not an lmdemo training fingerprint ({e})") from None

    def save(self, folder: str, encryption=None) -> str:
        """Write into a checkpoint ``folder`` (atomically; encrypted with ``encryption`` when given); returns the path."""
        from lmdemo.storage.encryption import ENCRYPTED_SUFFIX

        data = self.to_bytes()
        name = FINGERPRINT_FILE
        if encryption is not None:
            data, name = encryption.encrypt(data, FINGERPRINT_FILE), FINGERPRINT_FILE + ENCRYPTED_SUFFIX
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, name)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        stale = os.path.join(folder, FINGERPRINT_FILE if encryption is not None else FINGERPRINT_FILE + ENCRYPTED_SUFFIX)
        if os.path.exists(stale):
            os.remove(stale)
        return path


def load_fingerprint(folder: str, key=None, passphrase=None) -> Optional[NgramFingerprint]:
    """The training fingerprint of a checkpoint ``folder``; None when it has none.

    Raises:
        ValueError: the file is corrupt, or encrypted and the key or passphrase is wrong or missing.
    """
    from lmdemo.storage.checkpoint import read_checkpoint_config
    from lmdemo.storage.encryption import ENCRYPTED_SUFFIX, for_loading

    plain, encrypted = os.path.join(folder, FINGERPRINT_FILE), os.path.join(folder, FINGERPRINT_FILE + ENCRYPTED_SUFFIX)
    if os.path.isfile(plain):
        with open(plain, "rb") as f:
            return NgramFingerprint.from_bytes(f.read())
    if not os.path.isfile(encrypted):
        return None
    info = read_checkpoint_config(folder)
    if not info.get("encryption"):
        raise ValueError(f"{FINGERPRINT_FILE + ENCRYPTED_SUFFIX} is encrypted but the checkpoint's config records no "
                         f"encryption")
    enc = for_loading(info["encryption"], folder, key, passphrase)
    with open(encrypted, "rb") as f:
        return NgramFingerprint.from_bytes(enc.decrypt(f.read(), FINGERPRINT_FILE))


def training_texts(task, data, val_data=None, val_fraction=None):
    """The texts a model was trained on, read again as its training command read them: a language model's
    text (its first ``1 - val_fraction`` when it had no ``val_data``), or an application's inputs and
    output texts (``lmdemo.data.examples``)."""
    from lmdemo.data.examples import EXAMPLE_TASKS, load_examples, load_texts
    from lmdemo.data.text import load_text, split_text

    if task in EXAMPLE_TASKS:
        pairs = load_examples(task, data, skip_empty=True)
        return [x for x, _ in pairs] + [y for _, y in pairs if isinstance(y, str)]
    if task == "masked-lm":
        return load_texts(data)
    if task in ("lm", None):
        text = load_text(data)
        return [split_text(text, val_fraction)[0] if not val_data and val_fraction else text]
    raise ValueError(f"task={task!r} has no training text to fingerprint (tagger data are tagged examples)")


def fingerprint_checkpoint(path, data=None, key=None, passphrase=None):
    """Add the training fingerprint to an existing checkpoint folder, weights untouched.

    The training data come from ``data`` or from the checkpoint's ``metrics.json`` (``data``, ``val_data``,
    ``val_fraction`` as its training command recorded them). Returns the fingerprint.
    """
    from lmdemo.storage.checkpoint import read_checkpoint_config, read_metrics
    from lmdemo.storage.encryption import for_loading

    info, metrics = read_checkpoint_config(path), read_metrics(path) or {}
    source = data or metrics.get("data")
    if not source:
        raise ValueError(f"path={path!r} records no training data (metrics.json has no 'data'): give data=")
    task = info.get("task") or metrics.get("task") or ("lm" if info["kind"] in ("transformer", "lstm", "rnn", "ngram")
                                                         else info["kind"])
    texts = training_texts(task, source, None if data else metrics.get("val_data"),
                           metrics.get("val_fraction") if not data else None)
    encryption = for_loading(info["encryption"], path, key, passphrase) if info.get("encryption") else None
    fp = NgramFingerprint.from_texts(texts)
    fp.save(path, encryption)
    return fp
