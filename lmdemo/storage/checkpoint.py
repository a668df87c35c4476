"""A checkpoint is a folder: config JSON, tokenizer JSON, weights, and a model card.

    my-model/
      config.json        {"kind": "transformer", "task": "lm", "config": {...}, "format": 1, "encryption": null or {...}}
      tokenizer.json     the tokenizer (lmdemo.tokenizers)
      model.weights.h5   the weights, by Keras' save_weights (arrays only: loading runs no code)
      ngram_expert.npz   a classifier's bag-of-n-grams expert, when it has one (arrays only)
      README.md          the model card: data, exact command, measured metrics
      metrics.json       the measured metrics, for scripts
      training_ngrams.npz  the training text's 13-grams in a Bloom filter (lmdemo.data.fingerprint), when written

With encryption (``lmdemo.storage.encryption``) the tokenizer, the weights and any such array file are stored
as ``tokenizer.json.enc``, ``model.weights.h5.enc``, ... (AES-256-GCM) and ``config.json`` records how.

Writing goes to a temporary folder that replaces the target only when complete, so an
interrupted save never leaves a half-written checkpoint behind.
"""

import contextlib
import json
import os
import shutil
import tempfile

from lmdemo.storage import encryption as _encryption
from lmdemo.storage.encryption import ENCRYPTED_SUFFIX, encrypt_in_place

FORMAT = 1
CONFIG_FILE = "config.json"
TOKENIZER_FILE = "tokenizer.json"
WEIGHTS_FILE = "model.weights.h5"
NGRAM_FILE = "ngrams.npz"  # an n-gram model's counts, in place of weights
NGRAM_EXPERT_FILE = "ngram_expert.npz"  # a classifier's bag-of-n-grams expert, beside its weights
CARD_FILE = "README.md"
METRICS_FILE = "metrics.json"
FINGERPRINT_FILE = "training_ngrams.npz"  # hashed 13-grams of the training text (lmdemo.data.fingerprint)
ENCRYPTED_FILES = (TOKENIZER_FILE, WEIGHTS_FILE)
_STORED = (TOKENIZER_FILE, WEIGHTS_FILE, NGRAM_FILE, NGRAM_EXPERT_FILE)
# What a save replaces; any other file in the folder (a training log, train_state/) is kept.
CHECKPOINT_FILES = {CONFIG_FILE, CARD_FILE, METRICS_FILE, *_STORED} | {name + ENCRYPTED_SUFFIX for name in _STORED}


def write_checkpoint(path, kind, config, tokenizer, write_weights, card=None, metrics=None, encryption=None,
                     encrypted_files=ENCRYPTED_FILES, task=None):
    """Write a checkpoint folder atomically.

    Args:
        path: the folder to create or replace.
        kind: the model kind (``"transformer"``, ...), for ``load_model`` to dispatch on.
        config: JSON-serializable model hyperparameters.
        tokenizer: an ``lmdemo.tokenizers.Tokenizer``.
        write_weights: ``f(folder)`` writing the weight file(s) into ``folder``.
        card: the model card's Markdown text.
        metrics: a JSON-serializable dict of measured metrics.
        encryption: an ``lmdemo.storage.encryption.Encryption`` to store the tokenizer and weights encrypted.
        encrypted_files: the files ``encryption`` applies to (the tokenizer and what ``write_weights`` wrote).
        task: the task the model does (``lmdemo.registry.TASKS``), when its kind alone does not say.
    """
    path = os.path.abspath(path)
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".tmp-checkpoint-", dir=parent)
    try:
        tokenizer.save(os.path.join(tmp, TOKENIZER_FILE))
        write_weights(tmp)
        if encryption is not None:
            encrypt_in_place(tmp, encrypted_files, encryption)
        with open(os.path.join(tmp, CONFIG_FILE), "w", encoding="utf-8") as f:
            json.dump({"format": FORMAT, "kind": kind, "task": task, "config": config,
                       "encryption": None if encryption is None else encryption.metadata()}, f, indent=2)
        if card is not None:
            with open(os.path.join(tmp, CARD_FILE), "w", encoding="utf-8") as f:
                f.write(card)
        if metrics is not None:
            with open(os.path.join(tmp, METRICS_FILE), "w", encoding="utf-8") as f:
                json.dump(metrics, f, indent=2)
        if os.path.isdir(path):
            # keep files that are not part of the checkpoint (a training log, train_state/)
            for name in os.listdir(path):
                if name not in CHECKPOINT_FILES and not os.path.exists(os.path.join(tmp, name)):
                    src = os.path.join(path, name)
                    (shutil.copytree if os.path.isdir(src) else shutil.copy2)(src, os.path.join(tmp, name))
            old = path + ".old"
            shutil.rmtree(old, ignore_errors=True)
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return path


