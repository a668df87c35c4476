"""Word tokenizer: whitespace-separated words, a newline as the end-of-sentence token.

This is how word-level language models are measured on Penn Treebank (Mikolov et al.,
Zaremba et al.): every line is a sentence, its words are tokens, and the end of the line is
one more token, ``<eos>``, that the model must also predict.
"""

import collections
import re

from lmdemo.tokenizers.char_tokenizer import UNKNOWN_POLICIES
from lmdemo.tokenizers.tokenizer import Tokenizer

UNK = "<unk>"
EOS = "<eos>"
# Penn Treebank-style word splitting: clitics ("does n't", "it 's"), words, and each punctuation mark.
_TREEBANK = re.compile(r"\w+(?=n't\b)|n't\b|'\w+|\w+|[^\w\s]")


class WordTokenizer(Tokenizer):
    """One token per whitespace-separated word; each newline is the ``<eos>`` token.

    The vocabulary is ``<unk>``, ``<eos>`` and the training words (most frequent first, at
    most ``max_vocab``, each seen at least ``min_count`` times). Words outside it follow
    ``unknown``: ``"unk"`` (default: the ``<unk>`` token, as Penn Treebank itself does),
    ``"error"`` (``ValueError`` naming the word) or ``"skip"``.

    Decoding joins words with spaces and turns ``<eos>`` back into a newline, so the text
    round-trips up to whitespace.

    With ``normalize`` the text is first lower-cased and split the way the Penn Treebank (and
    SST) write it: "Doesn't it?" reads as ``does n't it ?``. Raw text then meets the vocabulary
    of an already tokenized corpus; decoding gives the normalized words.

    Args:
        words: the vocabulary in id order (``<unk>`` and ``<eos>`` first).
        unknown: the policy for words outside the vocabulary.
        normalize: lower-case and split off punctuation and clitics before looking words up.

    Example:
        >>> tok = WordTokenizer.train("the cat sat\\nthe dog sat\\n")
        >>> tok.tokenize("the cat\\n")
        ['the', 'cat', '<eos>']
    """

    type_name = "word"
    special_tokens = (UNK, EOS)
    start_text = "\n"  # an empty prompt starts a new sentence

    def __init__(self, words, unknown="unk", normalize=False):
        if not isinstance(normalize, bool):
            raise ValueError(f"normalize must be a bool, received normalize={normalize!r}")
        if unknown not in UNKNOWN_POLICIES:
            raise ValueError(f"unknown must be one of {UNKNOWN_POLICIES}, received unknown={unknown!r}")
        words = list(words)
        if words[:2] != [UNK, EOS]:
            raise ValueError(f"words must start with {UNK!r} and {EOS!r}, received {words[:2]!r}")
        bad = [w for w in words if not isinstance(w, str) or not w or any(c.isspace() for c in w)]
        if bad:
            raise ValueError(f"words must be non-empty strings without whitespace, received {bad[:3]!r}")
        if len(set(words)) != len(words):
            raise ValueError("words must not repeat a word")
        self.words = words
        self.unknown = unknown
        self.normalize = normalize
        self._ids = {w: i for i, w in enumerate(words)}
        self.unk_id = 0
        self.eos_id = 1

    @classmethod
    def train(cls, text, max_vocab=None, min_count=1, unknown="unk", normalize=False):
        """Build the vocabulary from ``text``'s words.

        Args:
            text: the training text.
            max_vocab: keep at most this many tokens in all (``<unk>`` and ``<eos>`` included).
            min_count: drop words seen fewer times.
            normalize: see the class; the vocabulary is then of normalized words.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, received {type(text).__name__}")
        counts = collections.Counter(_TREEBANK.findall(text.lower()) if normalize is True else text.split())
        counts.pop(UNK, None)
        counts.pop(EOS, None)
        if not counts:
            raise ValueError("text has no words: a word tokenizer needs at least one")
        if max_vocab is not None and (not isinstance(max_vocab, int) or max_vocab < 3):
            raise ValueError(f"max_vocab must be an int ≥ 3 or None, received max_vocab={max_vocab!r}")
        ranked = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
        if max_vocab is not None:
            ranked = ranked[: max_vocab - 2]
        return cls([UNK, EOS] + ranked, unknown=unknown, normalize=normalize)

    @property
    def vocab_size(self):
        return len(self.words)

    def encode(self, text):
        self._check_text(text)
        ids, out = self._ids, []
        for line_no, line in enumerate(text.split("\n")):
            if line_no:
                out.append(self.eos_id)
            for word in _TREEBANK.findall(line.lower()) if self.normalize else line.split():
                i = ids.get(word)
                if i is not None:
                    out.append(i)
                elif self.unknown == "unk":
                    out.append(self.unk_id)
                elif self.unknown == "error":
                    raise ValueError(f"text has a word outside the vocabulary: {word!r} (line {line_no + 1})")
        return out

    def decode(self, ids):
        pieces, line = [], []
        for i in ids:
            i = int(i)
            if not 0 <= i < len(self.words):
                raise ValueError(f"token id {i} is outside the vocabulary (vocab_size={self.vocab_size})")
            if i == self.eos_id:
                pieces.append(" ".join(line) + "\n")
                line = []
            else:
                line.append(self.words[i])
        return "".join(pieces) + " ".join(line)

    def decode_continuation(self, ids):
        text = self.decode(ids)
        return " " + text if ids and int(ids[0]) != self.eos_id else text

    def token_to_id(self, token):
        return self._ids.get(token)

    def id_to_token(self, token_id):
        return self.words[token_id]

    def get_config(self):
        config = {"words": self.words, "unknown": self.unknown}
        if self.normalize:
            config["normalize"] = True  # left out otherwise, so older files stay byte-identical
        return config
