"""lmdemo: language models written out as their math, in Keras 3 on JAX.

The public API; each name lives in the subpackage named after its part (``ls lmdemo``):
``tokenizers``, ``layers``, ``networks``, ``lm`` (the language models), ``generation``,
``tasks`` (the applications and ``pipeline``), ``data``, ``training``, ``storage``, and
``registry`` (the tasks, kinds and shipped models).
"""

from lmdemo.backend import ensure_jax_backend

ensure_jax_backend()  # before anything below imports Keras

from lmdemo.config import PRESETS, RecurrentConfig, TransformerConfig, preset_config  # noqa: E402
from lmdemo.lm import LSTMLM, RNNLM, NGramLM, TransformerLM  # noqa: E402
from lmdemo.registry import TASKS, available_models, load_model, load_model_tokenizer  # noqa: E402
from lmdemo.tasks import SentimentModel, Seq2SeqModel, pipeline  # noqa: E402
from lmdemo.tokenizers import BPETokenizer, CharTokenizer, WordTokenizer, load_tokenizer  # noqa: E402

__all__ = ["BPETokenizer", "CharTokenizer", "LSTMLM", "NGramLM", "PRESETS", "RNNLM", "RecurrentConfig",
           "SentimentModel", "Seq2SeqModel", "TASKS", "TransformerConfig", "TransformerLM", "WordTokenizer",
           "available_models", "load_model", "load_model_tokenizer", "load_tokenizer", "pipeline", "preset_config"]