@contextlib.contextmanager
def opened(path, kind, files=ENCRYPTED_FILES, key=None, passphrase=None):
    """Open a checkpoint folder of model ``kind`` for reading: yields (info, folder, encryption).

    For an encrypted checkpoint, ``files`` are authenticated and decrypted into a temporary
    folder that exists only inside the ``with`` block; otherwise ``folder`` is ``path``. ``files``
    may also be a function of the checkpoint's config dict, for files that only some configs have.
    """
    info = read_checkpoint_config(path)
    if info["kind"] != kind:
        raise ValueError(f"checkpoint path={path!r} holds a {info['kind']!r} model, not a {kind!r} one")
    if not info["encryption"]:
        yield info, path, None
        return
    if callable(files):
        files = files(info["config"])
    enc = _encryption.for_loading(info["encryption"], path, key, passphrase)
    with tempfile.TemporaryDirectory(prefix="lmdemo-decrypted-") as plain:
        _encryption.decrypt_to(path, files, enc, plain)
        yield info, plain, enc


def checkpoint_sha256(path):
    """The sha256 of what a checkpoint computes with: the files in its folder (config, tokenizer, weights,
    encrypted or not; a Hugging Face folder's files alike).

    The card, the metrics, the training-text fingerprint, hidden files and folders (``train_state/``)
    are left out: rewriting a card keeps the hash. Each file enters as its name, its size and its bytes,
    in name order.
    """
    import hashlib

    digest = hashlib.sha256()
    left_out = {CARD_FILE, METRICS_FILE, FINGERPRINT_FILE, FINGERPRINT_FILE + ENCRYPTED_SUFFIX}
    names = sorted(n for n in os.listdir(path) if n not in left_out and not n.startswith(".")
                   and os.path.isfile(os.path.join(path, n)))
    if CONFIG_FILE not in names:
        raise ValueError(f"path={path!r} is not a checkpoint folder (it has no {CONFIG_FILE})")
    for name in names:
        file = os.path.join(path, name)
        digest.update(f"{name}\0{os.path.getsize(file)}\0".encode())
        with open(file, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def read_card(path):
    """The model card of a checkpoint folder, or None when it has none."""
    card_path = os.path.join(path, CARD_FILE)
    if not os.path.isfile(card_path):
        return None
    with open(card_path, encoding="utf-8") as f:
        return f.read()


def read_metrics(path):
    """The measured metrics (``metrics.json``) of a checkpoint folder, or None when it has none."""
    metrics_path = os.path.join(path, METRICS_FILE)
    if not os.path.isfile(metrics_path):
        return None
    with open(metrics_path, encoding="utf-8") as f:
        return json.load(f)


def read_checkpoint_config(path):
    """The parsed ``config.json`` of a checkpoint folder, with clear errors when it is not one."""
    if not isinstance(path, (str, os.PathLike)) or not os.path.isdir(path):
        raise ValueError(f"checkpoint folder not found: path={path!r}")
    config_path = os.path.join(path, CONFIG_FILE)
    if not os.path.isfile(config_path):
        raise ValueError(f"not a checkpoint: {CONFIG_FILE} is missing in path={path!r}")
    try:
        with open(config_path, encoding="utf-8") as f:
            data = json.load(f)
        kind, config = data["kind"], data["config"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as e:
        raise ValueError(f"corrupt checkpoint: cannot read {config_path!r} ({type(e).__name__}: {e})") from None
    if data.get("format", FORMAT) > FORMAT:
        raise ValueError(f"checkpoint path={path!r} has format {data['format']}, newer than this lmdemo ({FORMAT})")
    return {"kind": kind, "task": data.get("task"), "config": config, "encryption": data.get("encryption")}


def to_half_precision(weights_path):
    """Rewrite a Keras ``.weights.h5`` file with every float32 array stored as float16 (same layout).

    Keras casts the arrays back to the variables' float32 when loading. A new file is written and
    moved over the old one (HDF5 does not give back the space of deleted arrays).
    """
    import h5py
    import numpy as np

    tmp = weights_path + ".half"
    with h5py.File(weights_path, "r") as src, h5py.File(tmp, "w") as dst:
        dst.attrs.update(src.attrs)

        def copy(name, obj):
            if isinstance(obj, h5py.Group):
                dst.require_group(name).attrs.update(obj.attrs)
            else:
                data = obj[()]
                if getattr(data, "dtype", None) == np.float32:
                    data = data.astype(np.float16)
                dst.create_dataset(name, data=data).attrs.update(obj.attrs)

        src.visititems(copy)
    os.replace(tmp, weights_path)


def is_half_precision(weights_path):
    """True when a weights file stores its float arrays as float16."""
    import h5py
    import numpy as np

    found = []
    with h5py.File(weights_path, "r") as f:
        f.visititems(lambda name, obj: found.append(obj.dtype) if isinstance(obj, h5py.Dataset) and
                     obj.dtype.kind == "f" else None)
    return bool(found) and all(d == np.float16 for d in found)
