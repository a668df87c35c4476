"""WordPieceTokenizer (lmdemo/tokenizers/wordpiece_tokenizer.py): BERT's tokenizer, [CLS] … [SEP] around each text.

Exact ids against transformers' are checked on the BERT fixtures in tests/lmdemo/storage/test_hf_bert.py.
"""

import pytest

from lmdemo.tokenizers import BPETokenizer, WordPieceTokenizer

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "t", "##in", "##y", "cafe", ",", "!", "你"]


@pytest.fixture(scope="module")
def tok():
    return WordPieceTokenizer.from_vocab(VOCAB)


def test_texts_are_lower_cased_stripped_of_accents_split_and_cut_into_longest_pieces(tok):
    pieces = ["[CLS]", "the", "t", "##in", "##y", "cafe", ",", "你", "[UNK]", "!", "[SEP]"]
    assert tok.tokenize("The TINY café, 你好!") == pieces
    assert tok.encode("tiny") == [2, 6, 7, 8, 3] and (tok.cls_id, tok.sep_id, tok.pad_id, tok.unk_id) == (2, 3, 0, 1)
    assert tok.encode("tinyz") == [2, 1, 3]  # a word that cannot be cut is [UNK] as a whole
    assert tok.encode("") == [2, 3] and tok.vocab_size == len(VOCAB)


def test_decode_leaves_out_the_wrapping_and_joins_pieces(tok):
    assert tok.decode(tok.encode("The tiny café!") + [0, 0]) == "the tiny cafe!"
    with pytest.raises(ValueError, match=r"token id 99 is outside the vocabulary \(vocab_size=13\)"):
        tok.decode([99])


def test_a_cased_vocabulary_keeps_case(tok):
    cased = WordPieceTokenizer.from_vocab(VOCAB + ["The"], lowercase=False)
    assert cased.tokenize("The the") == ["[CLS]", "The", "the", "[SEP]"]


def test_truncate_keeps_sep_last(tok):
    ids = tok.encode("the tiny tiny")
    assert tok.truncate(ids, 4) == [2, 5, 6, 3] and tok.truncate(ids, 20) == ids
    with pytest.raises(ValueError, match="max_length must be an int ≥ 2 .*, received max_length=1"):
        tok.truncate(ids, 1)


def test_the_json_round_trips(tok):
    again = WordPieceTokenizer(**tok.get_config())
    assert again.encode("The tiny café") == tok.encode("The tiny café")


def test_bad_vocabularies_are_refused():
    with pytest.raises(ValueError, match=r"vocab has no '\[CLS\]' token; BERT's vocabulary has \[PAD\], \[UNK\], "):
        WordPieceTokenizer.from_vocab(["[PAD]", "[UNK]", "[SEP]", "a"])
    with pytest.raises(ValueError, match="vocab repeats a token, e.g. 'a'"):
        WordPieceTokenizer.from_vocab(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "a"])
    with pytest.raises(ValueError, match="tokenizer_json has a 'BPE' model; a WordPieceTokenizer needs 'WordPiece'"):
        WordPieceTokenizer(BPETokenizer.train(["a b c"] * 5, vocab_size=260).tokenizer_json)
    with pytest.raises(ValueError, match="tokenizer_json is not a valid tokenizers JSON"):
        WordPieceTokenizer("{not json")
