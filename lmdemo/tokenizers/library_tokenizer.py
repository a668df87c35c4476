"""The base of the tokenizers that the Hugging Face ``tokenizers`` library runs: byte-level BPE and WordPiece."""

from lmdemo.tokenizers.tokenizer import Tokenizer


class LibraryTokenizer(Tokenizer):
    """A ``tokenizers.Tokenizer`` kept as its JSON: the vocabulary lookups, the id check and the config.

    Subclasses say how text is encoded and decoded (``encode``, ``decode``) and what their JSON must hold.

    Args:
        tokenizer_json: a serialized ``tokenizers.Tokenizer``.

    Raises:
        ValueError: ``tokenizer_json`` is not one.
    """

    def __init__(self, tokenizer_json):
        from tokenizers import Tokenizer as HFTokenizer

        try:
            self._tok = HFTokenizer.from_str(tokenizer_json)
        except Exception as e:  # tokenizers raises its own Exception type on bad JSON
            raise ValueError(f"tokenizer_json is not a valid tokenizers JSON ({e})") from None
        self.tokenizer_json = tokenizer_json

    @property
    def vocab_size(self):
        return self._tok.get_vocab_size()

    def _check_ids(self, ids):
        """``ids`` as a list of ints; ValueError naming the first one outside the vocabulary."""
        ids = [int(i) for i in ids]
        bad = [i for i in ids if not 0 <= i < self.vocab_size]
        if bad:
            raise ValueError(f"token id {bad[0]} is outside the vocabulary (vocab_size={self.vocab_size})")
        return ids

    def token_to_id(self, token):
        return self._tok.token_to_id(token)

    def id_to_token(self, token_id):
        return self._tok.id_to_token(token_id)

    def get_config(self):
        return {"tokenizer_json": self.tokenizer_json}
