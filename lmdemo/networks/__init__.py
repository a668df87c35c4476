"""Keras networks: token ids in, logits (or hidden states) out. Each composes ``lmdemo.layers``.

- ``TransformerBackbone`` and ``GPT``: the decoder-only Transformer and its output layer;
- ``RecurrentNetwork``: embedding, stacked Elman RNN or LSTM layers, output layer;
- ``TransformerEncoder``: the bidirectional encoder, shared by
  ``TextClassifier`` (sentiment), ``MaskedLM`` (BERT's pre-training) and ``EncoderDecoder``
  (translation, summarization).
"""

from lmdemo.networks.encoder_decoder import EncoderDecoder
from lmdemo.networks.gpt import GPT
from lmdemo.networks.masked_lm import MaskedLM
from lmdemo.networks.recurrent_network import RecurrentNetwork
from lmdemo.networks.text_classifier import TextClassifier
from lmdemo.networks.transformer_backbone import TransformerBackbone
from lmdemo.networks.transformer_encoder import TransformerEncoder

__all__ = ["EncoderDecoder", "GPT", "MaskedLM", "RecurrentNetwork", "TextClassifier", "TransformerBackbone",
           "TransformerEncoder"]
