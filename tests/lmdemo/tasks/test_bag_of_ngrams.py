"""BagOfNgrams (lmdemo/tasks/bag_of_ngrams.py): the logistic-regression baseline and n-gram expert."""

import numpy as np
import pytest

from lmdemo.tasks.bag_of_ngrams import TOKEN_PATTERN, BagOfNgrams
from tests.lmdemo.conftest import NGRAM_TEXTS


def test_bag_of_ngrams_baseline():
    texts = ["not good", "very good", "not bad", "very bad"] * 5
    labels = [0, 1, 1, 0] * 5
    model = BagOfNgrams.train(texts, labels)
    assert model.predict(["not good", "very good", "not bad", "very bad"]).tolist() == [0, 1, 1, 0]
    assert "1–2-gram" in model.describe()


@pytest.mark.parametrize("labels", [[0, 1, 1, 0, 1, 0], [0, 1, 2, 0, 2, 1]])
def test_bag_of_ngrams_probabilities_equal_scikit_learn_and_survive_saving(tmp_path, labels):
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    texts, labels = NGRAM_TEXTS * 3, labels * 3
    model = BagOfNgrams.train(texts, labels, C=2.0)
    vectorizer = CountVectorizer(ngram_range=(1, 2), binary=True, token_pattern=TOKEN_PATTERN)
    reference = LogisticRegression(C=2.0, max_iter=2000).fit(vectorizer.fit_transform(texts), labels)
    new = ["Not good , very bad", "an unseen sentence", "GOOD FUN !"]
    expected = reference.predict_proba(vectorizer.transform(new))
    np.testing.assert_allclose(model.probabilities(new), expected, atol=1e-6)
    assert model.ngrams == list(vectorizer.get_feature_names_out()) and model.num_labels == len(set(labels))
    model.save(str(tmp_path / "e.npz"))
    loaded = BagOfNgrams.load(str(tmp_path / "e.npz"))
    np.testing.assert_array_equal(loaded.probabilities(new), model.probabilities(new))
    assert (loaded.C, loaded.ngram_range, loaded.describe()) == (2.0, (1, 2), model.describe())


def test_bag_of_ngrams_refuses_bad_labels_and_damaged_files(tmp_path):
    with pytest.raises(ValueError, match=r"labels must be the integers 0 … K-1 \(K ≥ 2\), each at least once, "
                                         r"received the values \[0, 2\]"):
        BagOfNgrams.train(["a", "b"], [0, 2])
    with pytest.raises(ValueError, match="received the values \\[1\\]"):
        BagOfNgrams.train(["a", "b"], [1, 1])
    (tmp_path / "bad.npz").write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(ValueError, match="corrupt n-gram model: cannot read .*bad.npz"):
        BagOfNgrams.load(str(tmp_path / "bad.npz"))
    with pytest.raises(ValueError, match=r"weights must be \(num_labels ≥ 2, len\(ngrams\)=2\)"):
        BagOfNgrams(["a", "b"], np.zeros((2, 3)), np.zeros(2))
