"""One toy language model of each kind, for the tests of the interface they share."""

import keras
import pytest

import lmdemo
from tests.conftest import TOY_TEXT

KINDS = ["transformer", "lstm", "rnn", "ngram"]


@pytest.fixture(scope="module")
def models(toy_tokenizer, toy_lm):
    keras.utils.set_random_seed(0)
    return {
        "transformer": toy_lm,
        "lstm": lmdemo.LSTMLM.create(toy_tokenizer, num_layers=2, hidden_dim=24),
        "rnn": lmdemo.RNNLM.create(toy_tokenizer, num_layers=1, hidden_dim=24),
        "ngram": lmdemo.NGramLM.train(toy_tokenizer, TOY_TEXT, order=4),
    }
