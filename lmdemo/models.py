"""Shipped models by name, and ``load_model`` for names and checkpoint folders alike (every kind)."""

import os

from lmdemo.checkpoint import read_checkpoint_config

MODELS_DIR = os.environ.get("LMDEMO_MODELS_DIR") or os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "models")

# name → what it is (the card in models/NAME/README.md has the numbers)
SHIPPED = {
    "shakespeare-char": "character-level GPT trained on tinyshakespeare",
    "shakespeare-lstm": "character-level LSTM trained on tinyshakespeare",
    "shakespeare-rnn": "character-level Elman RNN trained on tinyshakespeare",
    "shakespeare-5gram": "character 5-gram (Kneser-Ney) counted on tinyshakespeare",
    "ptb-transformer": "word-level GPT trained on Penn Treebank",
    "ptb-lstm": "word-level LSTM trained on Penn Treebank",
    "ptb-5gram": "word 5-gram (Kneser-Ney) counted on Penn Treebank",
    "sst2-sentiment": "sentiment classifier (Transformer encoder × n-gram expert) trained on SST-2",
    "en-es-translation": "English→Spanish encoder–decoder Transformer trained on Tatoeba pairs",
    "samsum-summarization": "dialogue summarizer (encoder–decoder Transformer) trained on SAMSum",
}


def model_kinds():
    from lmdemo.masked_lm import MaskedLMModel
    from lmdemo.ngram_lm import NGramLM
    from lmdemo.recurrent_lm import LSTMLM, RNNLM
    from lmdemo.seq2seq_model import Seq2SeqModel
    from lmdemo.transformer_lm import TransformerLM

    from lmdemo.sentiment_model import SentimentModel

    return {cls.kind: cls for cls in (TransformerLM, LSTMLM, RNNLM, NGramLM, Seq2SeqModel, SentimentModel,
                                     MaskedLMModel)}


def available_models():
    """Shipped model names whose checkpoint is present."""
    return [n for n in SHIPPED if os.path.isfile(os.path.join(MODELS_DIR, n, "config.json"))]


def load_model(name_or_path, key=None, passphrase=None):
    """Load a shipped model by name (``"shakespeare-char"``) or any checkpoint folder.

    Args:
        name_or_path: a shipped name or a checkpoint folder.
        key, passphrase: for encrypted checkpoints (else read from ``$LMDEMO_CHECKPOINT_KEY`` /
            ``$LMDEMO_CHECKPOINT_PASSPHRASE``).

    Raises:
        ValueError: neither a shipped name nor a checkpoint folder, or the checkpoint is corrupt.
    """
    if not isinstance(name_or_path, (str, os.PathLike)) or not str(name_or_path):
        raise ValueError(f"name_or_path must be a model name or a checkpoint folder, received {name_or_path!r}")
    path = str(name_or_path)
    if path in SHIPPED:
        path = os.path.join(MODELS_DIR, path)
        if not os.path.isdir(path):
            raise ValueError(f"shipped model {name_or_path!r} is missing from {MODELS_DIR!r}")
    elif not os.path.isdir(path):
        raise ValueError(
            f"unknown model {name_or_path!r}: not a shipped model ({', '.join(SHIPPED)}) and not a checkpoint folder")
    kind = read_checkpoint_config(path)["kind"]
    kinds = model_kinds()
    if kind not in kinds:
        raise ValueError(f"checkpoint {path!r} has unknown model kind={kind!r}; known: {sorted(kinds)}")
    return kinds[kind].load(path, key=key, passphrase=passphrase)
