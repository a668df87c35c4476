"""SentimentModel (lmdemo/tasks/sentiment_model.py): classify, padding, checkpoints, the n-gram expert."""

import json
import os

import keras
import numpy as np
import pytest

import lmdemo
from lmdemo.config import ClassifierConfig
from lmdemo.storage.encryption import new_key
from lmdemo.tasks.bag_of_ngrams import BagOfNgrams
from lmdemo.tokenizers import WordPieceTokenizer
from tests.lmdemo.conftest import NGRAM_TEXTS


def test_classify_batch_equals_one_by_one_and_probabilities_sum_to_one(classifier):
    texts = ["good film", "bad", "positive negative good bad film " * 5]
    batch = classifier.classify(texts)
    for text, r in zip(texts, batch):
        single = classifier.classify([text])[0]
        assert single["label"] == r["label"]
        assert single["score"] == pytest.approx(r["score"], abs=1e-6)
        assert sum(r["probabilities"].values()) == pytest.approx(1.0, abs=1e-6)
        assert r["score"] == max(r["probabilities"].values())
    assert [r["truncated"] for r in batch] == [False, False, True]


@pytest.mark.parametrize("pooling", ["mean", "max", "first"])
def test_classifier_padding_does_not_change_probabilities(bpe, pooling):
    keras.utils.set_random_seed(0)
    classifier = lmdemo.SentimentModel.create(bpe, ClassifierConfig(max_length=8, num_layers=1, num_heads=2,
                                                                    d_model=16, pooling=pooling))
    ids = classifier.tokenizer.encode("good film")
    alone = classifier.probabilities_of([ids])
    with_long = classifier.probabilities_of([ids, ids * 3, []])
    np.testing.assert_allclose(alone[0], with_long[0], atol=1e-6)
    np.testing.assert_allclose(with_long.sum(axis=1), 1.0, atol=1e-6)
    if pooling == "max":  # the text vector is the largest encoder output in each dimension
        net, mask = classifier.network, np.ones((1, len(ids)), bool)
        hidden = np.asarray(net.encoder(np.array([ids]), mask).output)
        np.testing.assert_allclose(np.asarray(net.pooled(np.array([ids]), mask)),
                                   np.tanh(hidden.max(axis=1) @ net.pooler.kernel.numpy() + net.pooler.bias.numpy()),
                                   atol=1e-5)
    if pooling == "first":  # the text vector is the encoder's output at the first token (BERT's [CLS])
        net, mask = classifier.network, np.ones((1, len(ids)), bool)
        hidden = np.asarray(net.encoder(np.array([ids]), mask).output)
        np.testing.assert_allclose(np.asarray(net.pooled(np.array([ids]), mask)),
                                   np.tanh(hidden[:, 0] @ net.pooler.kernel.numpy() + net.pooler.bias.numpy()),
                                   atol=1e-5)


def test_a_bert_layout_classifier_round_trips_and_reads_cls_to_sep(tmp_path):
    keras.utils.set_random_seed(0)
    tok = WordPieceTokenizer.from_vocab(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "good", "film", "bad"])
    config = ClassifierConfig(max_length=4, num_layers=1, num_heads=2, d_model=16, activation="gelu_exact",
                              layer_norm_epsilon=1e-12, normalize_first=False, num_segments=2, pooling="first")
    model = lmdemo.SentimentModel.create(tok, config)
    assert model.input_ids(tok.encode("good film bad")) == [2, 4, 5, 3]  # [CLS] good film [SEP]
    result = model.classify(["good film bad", "good"])
    assert [r["truncated"] for r in result] == [True, False]
    model.save(str(tmp_path / "bert"))
    again = lmdemo.load_model(str(tmp_path / "bert"))
    assert again.config == model.config and again.classify(["good film bad", "good"]) == result
    assert "post-LayerNorm" in again.describe() and "read at its first token ([CLS])" in again.describe()


