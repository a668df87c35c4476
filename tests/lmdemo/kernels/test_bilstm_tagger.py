import keras
import numpy as np
import pytest

from lmdemo.config import TaggerConfig
from lmdemo.kernels import bilstm_tagger, build
from lmdemo.tasks import tagger_model
from lmdemo.tasks.tagger_model import TaggerModel
from lmdemo.tokenizers import CharTokenizer


def tagger(d_model, num_layers, word_buckets, seed=0):
    keras.utils.set_random_seed(seed)
    tok = CharTokenizer.train("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,")
    return TaggerModel.create(tok, TaggerConfig(
        vocab_size=tok.vocab_size, context="bilstm", max_words=16, window_overlap=4, max_word_chars=8, char_dim=8,
        char_filters=24, word_buckets=word_buckets, word_dim=8, num_layers=num_layers, d_model=d_model))


@pytest.mark.parametrize("d_model, num_layers, word_buckets", [(16, 2, 64), (64, 1, 0), (72, 1, 0)])
def test_the_kernel_gives_the_networks_tags_and_scores(d_model, num_layers, word_buckets):
    """(64: the kernel's blocks of 64 columns; 16 and 72: columns one at a time, and after a block)"""
    model = tagger(d_model, num_layers, word_buckets)
    context, word_embedding = tagger_model._one_text_context(model)
    rng = np.random.default_rng(d_model)
    for n in (1, 5, 16):
        features = np.abs(rng.standard_normal((1, n, 24))).astype(np.float32)  # word vectors are maxima of ReLUs
        buckets = rng.integers(0, max(word_buckets, 1), (1, n)).astype(np.int32)
        want_tags, want_scores = (np.asarray(a)[0] for a in tagger_model._best_tags(
            model, model._params(), features, buckets, np.ones((1, n), bool)))
        inputs = features[0] if word_embedding is None else np.concatenate([features[0], word_embedding[buckets[0]]], 1)
        tags, scores = context.tag(inputs)
        np.testing.assert_array_equal(tags, want_tags)
        np.testing.assert_allclose(scores, want_scores, atol=2e-6)


def test_the_kernel_refuses_shapes_it_cannot_read():
    with pytest.raises(ValueError, match="even d_model and O \\+ B/I labels, received d_model=3, num_labels=5"):
        bilstm_tagger.BiLSTMTagger({"projection_kernel": np.zeros((4, 3)), "head_kernel": np.zeros((3, 5))}, 1e-5)
    context, _ = tagger_model._one_text_context(tagger(16, 1, 0))
    with pytest.raises(ValueError, match=r"features must be \(n ≥ 1, 24\) word vectors, received shape \(2, 7\)"):
        context.tag(np.zeros((2, 7)))


def test_without_a_compiler_the_tagger_runs_its_xla_program_with_the_same_results(monkeypatch):
    model = tagger(16, 1, 0)
    texts = ["Ann met Bo at 5 Elm St", "Bo met Ann."]
    with_kernel = model.frozen()
    assert with_kernel._one is not None
    monkeypatch.setattr(bilstm_tagger, "_library", build.KernelUnavailable("no compiler"))
    without = model.frozen()
    assert without._one is None
    for text in texts:
        assert with_kernel.tag([text], threshold=0.2) == without.tag([text], threshold=0.2)
