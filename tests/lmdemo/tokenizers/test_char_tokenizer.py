"""CharTokenizer (lmdemo/tokenizers/char_tokenizer.py): one token per character, and unseen characters."""

import pytest

from lmdemo.tokenizers import CharTokenizer
from tests.lmdemo.tokenizers.conftest import TEXTS


def test_char_vocab_is_sorted_characters_plus_unk():
    tok = CharTokenizer.train("banana")
    assert tok.chars == ["a", "b", "n"]
    assert tok.vocab_size == 4
    assert tok.encode("nab") == [2, 0, 1]
    assert tok.unk_id == 3
    assert tok.special_tokens == ("<unk>",)


@pytest.mark.parametrize("text", TEXTS)
def test_char_round_trip_any_unicode(text):
    tok = CharTokenizer.train(text)
    assert tok.decode(tok.encode(text)) == text
    assert len(tok.encode(text)) == len(text)


def test_char_chinese_one_token_per_character():
    tok = CharTokenizer.train("床前明月光")
    assert tok.tokenize("明月") == ["明", "月"]


@pytest.mark.parametrize("policy,expected", [("unk", [0, 2, 1]), ("skip", [0, 1])])
def test_char_unseen_policy(policy, expected):
    tok = CharTokenizer.train("ab", unknown=policy)
    assert tok.encode("a字b") == expected


def test_char_unseen_unk_decodes_to_replacement_character():
    tok = CharTokenizer.train("ab")
    assert tok.decode(tok.encode("a字")) == "a\ufffd"


def test_char_unseen_error_names_character():
    tok = CharTokenizer.train("ab", unknown="error")
    with pytest.raises(ValueError, match=r"'字' \(U\+5B57\) at position 1"):
        tok.encode("a字")


def test_char_rejects_bad_arguments():
    with pytest.raises(ValueError, match="unknown must be one of"):
        CharTokenizer(["a"], unknown="drop")
    with pytest.raises(ValueError, match="text is empty"):
        CharTokenizer.train("")
    with pytest.raises(TypeError, match="text must be a str, received bytes"):
        CharTokenizer.train("ab").encode(b"ab")
    with pytest.raises(ValueError, match="token id 7 is outside the vocabulary"):
        CharTokenizer.train("ab").decode([7])
