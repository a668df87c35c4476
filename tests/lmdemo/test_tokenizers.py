import json

import pytest

from lmdemo.tokenizers import BPETokenizer, CharTokenizer, WordTokenizer, load_tokenizer

TEXTS = ["hello world", "床前明月光，疑是地上霜。", "emoji 🙂 and ZWJ 👩‍💻", "tabs\tand\nnewlines", "ÀÉÎõü ß ﬁ"]


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


@pytest.mark.parametrize("make", [lambda: CharTokenizer.train("日本語 text"),
                                  lambda: BPETokenizer.train(["日本語 text"] * 5, vocab_size=270),
                                  lambda: WordTokenizer.train("日本語 text\n")])
def test_save_load_round_trip(tmp_path, make):
    tok = make()
    path = tmp_path / "tok.json"
    tok.save(str(path))
    loaded = load_tokenizer(str(path))
    assert type(loaded) is type(tok)
    assert loaded.vocab_size == tok.vocab_size
    assert loaded.encode("日本語 text") == tok.encode("日本語 text")
    assert json.loads(path.read_text(encoding="utf-8"))["type"] == tok.type_name


def test_load_corrupt_tokenizer(tmp_path):
    path = tmp_path / "tok.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="tokenizer file is corrupt"):
        load_tokenizer(str(path))
    path.write_text('{"type": "wordpiece", "config": {}}', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown tokenizer type='wordpiece'"):
        load_tokenizer(str(path))
    with pytest.raises(ValueError, match="tokenizer file not found"):
        load_tokenizer(str(tmp_path / "missing.json"))


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
