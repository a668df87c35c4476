"""WordTokenizer (lmdemo/tokenizers/word_tokenizer.py): words, <eos> for newlines, <unk>, Treebank normalization."""

import pytest

from lmdemo.tokenizers import WordTokenizer, load_tokenizer


def test_word_vocab_newline_is_eos_and_frequency_order():
    tok = WordTokenizer.train("the cat sat\nthe dog sat\nthe end")
    assert tok.words == ["<unk>", "<eos>", "the", "sat", "cat", "dog", "end"]
    assert tok.encode("the cat\nsat") == [2, 4, 1, 3]
    assert tok.tokenize(" the  cat \n") == ["the", "cat", "<eos>"]
    assert tok.decode(tok.encode("the cat sat\nthe dog")) == "the cat sat\nthe dog"


def test_word_max_vocab_min_count_and_ptb_unk_kept_once():
    tok = WordTokenizer.train("a a a b b c <unk> <unk>", max_vocab=4)
    assert tok.words == ["<unk>", "<eos>", "a", "b"]
    assert tok.encode("c <unk> a") == [0, 0, 2]
    assert WordTokenizer.train("a a b", min_count=2).words == ["<unk>", "<eos>", "a"]


@pytest.mark.parametrize("policy, expected", [("unk", [2, 0, 3]), ("skip", [2, 3])])
def test_word_unknown_policy(policy, expected):
    tok = WordTokenizer(WordTokenizer.train("a b").words, unknown=policy)
    assert tok.encode("a zebra b") == expected


def test_word_generated_text_is_separated_from_the_prompt():
    tok = WordTokenizer.train("a b\n")
    assert tok.decode_continuation(tok.encode("a b")) == " a b"
    assert tok.decode_continuation(tok.encode("\na")) == "\na"


def test_word_normalize_lowercases_and_splits_like_the_treebank(tmp_path):
    tok = WordTokenizer.train("it 's a charming film .\ndoes n't work !", normalize=True)
    assert tok.tokenize("It's a CHARMING film. Doesn't work!") == ["it", "'s", "a", "charming", "film", ".", "does",
                                                                   "n't", "work", "!"]
    assert tok.encode("Hello") == [0]  # still <unk> outside the vocabulary
    tok.save(str(tmp_path / "n.json"))
    assert load_tokenizer(str(tmp_path / "n.json")).encode("Doesn't WORK") == tok.encode("does n't work")
    plain = WordTokenizer.train("it 's fine")
    assert "normalize" not in plain.get_config() and plain.encode("It's") == [0]
    with pytest.raises(ValueError, match="normalize must be a bool, received normalize='yes'"):
        WordTokenizer(plain.words, normalize="yes")


def test_word_rejects_bad_arguments():
    with pytest.raises(ValueError, match="no words"):
        WordTokenizer.train(" \n ")
    with pytest.raises(ValueError, match="must start with"):
        WordTokenizer(["a", "b"])
    with pytest.raises(ValueError, match="outside the vocabulary: 'zebra' \\(line 2\\)"):
        WordTokenizer(WordTokenizer.train("a").words, unknown="error").encode("a\nzebra")
    with pytest.raises(ValueError, match="max_vocab"):
        WordTokenizer.train("a b", max_vocab=2)
