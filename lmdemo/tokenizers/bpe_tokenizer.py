"""Byte-level BPE tokenizer trained with the Hugging Face ``tokenizers`` library."""

from lmdemo.tokenizers.library_tokenizer import LibraryTokenizer

END_OF_TEXT = "<|endoftext|>"


class BPETokenizer(LibraryTokenizer):
    """GPT-2 style byte-level BPE: any Unicode text encodes losslessly, nothing is unknown.

    Text is first mapped to its UTF-8 bytes (each byte a symbol), then frequent adjacent
    pairs are merged, as learned from the user's corpus by ``tokenizers.trainers.BpeTrainer``.

    Args:
        tokenizer_json: the serialized ``tokenizers.Tokenizer`` (from ``train``).

    Example:
        >>> tok = BPETokenizer.train(["low lower lowest"] * 10, vocab_size=300)
        >>> tok.decode(tok.encode("lowest 最低"))
        'lowest 最低'
    """

    type_name = "bpe"
    special_tokens = (END_OF_TEXT,)
    start_text = END_OF_TEXT

    @classmethod
    def train(cls, texts, vocab_size=1000, min_frequency=2):
        """Learn merges from ``texts`` (a string or an iterable of strings).

        Args:
            texts: the training corpus.
            vocab_size: the final vocabulary size, bytes and special token included (≥ 257).
            min_frequency: pairs seen fewer times are not merged.
        """
        from tokenizers import Tokenizer as HFTokenizer
        from tokenizers import decoders, models, pre_tokenizers, trainers

        if not isinstance(vocab_size, int) or vocab_size < 257:
            raise ValueError(f"vocab_size must be an int ≥ 257 (256 bytes + end of text), received vocab_size={vocab_size!r}")
        if isinstance(texts, str):
            texts = [texts]
        texts = [t for t in texts if t]
        if not texts:
            raise ValueError("texts is empty: BPE needs a non-empty corpus")
        tok = HFTokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tok.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(
            vocab_size=vocab_size,
            min_frequency=min_frequency,
            special_tokens=[END_OF_TEXT],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        )
        tok.train_from_iterator(texts, trainer=trainer)
        return cls(tok.to_str())

    def encode(self, text):
        self._check_text(text)
        return self._tok.encode(text, add_special_tokens=False).ids

    def decode(self, ids):
        return self._tok.decode(self._check_ids(ids), skip_special_tokens=False)

    def token_text(self, token_id):
        """The text of one token: ``Ġthe`` is `` the``; a piece of a multi-byte character shows as ``�``."""
        return self.decode([token_id])

    def tokenize(self, text):
        """The pieces as the text they cover (byte-level symbols decoded back to text). The byte
        tokens of one character split over several tokens each show that whole character."""
        enc = self._tok.encode(text, add_special_tokens=False)
        return [text[a:b] for a, b in enc.offsets]

    def unknown_share(self, text):
        """Byte-level BPE has no ``<unk>``: the nearest thing is a character its vocabulary knows only as
        separate bytes (no merge ever joined them: the training text rarely or never had it). The share of
        ``text``'s tokens that are such bytes (Chinese read by an English model: 1.0; 0.0 for an empty text)."""
        spans = self.spans(text)
        total = sum(len(ids) for _, ids in spans)
        split = sum(len(ids) for piece, ids in spans if len(ids) > 1 and len(piece) == 1)
        return split / total if total else 0.0

    def spans(self, text):
        """``[(piece, [ids])]``: the text the tokens cover, in order. A character whose UTF-8 bytes
        fall into several tokens (a Chinese character is 3 bytes) is one piece with all their ids."""
        enc = self._tok.encode(text, add_special_tokens=False)
        out, end = [], 0
        for token_id, (a, b) in zip(enc.ids, enc.offsets):
            if out and a < end:  # shares a character with the tokens before it
                start = end - len(out[-1][0])
                out[-1] = (text[start:max(b, end)], out[-1][1] + [token_id])
                end = max(b, end)
            else:
                out.append((text[a:b], [token_id]))
                end = b
        return out
