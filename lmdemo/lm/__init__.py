"""Language models: P(next token | the tokens before it), scored with ``log_probs`` and sampled with ``generate``.

``LanguageModel`` owns scoring and generation; each kind implements the same four hooks
(``_prefill``, ``_step``, ``_params``, ``_score_windows``): the Transformer (a KV cache), the
recurrent models (a state) and the n-gram model (counts).
"""

from lmdemo.lm.language_model import LanguageModel, NetworkLM
from lmdemo.lm.ngram_lm import NGramLM
from lmdemo.lm.recurrent_lm import LSTMLM, RNNLM, RecurrentLM
from lmdemo.lm.transformer_lm import TransformerLM

__all__ = ["LSTMLM", "LanguageModel", "NGramLM", "NetworkLM", "RNNLM", "RecurrentLM", "TransformerLM"]
