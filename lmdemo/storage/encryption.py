"""Checkpoints encrypted at rest: AES-256-GCM over the weight and tokenizer files.

The key is 32 random bytes given directly (``key=``, or hex/base64 in ``$LMDEMO_CHECKPOINT_KEY``)
or derived from a passphrase with scrypt (``passphrase=``, or ``$LMDEMO_CHECKPOINT_PASSPHRASE``);
the salt and scrypt parameters are stored in the checkpoint's ``config.json``. GCM authenticates
every byte: a wrong key or any changed byte is refused before anything is loaded. The file name
is bound in as associated data, so encrypted files cannot be swapped between names.

An encrypted file is ``MAGIC + nonce (12 bytes) + ciphertext + tag (16 bytes)``.
"""

import base64
import binascii
import os

KEY_ENV = "LMDEMO_CHECKPOINT_KEY"
PASSPHRASE_ENV = "LMDEMO_CHECKPOINT_PASSPHRASE"
MAGIC = b"LMDEMO-AESGCM-1\n"
SCRYPT = {"n": 2**15, "r": 8, "p": 1}  # ~32 MB and ~0.1 s per derivation: slow for guessing, fine once
ENCRYPTED_SUFFIX = ".enc"


class Encryption:
    """A key, and how it was made (recorded in ``config.json``, never the key itself).

    Args:
        key: 32 bytes.
        kdf: ``{"name": "scrypt", "salt": hex, "n", "r", "p"}`` if derived from a passphrase, else None.
    """

    def __init__(self, key, kdf=None):
        if not isinstance(key, bytes):
            raise TypeError(f"key must be bytes, received {type(key).__name__}")
        if len(key) != 32:
            raise ValueError(f"key must be 32 bytes for AES-256, received {len(key)} bytes")
        self.key = key
        self.kdf = kdf

    @classmethod
    def from_passphrase(cls, passphrase, salt=None, n=SCRYPT["n"], r=SCRYPT["r"], p=SCRYPT["p"]):
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        if not isinstance(passphrase, str) or not passphrase:
            raise ValueError("passphrase must be a non-empty string")
        salt = salt if salt is not None else os.urandom(16)
        key = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
        return cls(key, {"name": "scrypt", "salt": salt.hex(), "n": n, "r": r, "p": p})

    def metadata(self):
        return {"algorithm": "AES-256-GCM", "kdf": self.kdf or {"name": "none (raw 32-byte key)"}}

    def encrypt(self, data, name):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(12)
        return MAGIC + nonce + AESGCM(self.key).encrypt(nonce, data, MAGIC + name.encode())

    def decrypt(self, blob, name):
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 12 + 16:
            raise ValueError(f"{name} is not an lmdemo encrypted file (or it is truncated)")
        nonce = blob[len(MAGIC):len(MAGIC) + 12]
        try:
            return AESGCM(self.key).decrypt(nonce, blob[len(MAGIC) + 12:], MAGIC + name.encode())
        except InvalidTag:
            raise ValueError(
                f"cannot decrypt {name}: wrong key or passphrase, or the file was changed; nothing was loaded") from None


def parse_key(text):
    """32 bytes from hex (64 characters) or base64 text; bytes are returned as they are."""
    if isinstance(text, bytes):
        return text
    text = text.strip()
    try:
        key = bytes.fromhex(text) if len(text) == 64 else base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        raise ValueError(f"${KEY_ENV} (or key=) must be 32 bytes as hex or base64") from None
    if len(key) != 32:
        raise ValueError(f"the checkpoint key must be 32 bytes, received {len(key)} bytes")
    return key


def new_key():
    """A fresh random key as hex, for ``$LMDEMO_CHECKPOINT_KEY``."""
    return os.urandom(32).hex()


def for_saving(key=None, passphrase=None):
    """The ``Encryption`` to save with: from ``key`` or ``passphrase``, else from the environment.

    Raises:
        ValueError: neither is given nor set in ``$LMDEMO_CHECKPOINT_KEY`` / ``$LMDEMO_CHECKPOINT_PASSPHRASE``.
    """
    if key is None and passphrase is None:
        key, passphrase = os.environ.get(KEY_ENV), os.environ.get(PASSPHRASE_ENV)
        if not key and not passphrase:
            raise ValueError(f"encryption needs a key or a passphrase: set ${KEY_ENV} (e.g. to the output of "
                             f"python -c 'import lmdemo.storage.encryption as e; print(e.new_key())') or ${PASSPHRASE_ENV}")
    if key:
        return Encryption(parse_key(key))
    return Encryption.from_passphrase(passphrase)


def for_model_save(current, encrypt=None, key=None, passphrase=None):
    """The ``Encryption`` a model's ``save(..., encrypt, key, passphrase)`` writes with (None: plain).

    A ``key`` or ``passphrase``, or ``encrypt=True`` on a plain model, gives a new one (see
    ``for_saving``); ``encrypt=False`` gives None; otherwise the model keeps ``current``.
    """
    if key is not None or passphrase is not None or (encrypt and current is None):
        return for_saving(key, passphrase)
    return None if encrypt is False else current


def for_loading(metadata, path, key=None, passphrase=None):
    """The ``Encryption`` that opens a checkpoint whose ``config.json`` has ``metadata``."""
    kdf = metadata.get("kdf", {})
    if key is None and passphrase is None:
        key, passphrase = os.environ.get(KEY_ENV), os.environ.get(PASSPHRASE_ENV)
    if kdf.get("name") == "scrypt":
        if not passphrase:
            raise ValueError(f"checkpoint path={path!r} is encrypted with a passphrase: pass passphrase= "
                             f"or set ${PASSPHRASE_ENV}")
        return Encryption.from_passphrase(passphrase, bytes.fromhex(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"])
    if not key:
        raise ValueError(f"checkpoint path={path!r} is encrypted with a key: pass key= or set ${KEY_ENV}")
    return Encryption(parse_key(key))


def encrypt_in_place(folder, names, encryption):
    """Replace each file ``folder/name`` by ``folder/name.enc``."""
    for name in names:
        src = os.path.join(folder, name)
        with open(src, "rb") as f:
            blob = encryption.encrypt(f.read(), name)
        with open(src + ENCRYPTED_SUFFIX, "wb") as f:
            f.write(blob)
        os.remove(src)


def decrypt_to(folder, names, encryption, out_dir):
    """Decrypt every ``folder/name.enc`` into ``out_dir/name``; all are checked before any is written."""
    plain = {}
    for name in names:
        path = os.path.join(folder, name + ENCRYPTED_SUFFIX)
        if not os.path.isfile(path):
            raise ValueError(f"encrypted checkpoint is missing {name + ENCRYPTED_SUFFIX} in path={folder!r}")
        with open(path, "rb") as f:
            plain[name] = encryption.decrypt(f.read(), name)
    for name, data in plain.items():
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
