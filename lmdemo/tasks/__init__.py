"""The applications built on the models: translation and summarization (``Seq2SeqModel``), sentiment
(``SentimentModel``), the PII tagger (``TaggerModel``), extractive summaries, Tang poems of a given form
(``poem.py``, ``poem_form.py``: a language model trained on poem records), and ``pipeline`` that serves each
task by name."""

from lmdemo.tasks.masked_lm_model import MaskedLMModel
from lmdemo.tasks.pipeline import Pipeline, pipeline
from lmdemo.tasks.sentiment_model import SentimentModel
from lmdemo.tasks.seq2seq_model import Seq2SeqModel
from lmdemo.tasks.tagger_model import TaggerModel

__all__ = ["MaskedLMModel", "Pipeline", "SentimentModel", "Seq2SeqModel", "TaggerModel", "pipeline"]
