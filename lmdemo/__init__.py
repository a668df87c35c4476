"""lmdemo: language models written out as their math, in Keras 3 on JAX."""

from lmdemo.backend import ensure_jax_backend

ensure_jax_backend()

from lmdemo.config import PRESETS, TransformerConfig, preset_config  # noqa: E402
from lmdemo.tokenizers import BPETokenizer, CharTokenizer, load_tokenizer  # noqa: E402

__all__ = ["BPETokenizer", "CharTokenizer", "PRESETS", "TransformerConfig", "load_tokenizer", "preset_config"]

from lmdemo.models import available_models, load_model  # noqa: E402
from lmdemo.transformer_lm import TransformerLM  # noqa: E402

__all__ += ["TransformerLM", "available_models", "load_model"]
