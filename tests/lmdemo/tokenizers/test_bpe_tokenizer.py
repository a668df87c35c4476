"""BPETokenizer (lmdemo/tokenizers/bpe_tokenizer.py): byte-level BPE."""

import pytest

from lmdemo.tokenizers import BPETokenizer
from tests.lmdemo.tokenizers.conftest import TEXTS


@pytest.mark.parametrize("text", TEXTS)
def test_bpe_round_trip_any_unicode(text):
    tok = BPETokenizer.train(TEXTS * 5, vocab_size=300)
    assert tok.decode(tok.encode(text)) == text


def test_bpe_handles_text_never_seen_in_training():
    tok = BPETokenizer.train(["aaaa bbbb"] * 10, vocab_size=260)
    text = "Zürich 東京 🙂"
    assert tok.decode(tok.encode(text)) == text


def test_bpe_learns_merges_from_corpus():
    tok = BPETokenizer.train(["lower lowest low"] * 50, vocab_size=300)
    assert len(tok.encode("lowest")) < len("lowest".encode())
    assert tok.token_to_id("<|endoftext|>") == 0
    assert tok.start_text == "<|endoftext|>"


def test_bpe_rejects_small_vocab():
    with pytest.raises(ValueError, match="vocab_size=100"):
        BPETokenizer.train(["abc"], vocab_size=100)
