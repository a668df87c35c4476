"""lmdemo: language models written out as their math, in Keras 3 on JAX."""

from lmdemo.backend import ensure_jax_backend

ensure_jax_backend()

from lmdemo.config import PRESETS, RecurrentConfig, TransformerConfig, preset_config  # noqa: E402
from lmdemo.tokenizers import BPETokenizer, CharTokenizer, WordTokenizer, load_tokenizer  # noqa: E402

__all__ = ["BPETokenizer", "CharTokenizer", "PRESETS", "RecurrentConfig", "TransformerConfig", "WordTokenizer",
           "load_tokenizer", "preset_config"]

from lmdemo.registry import available_models, load_model  # noqa: E402
from lmdemo.lm.ngram_lm import NGramLM  # noqa: E402
from lmdemo.tasks.pipeline import pipeline  # noqa: E402
from lmdemo.lm.recurrent_lm import LSTMLM, RNNLM  # noqa: E402
from lmdemo.tasks.seq2seq_model import Seq2SeqModel  # noqa: E402
from lmdemo.tasks.sentiment_model import SentimentModel  # noqa: E402
from lmdemo.lm.transformer_lm import TransformerLM  # noqa: E402

__all__ += ["LSTMLM", "NGramLM", "RNNLM", "Seq2SeqModel", "SentimentModel", "TransformerLM", "available_models",
            "load_model", "pipeline"]
