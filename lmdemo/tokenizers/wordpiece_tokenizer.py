"""BERT's WordPiece tokenizer, through the Hugging Face ``tokenizers`` library: every text is ``[CLS] … [SEP]``."""

import json

from lmdemo.tokenizers.library_tokenizer import LibraryTokenizer

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
REQUIRED = (PAD, UNK, CLS, SEP)  # what a BERT classifier reads: padding, unknown words and the two markers


class WordPieceTokenizer(LibraryTokenizer):
    """BERT's tokenizer: normalize, split into words, cut each word into the longest known pieces.

    1. normalize: control characters removed, whitespace made spaces, a space put around every
       CJK character, then (``lowercase``) lower-cased and accents stripped (NFD, marks dropped);
    2. split at whitespace and around every punctuation mark;
    3. cut each word greedily from the left into the longest pieces in the vocabulary, a piece
       inside a word written with ``##`` ("tiny" → ``t ##in ##y``); a word that cannot be cut
       (or is longer than 100 characters) is ``[UNK]`` as a whole;
    4. wrap the text: ``[CLS]`` pieces ``[SEP]``, BERT's one-text layout (segment 0 throughout).

    Padding uses ``[PAD]``; a classifier reads the output at ``[CLS]``. ``truncate`` cuts a text
    to a length and keeps ``[SEP]`` last, as transformers' truncation does.

    Args:
        tokenizer_json: a serialized ``tokenizers.Tokenizer`` with a WordPiece model whose
            vocabulary has ``[PAD]``, ``[UNK]``, ``[CLS]`` and ``[SEP]`` (a BERT ``tokenizer.json``).

    Example:
        >>> tok = WordPieceTokenizer.from_vocab(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "t", "##in", "##y"])
        >>> tok.tokenize("Tiny")
        ['[CLS]', 't', '##in', '##y', '[SEP]']
    """

    type_name = "wordpiece"
    special_tokens = (PAD, UNK, CLS, SEP, MASK)
    start_text = None  # a classifier's tokenizer; its texts start with [CLS] anyway

    def __init__(self, tokenizer_json):
        super().__init__(tokenizer_json)
        tok = self._tok
        try:
            model = json.loads(tokenizer_json)["model"]
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise ValueError(f"tokenizer_json is not a valid tokenizers JSON ({e})") from None
        if not isinstance(model, dict) or model.get("type") != "WordPiece":
            kind = model.get("type") if isinstance(model, dict) else model
            raise ValueError(f"tokenizer_json has a {kind!r} model; a WordPieceTokenizer needs 'WordPiece'")
        missing = [t for t in REQUIRED if tok.token_to_id(t) is None]
        if missing:
            raise ValueError(f"tokenizer_json has no {missing[0]!r} token; BERT's vocabulary has {', '.join(REQUIRED)}")
        tok.no_truncation()  # lmdemo cuts texts itself (``truncate``) and pads batches itself
        tok.no_padding()
        self.pad_id, self.unk_id, self.cls_id, self.sep_id = (tok.token_to_id(t) for t in REQUIRED)

    @classmethod
    def from_vocab(cls, vocab, lowercase=True, strip_accents=None, split_chinese=True):
        """The tokenizer of a BERT ``vocab.txt`` (its lines, in id order), as ``BertTokenizer`` builds it.

        Args:
            vocab: the tokens in id order (``[PAD]``, ``[UNK]``, ``[CLS]``, ``[SEP]`` among them).
            lowercase: lower-case the text first (``do_lower_case``; "uncased" BERTs).
            strip_accents: drop accents; None: when lower-casing (BERT's default).
            split_chinese: a space around every CJK character (``tokenize_chinese_chars``).
        """
        from tokenizers import Tokenizer as HFTokenizer
        from tokenizers import decoders, models, normalizers, pre_tokenizers

        vocab = list(vocab)
        bad = [t for t in vocab if not isinstance(t, str) or not t]
        if bad:
            raise ValueError(f"vocab must hold non-empty strings, received {bad[0]!r}")
        ids = {t: i for i, t in enumerate(vocab)}
        if len(ids) != len(vocab):
            raise ValueError(f"vocab repeats a token, e.g. {next(t for t in vocab if vocab.count(t) > 1)!r}")
        missing = [t for t in REQUIRED if t not in ids]
        if missing:
            raise ValueError(f"vocab has no {missing[0]!r} token; BERT's vocabulary has {', '.join(REQUIRED)}")
        tok = HFTokenizer(models.WordPiece(ids, unk_token=UNK, max_input_chars_per_word=100))
        tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=split_chinese,
                                                    strip_accents=strip_accents, lowercase=lowercase)
        tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        tok.decoder = decoders.WordPiece(prefix="##")
        tok.add_special_tokens([t for t in (PAD, UNK, CLS, SEP, MASK) if t in ids])
        return cls(tok.to_str())

    def encode(self, text):
        """``[CLS]``, the pieces of ``text``, ``[SEP]``."""
        self._check_text(text)
        return [self.cls_id] + self._tok.encode(text, add_special_tokens=False).ids + [self.sep_id]

    def truncate(self, ids, max_length):
        """``encode``'s ids cut to at most ``max_length`` (≥ 2), ``[SEP]`` still last: [CLS] p₁ … pₖ [SEP]
        with k = max_length - 2, as transformers' ``truncation=True`` gives."""
        if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 2:
            raise ValueError(f"max_length must be an int ≥ 2 ([CLS] and [SEP]), received max_length={max_length!r}")
        ids = list(ids)
        return ids if len(ids) <= max_length else ids[:max_length - 1] + [self.sep_id]

    def decode(self, ids):
        """The text of ``ids`` (``[CLS]``, ``[SEP]`` and ``[PAD]`` left out; pieces joined, lower-cased if the
        tokenizer lower-cases)."""
        ids = self._check_ids(ids)
        wrapping = (self.cls_id, self.sep_id, self.pad_id)
        return self._tok.decode([i for i in ids if i not in wrapping], skip_special_tokens=False)
