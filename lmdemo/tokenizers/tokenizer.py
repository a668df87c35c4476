"""The interface every lmdemo tokenizer implements, and loading one from JSON."""

import json
import os


class Tokenizer:
    """Maps text to token ids and back.

    Subclasses implement ``encode``, ``decode``, ``vocab_size``, ``get_config`` and
    ``from_config``. Saved files are plain JSON: ``{"type": ..., "config": {...}}``.

    Attributes:
        special_tokens: the tokens that are not text (``"<unk>"``, ``"<|endoftext|>"``).
        start_text: text that an empty prompt is replaced with before generation, so that a
            model always has a token to condition on (``"\\n"`` for character models, as
            nanoGPT samples from a newline; the end-of-text token for BPE models).
        unk_id: the id text outside the vocabulary becomes (``<unk>``), or None where every text
            has its own tokens (byte-level BPE).
    """

    type_name = None
    special_tokens = ()
    start_text = None
    unk_id = None

    def encode(self, text):
        raise NotImplementedError

    def decode(self, ids):
        raise NotImplementedError

    @property
    def vocab_size(self):
        raise NotImplementedError

    @property
    def start_id(self):
        """The id that ``start_text`` ends with (the start/end token of BPE), or None without a start text."""
        return int(self.encode(self.start_text)[-1]) if self.start_text else None

    def decode_continuation(self, ids):
        """The text of ``ids`` generated after a prompt (word tokenizers add the separating space)."""
        return self.decode(ids)

    def token_to_id(self, token):
        raise NotImplementedError

    def id_to_token(self, token_id):
        raise NotImplementedError

    def token_text(self, token_id):
        """One token as readable text, for showing it (byte-level BPE symbols decoded)."""
        return self.id_to_token(token_id)

    def spans(self, text):
        """``[(piece, [ids])]``: the text each token covers, in order (byte-level BPE merges the
        tokens that split one character into one piece)."""
        return [(piece, [int(i)]) for piece, i in zip(self.tokenize(text), self.encode(text))]

    def unknown_share(self, text):
        """The share of ``text``'s tokens that are ``<unk>``: how much of it the tokenizer cannot see
        (0.0 without an unknown token or for an empty text). A model's score on such tokens says little:
        one ``<unk>`` stands for every word or character it replaces."""
        ids = self.encode(text)
        if self.unk_id is None or len(ids) == 0:
            return 0.0
        return sum(1 for i in ids if int(i) == self.unk_id) / len(ids)

    def tokenize(self, text):
        """The pieces of ``text`` as strings, one per token (for showing how text splits)."""
        return [self.id_to_token(i) for i in self.encode(text)]

    def get_config(self):
        raise NotImplementedError

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def save(self, path):
        """Write the tokenizer to ``path`` as JSON."""
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"type": self.type_name, "config": self.get_config()}, f, ensure_ascii=False)

    def _check_text(self, text):
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, received {type(text).__name__}: {text!r:.80}")


def tokenizer_types():
    from lmdemo.tokenizers.bpe_tokenizer import BPETokenizer
    from lmdemo.tokenizers.char_tokenizer import CharTokenizer
    from lmdemo.tokenizers.word_tokenizer import WordTokenizer
    from lmdemo.tokenizers.wordpiece_tokenizer import WordPieceTokenizer

    return {t.type_name: t for t in (CharTokenizer, BPETokenizer, WordTokenizer, WordPieceTokenizer)}


def train_tokenizer(kind, text, bpe_vocab_size=1000):
    """A new tokenizer of ``kind`` (``"char"``, ``"bpe"`` or ``"word"``) trained on ``text``."""
    if kind not in ("char", "bpe", "word"):
        raise ValueError(f"tokenizer must be 'char', 'bpe' or 'word', received tokenizer={kind!r}")
    cls = tokenizer_types()[kind]
    return cls.train(text, vocab_size=bpe_vocab_size) if kind == "bpe" else cls.train(text)


def load_tokenizer(path):
    """Load a tokenizer saved with ``Tokenizer.save``.

    Args:
        path: a JSON file written by ``save``.

    Raises:
        ValueError: the file is missing, not JSON, or names an unknown tokenizer type.
    """
    if not os.path.isfile(path):
        raise ValueError(f"tokenizer file not found: path={path!r}")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        type_name, config = data["type"], data["config"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as e:
        raise ValueError(f"tokenizer file is corrupt: path={path!r} ({e})") from None
    types = tokenizer_types()
    if type_name not in types:
        raise ValueError(f"unknown tokenizer type={type_name!r} in path={path!r}; known: {sorted(types)}")
    return types[type_name].from_config(config)
