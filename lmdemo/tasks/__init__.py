"""The applications built on the models: translation and summarization (``Seq2SeqModel``), sentiment
(``SentimentModel``), extractive summaries, and ``pipeline`` that serves each task by name."""

from lmdemo.tasks.masked_lm_model import MaskedLMModel
from lmdemo.tasks.pipeline import Pipeline, pipeline
from lmdemo.tasks.sentiment_model import SentimentModel
from lmdemo.tasks.seq2seq_model import Seq2SeqModel

__all__ = ["MaskedLMModel", "Pipeline", "SentimentModel", "Seq2SeqModel", "pipeline"]
