"""The baseline sentiment classifier: logistic regression on counts of word unigrams and bigrams.

What the neural classifier must beat: Naive Bayes and bag-of-words models reach ~82% on
SST-2 (Socher et al., 2013). Built on scikit-learn's ``CountVectorizer`` and
``LogisticRegression``; it is trained where it is scored (seconds) and not shipped.
"""

import numpy as np


class BagOfNgrams:
    """P(label | text) ∝ exp(w · counts(text) + b), counts of 1- and 2-word sequences (binary).

    Args:
        vectorizer, classifier: fitted scikit-learn objects (use ``train``).
    """

    def __init__(self, vectorizer, classifier):
        self.vectorizer = vectorizer
        self.classifier = classifier

    @classmethod
    def train(cls, texts, labels, ngram_range=(1, 2), C=1.0):
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression

        if len(texts) != len(labels) or not texts:
            raise ValueError(f"texts and labels must be non-empty and of equal length, received {len(texts)} and "
                             f"{len(labels)}")
        vectorizer = CountVectorizer(ngram_range=ngram_range, binary=True, token_pattern=r"(?u)\b\w+\b|[^\w\s]")
        features = vectorizer.fit_transform(texts)
        classifier = LogisticRegression(C=C, max_iter=2000).fit(features, np.asarray(labels))
        return cls(vectorizer, classifier)

    def predict(self, texts):
        return self.classifier.predict(self.vectorizer.transform(texts))

    def describe(self):
        lo, hi = self.vectorizer.ngram_range
        return (f"logistic regression on binary word {lo}–{hi}-gram counts "
                f"({len(self.vectorizer.vocabulary_):,} features, C={self.classifier.C:g})")
