"""The training-text fingerprint: hashed word 13-grams in a Bloom filter, stored with a checkpoint."""

import os

import numpy as np
import pytest

from lmdemo.data import fingerprint
from lmdemo.data.fingerprint import NgramFingerprint, load_fingerprint
from lmdemo.storage.checkpoint import checkpoint_sha256

from tests.conftest import REPO, TOY_TEXT

UNSEEN = ("Meteorologists expect a cold front to move across the northern plains on Tuesday, bringing gusty "
          "winds, scattered showers and temperatures well below the seasonal average for most of the week. ") * 3


def test_words_and_ngrams():
    assert fingerprint.words("Don't STOP, 2 birds!") == ["don", "t", "stop", "2", "birds"]
    assert fingerprint.words("王小明给刘洋发了邮件 ok") == list("王小明给刘洋发了邮件") + ["ok"]
    assert fingerprint.ngrams("a b c d", n=3) == ["a b c", "b c d"]
    assert fingerprint.ngrams("too short", n=13) == []


def test_the_training_text_is_seen_and_other_text_is_not():
    fp = NgramFingerprint.from_text(TOY_TEXT)
    own = fp.overlap(TOY_TEXT)
    assert own["ngram_overlap"] == 1.0 and own["ngrams"] == len(fingerprint.ngrams(TOY_TEXT))
    other = fp.overlap(UNSEEN)
    assert other["ngrams"] > 50 and other["ngram_overlap"] <= 0.05
    assert fp.overlap("three words only")["ngram_overlap"] is None
    assert 0 <= fp.false_positive_rate() < 0.05


def test_false_positives_stay_near_the_rate_asked_for():
    rng = np.random.default_rng(0)
    vocab = [f"w{i}" for i in range(5000)]
    train = " ".join(rng.choice(vocab, 20000))
    fp = NgramFingerprint.from_text(train, false_positive_rate=0.01)
    probe = " ".join(rng.choice(vocab, 20000))  # random 13-grams: none were in training
    assert fp.overlap(probe)["ngram_overlap"] < 0.02
    assert fp.num_hashes == 7 and fp.count == len(set(fingerprint.ngrams(train)))


def test_ngrams_do_not_cross_texts():
    fp = NgramFingerprint.from_texts(["one two three", "four five six"], n=3)
    assert fp.count == 2
    joined = fp.overlap(["one two three four five six"])
    assert (joined["ngrams"], joined["seen"]) == (4, 2)  # "two three four", "three four five" were never one text


def _checkpoint(tmp_path, toy_lm, **save):
    path = str(tmp_path / "ckpt")
    toy_lm.save(path, **save)
    return path


def test_saved_with_a_checkpoint_without_changing_its_hash(tmp_path, toy_lm):
    path = _checkpoint(tmp_path, toy_lm)
    before = checkpoint_sha256(path)
    assert load_fingerprint(path) is None
    NgramFingerprint.from_text(TOY_TEXT).save(path)
    assert sorted(os.listdir(path)).count("training_ngrams.npz") == 1
    assert checkpoint_sha256(path) == before
    assert load_fingerprint(path).overlap(TOY_TEXT)["ngram_overlap"] == 1.0
    toy_lm.save(path)  # a later save keeps the fingerprint (it is not one of the files a save replaces)
    assert load_fingerprint(path) is not None


def test_an_encrypted_checkpoint_gets_an_encrypted_fingerprint(tmp_path, toy_lm, monkeypatch):
    monkeypatch.setenv("LMDEMO_CHECKPOINT_KEY", "11" * 32)
    monkeypatch.setattr(toy_lm, "encryption", toy_lm.encryption)  # a model saved encrypted stays so: undo after
    path = _checkpoint(tmp_path, toy_lm, encrypt=True)
    from lmdemo.storage.encryption import for_saving

    NgramFingerprint.from_text(TOY_TEXT).save(path, for_saving())
    assert os.path.exists(os.path.join(path, "training_ngrams.npz.enc"))
    assert b"first citizen" not in open(os.path.join(path, "training_ngrams.npz.enc"), "rb").read()
    assert load_fingerprint(path).overlap(TOY_TEXT)["ngram_overlap"] == 1.0
    monkeypatch.setenv("LMDEMO_CHECKPOINT_KEY", "22" * 32)
    with pytest.raises(ValueError, match="wrong key"):
        load_fingerprint(path)


def test_a_corrupt_fingerprint_is_refused(tmp_path, toy_lm):
    path = _checkpoint(tmp_path, toy_lm)
    with open(os.path.join(path, "training_ngrams.npz"), "wb") as f:
        f.write(b"not numpy")
    with pytest.raises(ValueError, match="is not an lmdemo training fingerprint"):
        load_fingerprint(path)


def test_fingerprint_checkpoint_reads_the_training_split_its_metrics_record(tmp_path):
    from lmdemo.cli import main

    held_out = (UNSEEN * (len(TOY_TEXT) // len(UNSEEN) + 1))[:len(TOY_TEXT)]
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(TOY_TEXT + held_out, encoding="utf-8")  # --val-fraction 0.5: the first half trains
    out = str(tmp_path / "m")
    assert main(["train", "--model", "ngram", "--order", "3", "--data", str(corpus), "--out", out,
                 "--val-fraction", "0.5"]) == 0
    trained = load_fingerprint(out)  # written by the training itself
    assert trained.overlap(TOY_TEXT)["ngram_overlap"] == 1.0
    assert trained.overlap(held_out)["ngram_overlap"] <= 0.05
    os.remove(os.path.join(out, "training_ngrams.npz"))
    assert main(["fingerprint", out]) == 0  # from metrics.json: the data and its split
    again = load_fingerprint(out)
    assert again.count == trained.count and np.array_equal(again.bits, trained.bits)
