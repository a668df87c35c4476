"""Encryption at rest (lmdemo/storage/encryption.py): AES-256-GCM with a key or a passphrase, and every refusal."""

import json
import os

import numpy as np
import pytest

import lmdemo
from lmdemo.storage.encryption import KEY_ENV, PASSPHRASE_ENV, Encryption, new_key, parse_key

TEXT = "Speak, speak. First Citizen"


@pytest.fixture(autouse=True)
def no_env_keys(monkeypatch, toy_lm):
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    yield
    toy_lm.encryption = None  # the shared toy model remembers the key it was saved with


def test_key_round_trip_and_files_at_rest(tmp_path, toy_lm):
    key = new_key()
    path = tmp_path / "enc"
    toy_lm.save(str(path), key=key)
    files = sorted(os.listdir(path))
    assert files == ["config.json", "model.weights.h5.enc", "tokenizer.json.enc"]
    meta = json.loads((path / "config.json").read_text())["encryption"]
    assert meta == {"algorithm": "AES-256-GCM", "kdf": {"name": "none (raw 32-byte key)"}}
    assert b"First" not in (path / "tokenizer.json.enc").read_bytes()  # the vocabulary is not readable
    loaded = lmdemo.load_model(str(path), key=key)
    np.testing.assert_array_equal(loaded.log_probs(TEXT), toy_lm.log_probs(TEXT))


def test_passphrase_round_trip_and_wrong_passphrase(tmp_path, toy_lm):
    path = tmp_path / "enc"
    toy_lm.save(str(path), passphrase="correct horse battery staple")
    kdf = json.loads((path / "config.json").read_text())["encryption"]["kdf"]
    assert kdf["name"] == "scrypt" and len(kdf["salt"]) == 32 and kdf["n"] == 2**15
    loaded = lmdemo.load_model(str(path), passphrase="correct horse battery staple")
    np.testing.assert_array_equal(loaded.log_probs(TEXT), toy_lm.log_probs(TEXT))
    with pytest.raises(ValueError, match="cannot decrypt tokenizer.json: wrong key or passphrase"):
        lmdemo.load_model(str(path), passphrase="Correct horse battery staple")


def test_wrong_key_missing_key_and_tampering_are_refused(tmp_path, toy_lm):
    path = tmp_path / "enc"
    toy_lm.save(str(path), key=new_key())
    with pytest.raises(ValueError, match="wrong key or passphrase, or the file was changed; nothing was loaded"):
        lmdemo.load_model(str(path), key=new_key())
    with pytest.raises(ValueError, match=f"is encrypted with a key: pass key= or set \\${KEY_ENV}"):
        lmdemo.load_model(str(path))


@pytest.mark.parametrize("damage", ["flip", "truncate", "swap"])
def test_any_changed_byte_is_refused(tmp_path, toy_lm, damage):
    key = new_key()
    path = tmp_path / "enc"
    toy_lm.save(str(path), key=key)
    weights = path / "model.weights.h5.enc"
    blob = bytearray(weights.read_bytes())
    if damage == "flip":
        blob[len(blob) // 2] ^= 0x01
        weights.write_bytes(bytes(blob))
    elif damage == "truncate":
        weights.write_bytes(bytes(blob[:-1]))
    else:  # a valid encrypted file under another name: the name is authenticated too
        weights.write_bytes((path / "tokenizer.json.enc").read_bytes())
    with pytest.raises(ValueError, match="cannot decrypt model.weights.h5"):
        lmdemo.load_model(str(path), key=key)


def test_environment_key_and_switching_back_to_plain(tmp_path, toy_lm, monkeypatch):
    key = new_key()
    monkeypatch.setenv(KEY_ENV, key)
    path = tmp_path / "ck"
    toy_lm.save(str(path), encrypt=True)
    loaded = lmdemo.load_model(str(path))  # the key comes from the environment
    assert loaded.encryption is not None
    loaded.save(str(path), encrypt=False)
    assert sorted(os.listdir(path)) == ["config.json", "model.weights.h5", "tokenizer.json"]
    monkeypatch.delenv(KEY_ENV)
    assert lmdemo.load_model(str(path)).encryption is None


def test_key_parsing_errors(toy_lm, tmp_path):
    assert parse_key("00" * 32) == bytes(32)
    with pytest.raises(ValueError, match="must be 32 bytes as hex or base64"):
        parse_key("not a key")
    with pytest.raises(ValueError, match="the checkpoint key must be 32 bytes, received 16 bytes"):
        parse_key("AAAAAAAAAAAAAAAAAAAAAA==")
    with pytest.raises(ValueError, match="key must be 32 bytes for AES-256"):
        Encryption(b"short")
    with pytest.raises(ValueError, match="encryption needs a key or a passphrase"):
        toy_lm.save(str(tmp_path / "x"), encrypt=True)
