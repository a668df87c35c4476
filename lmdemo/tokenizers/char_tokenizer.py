"""Character tokenizer: one token per Unicode code point seen in the training text."""

from lmdemo.tokenizers.tokenizer import Tokenizer

UNK = "<unk>"
UNKNOWN_POLICIES = ("unk", "error", "skip")


class CharTokenizer(Tokenizer):
    """One token per character (Unicode code point), Chinese and emoji included.

    The vocabulary is the sorted set of characters of the training text, plus ``<unk>``
    at the end. Characters never seen in training follow ``unknown``:

    - ``"unk"`` (default): they become the ``<unk>`` id, which decodes to U+FFFD (�);
    - ``"error"``: ``encode`` raises ``ValueError`` naming the character;
    - ``"skip"``: they are dropped.

    Args:
        chars: the vocabulary characters, in id order.
        unknown: the policy for unseen characters.

    Example:
        >>> tok = CharTokenizer.train("hello 世界")
        >>> tok.decode(tok.encode("hello"))
        'hello'
    """

    type_name = "char"
    special_tokens = (UNK,)
    start_text = "\n"

    def __init__(self, chars, unknown="unk"):
        if unknown not in UNKNOWN_POLICIES:
            raise ValueError(f"unknown must be one of {UNKNOWN_POLICIES}, received unknown={unknown!r}")
        chars = list(chars)
        bad = [c for c in chars if not isinstance(c, str) or len(c) != 1]
        if bad:
            raise ValueError(f"chars must be single characters, received {bad[:3]!r}")
        if len(set(chars)) != len(chars):
            raise ValueError("chars must not repeat a character")
        if not chars:
            raise ValueError("chars is empty: train the tokenizer on a non-empty text")
        self.chars = chars
        self.unknown = unknown
        self._ids = {c: i for i, c in enumerate(chars)}
        self.unk_id = len(chars)
        if self.start_text not in self._ids:
            self.start_text = None

    @classmethod
    def train(cls, text, unknown="unk"):
        """Build the vocabulary from ``text`` (a string or an iterable of strings)."""
        if isinstance(text, str):
            text = [text]
        chars = set()
        for piece in text:
            chars.update(piece)
        if not chars:
            raise ValueError("text is empty: a character tokenizer needs at least one character")
        return cls(sorted(chars), unknown=unknown)

    @property
    def vocab_size(self):
        return len(self.chars) + 1

    def encode(self, text):
        self._check_text(text)
        ids = self._ids
        try:
            return [ids[c] for c in text]
        except KeyError:
            pass
        out = []
        for pos, c in enumerate(text):
            i = ids.get(c)
            if i is not None:
                out.append(i)
            elif self.unknown == "unk":
                out.append(self.unk_id)
            elif self.unknown == "error":
                raise ValueError(
                    f"text has a character unseen in training: {c!r} (U+{ord(c):04X}) at position {pos}"
                )
        return out

    def spans(self, text):
        """``[(character, [id])]``: each character of ``text`` with its id, an unseen one with ``<unk>``'s
        (skipped under ``unknown="skip"``, as ``encode`` skips it)."""
        ids = self.encode(text)
        if len(ids) == len(text):
            return [(c, [int(i)]) for c, i in zip(text, ids)]
        return [(c, [self._ids[c]]) for c in text if c in self._ids]  # "skip" dropped the unseen ones

    def decode(self, ids):
        chars, n = self.chars, len(self.chars)
        out = []
        for i in ids:
            i = int(i)
            if 0 <= i < n:
                out.append(chars[i])
            elif i == n:
                out.append("\ufffd")
            else:
                raise ValueError(f"token id {i} is outside the vocabulary (vocab_size={self.vocab_size})")
        return "".join(out)

    def token_to_id(self, token):
        if token == UNK:
            return self.unk_id
        return self._ids.get(token)

    def id_to_token(self, token_id):
        return UNK if token_id == self.unk_id else self.chars[token_id]

    def get_config(self):
        return {"chars": self.chars, "unknown": self.unknown}
