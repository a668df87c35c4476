"""Toy task models and data shared by the tests of lmdemo's networks, tasks, data and training.

The models are untrained and seeded: each test module that asks for one gets its own copy, built
the same way (``scope="module"``), so the exact outputs some tests assert do not depend on which
module runs first.
"""

import keras
import pytest

import lmdemo
from lmdemo.config import ClassifierConfig, EncoderDecoderConfig

PAIRS = [("one two three", "uno dos tres"), ("I see the cat.", "Veo el gato."), ("good night", "buenas noches"),
         ("thank you very much", "muchas gracias"), ("the red house", "la casa roja")] * 8
NGRAM_TEXTS = ["not good at all", "very good film", "not bad , really", "very bad plot", "good fun", "a bad mess !"]


def write_file(path, text):
    """Write ``text`` to ``path`` (a pathlib path) as UTF-8; its path as a str."""
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def bpe():
    texts = [x for p in PAIRS for x in p] + ["positive negative good bad film"]
    return lmdemo.BPETokenizer.train(texts, vocab_size=300)


@pytest.fixture(scope="module")
def seq2seq(bpe):
    keras.utils.set_random_seed(0)
    return lmdemo.Seq2SeqModel.create(bpe, EncoderDecoderConfig(max_source_length=16, max_target_length=12,
                                                                encoder_layers=2, decoder_layers=2, num_heads=2,
                                                                d_model=32, dropout=0.0))


@pytest.fixture(scope="module")
def seq2seq_copy(bpe):
    keras.utils.set_random_seed(0)
    return lmdemo.Seq2SeqModel.create(bpe, EncoderDecoderConfig(max_source_length=16, max_target_length=12,
                                                                encoder_layers=1, decoder_layers=1, num_heads=2,
                                                                d_model=32, dropout=0.0, copy_attention=True))


@pytest.fixture(params=["seq2seq", "seq2seq_copy"])
def any_seq2seq(request):
    """Each test that takes it runs on the plain encoder–decoder and on the pointer-generator."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def classifier(bpe):
    keras.utils.set_random_seed(0)
    return lmdemo.SentimentModel.create(bpe, ClassifierConfig(max_length=8, num_layers=1, num_heads=2, d_model=16))


@pytest.fixture
def expert_classifier(bpe):
    """A toy classifier with a bag-of-n-grams expert (a fresh one per test: tests change it)."""
    from lmdemo.tasks.bag_of_ngrams import BagOfNgrams

    keras.utils.set_random_seed(1)
    model = lmdemo.SentimentModel.create(bpe, ClassifierConfig(max_length=8, num_layers=1, num_heads=2, d_model=16))
    model.ngram_expert = BagOfNgrams.train(NGRAM_TEXTS, [0, 1, 1, 0, 1, 0])
    return model
