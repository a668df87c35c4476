"""Tokenizers: text → token ids → text."""

from lmdemo.tokenizers.bpe_tokenizer import BPETokenizer
from lmdemo.tokenizers.char_tokenizer import CharTokenizer
from lmdemo.tokenizers.tokenizer import Tokenizer, load_tokenizer
from lmdemo.tokenizers.word_tokenizer import WordTokenizer
from lmdemo.tokenizers.wordpiece_tokenizer import WordPieceTokenizer

__all__ = ["BPETokenizer", "CharTokenizer", "Tokenizer", "load_tokenizer", "WordPieceTokenizer", "WordTokenizer"]