@pytest.mark.parametrize("texts, error, message", [
    ([""], ValueError, r"texts\[0\] is empty"),
    ([None], TypeError, r"texts\[0\] must be a str"),
    (["a" * 100_001], ValueError, "the limit is 100,000"),
])
def test_classifier_bad_input(classifier, texts, error, message):
    with pytest.raises(error, match=message):
        classifier.classify(texts)


def test_classifier_round_trip(classifier, tmp_path):
    classifier.save(str(tmp_path / "c"))
    loaded = lmdemo.load_model(str(tmp_path / "c"))
    assert loaded.labels == ("negative", "positive")
    assert loaded.classify(["good film"]) == classifier.classify(["good film"])


def test_ngram_expert_multiplies_the_transformers_probabilities(expert_classifier):
    texts = ["very good film", "not bad", "positive negative good bad film " * 3]
    results = expert_classifier.classify(texts)
    alone = expert_classifier.probabilities_of([expert_classifier.tokenizer.encode(t)[:8] for t in texts])
    ngrams = expert_classifier.ngram_expert.probabilities(texts)
    product = alone * ngrams / (alone * ngrams).sum(axis=1, keepdims=True)
    for i, r in enumerate(results):
        np.testing.assert_allclose([r["probabilities"]["negative"], r["probabilities"]["positive"]], product[i],
                                   atol=1e-6)
        np.testing.assert_allclose(list(r["experts"]["transformer"].values()), alone[i], atol=1e-6)
        np.testing.assert_allclose(list(r["experts"]["ngrams"].values()), ngrams[i], atol=1e-12)
        assert r["label"] == ("negative", "positive")[int(np.argmax(product[i]))]
    assert results == [expert_classifier.classify([t])[0] for t in texts]
    piped = lmdemo.pipeline("sentiment", model=expert_classifier)(texts[0])
    assert piped == {k: results[0][k] for k in ("label", "score", "probabilities", "truncated", "experts")}
    assert "multiplied by those of a second expert, logistic regression" in expert_classifier.describe()
    with pytest.raises(ValueError, match=r"the n-gram expert has 3 labels, the classifier 2 \(negative, positive\)"):
        expert_classifier.ngram_expert = BagOfNgrams.train(NGRAM_TEXTS, [0, 1, 2, 0, 1, 2])


def test_ngram_expert_is_saved_encrypted_checked_and_removed(expert_classifier, tmp_path):
    text = ["very good film", "a bad mess"]
    plain = str(tmp_path / "plain")
    expert_classifier.save(plain)
    assert json.load(open(os.path.join(plain, "config.json")))["config"]["ngram_expert"] is True
    assert lmdemo.load_model(plain).classify(text) == expert_classifier.classify(text)
    key = new_key()
    locked = str(tmp_path / "locked")
    expert_classifier.save(locked, key=key)
    assert sorted(n for n in os.listdir(locked) if "ngram" in n) == ["ngram_expert.npz.enc"]
    assert lmdemo.load_model(locked, key=key).classify(text) == expert_classifier.classify(text)
    with open(os.path.join(locked, "ngram_expert.npz.enc"), "r+b") as f:
        f.seek(40)
        byte = f.read(1)
        f.seek(40)
        f.write(bytes([byte[0] ^ 1]))
    with pytest.raises(ValueError, match="ngram_expert.npz"):
        lmdemo.load_model(locked, key=key)
    os.remove(os.path.join(plain, "ngram_expert.npz"))
    with pytest.raises(ValueError, match="not a checkpoint: ngram_expert.npz is missing in path="):
        lmdemo.load_model(plain)
    expert_classifier.encryption = None
    expert_classifier.ngram_expert = None
    expert_classifier.save(locked)  # over the encrypted folder: the old expert file must not stay behind
    assert not [n for n in os.listdir(locked) if "ngram" in n]
    loaded = lmdemo.load_model(locked)
    assert loaded.ngram_expert is None and "experts" not in loaded.classify(text)[0]
