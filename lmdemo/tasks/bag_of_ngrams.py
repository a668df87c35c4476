"""A bag-of-n-grams sentiment classifier: logistic regression on which word unigrams and bigrams occur.

Two roles: the baseline the Transformer classifier is scored beside (Naive Bayes and bag-of-words
models reach ~82% on SST-2, Socher et al., 2013), and, optionally, a second expert inside a shipped
``SentimentModel`` (its probabilities multiplied with the Transformer's: see ``ngram_expert`` there).
Fitted with scikit-learn's ``CountVectorizer`` and ``LogisticRegression``; what it keeps is plain
arrays (the n-grams, one weight row per label, the biases), stored in a ``.npz`` without pickles, and
its probabilities are computed from those arrays with numpy.
"""

import zipfile

import numpy as np

TOKEN_PATTERN = r"(?u)\b\w+\b|[^\w\s]"  # words and single punctuation marks; lower-cased first
ARRAY_NAMES = ("ngrams", "weights", "biases", "ngram_range", "C")


class BagOfNgrams:
    """P(label | text) = softmax(W · x + b), x the binary vector of which known n-grams the text holds.

    Args:
        ngrams: the known n-grams (lower-cased words joined by one space), in feature order.
        weights: (num_labels, len(ngrams)) float array; biases: (num_labels,).
        ngram_range: (shortest, longest) n-gram length; C: the inverse L2 strength it was fitted with.

    Example:
        >>> model = BagOfNgrams.train(["not good", "very good"] * 5, [0, 1] * 5)
        >>> model.predict(["very good"]).tolist()
        [1]
    """

    def __init__(self, ngrams, weights, biases, ngram_range=(1, 2), C=1.0):
        from sklearn.feature_extraction.text import CountVectorizer

        weights, biases = np.asarray(weights, np.float32), np.asarray(biases, np.float32)
        if weights.ndim != 2 or weights.shape[0] < 2 or weights.shape != (len(biases), len(ngrams)):
            raise ValueError(f"weights must be (num_labels ≥ 2, len(ngrams)={len(ngrams)}) and biases (num_labels,), "
                             f"received weights.shape={weights.shape}, biases.shape={biases.shape}")
        self.ngrams = [str(g) for g in ngrams]
        self.weights, self.biases = weights, biases
        self.ngram_range, self.C = (int(ngram_range[0]), int(ngram_range[1])), float(C)
        self.vectorizer = CountVectorizer(ngram_range=self.ngram_range, binary=True, token_pattern=TOKEN_PATTERN,
                                          vocabulary={g: i for i, g in enumerate(self.ngrams)}, dtype=np.float32)

    @property
    def num_labels(self):
        return len(self.biases)

    @classmethod
    def train(cls, texts, labels, ngram_range=(1, 2), C=1.0):
        """Fit on ``texts`` with integer ``labels`` 0 … K-1 (every label must occur)."""
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression

        if len(texts) != len(labels) or not texts:
            raise ValueError(f"texts and labels must be non-empty and of equal length, received {len(texts)} and "
                             f"{len(labels)}")
        labels = np.asarray(labels)
        if sorted(set(labels.tolist())) != list(range(int(labels.max()) + 1)) or labels.max() < 1:
            raise ValueError(f"labels must be the integers 0 … K-1 (K ≥ 2), each at least once, received the "
                             f"values {sorted(set(labels.tolist()))[:10]}")
        vectorizer = CountVectorizer(ngram_range=ngram_range, binary=True, token_pattern=TOKEN_PATTERN)
        features = vectorizer.fit_transform(texts)
        fitted = LogisticRegression(C=C, max_iter=2000).fit(features, labels)
        weights, biases = fitted.coef_, fitted.intercept_
        if len(biases) == 1:  # two labels: scikit-learn keeps one row, the logit of label 1
            weights, biases = np.vstack([np.zeros_like(weights), weights]), np.concatenate([[0.0], biases])
        return cls(vectorizer.get_feature_names_out(), weights, biases, ngram_range, C)

    def logits(self, texts):
        """(len(texts), num_labels) float64: W · x + b."""
        features = self.vectorizer.transform(list(texts))
        return np.asarray(features @ self.weights.T.astype(np.float64)) + self.biases

    def probabilities(self, texts):
        """(len(texts), num_labels) float64, each row summing to 1."""
        z = self.logits(texts)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def predict(self, texts):
        return self.logits(texts).argmax(axis=1)

    def describe(self):
        lo, hi = self.ngram_range
        return (f"logistic regression on binary word {lo}–{hi}-gram counts ({len(self.ngrams):,} features, "
                f"C={self.C:g})")

    # -- storage ------------------------------------------------------------------------------------------
    def save(self, path):
        """Write the arrays to ``path`` (``.npz``; no pickled objects)."""
        with open(path, "wb") as f:
            np.savez_compressed(f, ngrams=np.array(self.ngrams, dtype=str), weights=self.weights, biases=self.biases,
                                ngram_range=np.array(self.ngram_range), C=np.array(self.C))

    @classmethod
    def load(cls, path):
        """Read what ``save`` wrote; a damaged or foreign file is a ValueError naming it."""
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in ARRAY_NAMES}
            return cls(arrays["ngrams"].tolist(), arrays["weights"], arrays["biases"], arrays["ngram_range"].tolist(),
                       float(arrays["C"]))
        except (OSError, EOFError, zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError) as e:
            raise ValueError(f"corrupt n-gram model: cannot read {path!r} ({type(e).__name__}: {e})") from None
