"""load_tokenizer and save (lmdemo/tokenizers/tokenizer.py): every kind round-trips through its JSON file."""

import json

import pytest

from lmdemo.tokenizers import BPETokenizer, CharTokenizer, WordPieceTokenizer, WordTokenizer, load_tokenizer


@pytest.mark.parametrize("make", [lambda: CharTokenizer.train("日本語 text"),
                                  lambda: BPETokenizer.train(["日本語 text"] * 5, vocab_size=270),
                                  lambda: WordTokenizer.train("日本語 text\n"),
                                  lambda: WordPieceTokenizer.from_vocab(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "日", "te",
                                                                         "##xt"])])
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
    path.write_text('{"type": "sentencepiece", "config": {}}', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown tokenizer type='sentencepiece'"):
        load_tokenizer(str(path))
    with pytest.raises(ValueError, match="tokenizer file not found"):
        load_tokenizer(str(tmp_path / "missing.json"))
