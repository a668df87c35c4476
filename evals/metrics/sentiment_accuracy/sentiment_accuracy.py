"""Sentiment accuracy for `evaluate`: a thin module over ``evals.scoring.classification``."""

import datasets
import evaluate

from evals.scoring.classification import check_label_lists
from evals.scoring.classification import classification_scores

_CITATION = """\
@article{scikit-learn,
    title = "Scikit-learn: Machine Learning in {P}ython",
    author = "Pedregosa, F. and Varoquaux, G. and Gramfort, A. and Michel, V. and Thirion, B. and others",
    journal = "Journal of Machine Learning Research",
    volume = "12",
    pages = "2825--2830",
    year = "2011",
}
"""

_DESCRIPTION = """\
Accuracy, macro-averaged F1, per-class precision/recall/F1/support and the confusion matrix of predicted
against true sentiment labels (any classes work). Labels are ints or strings; label_map ({"negative": 0,
"positive": 1}) lets predictions and references use names or ids and reports classes by name. Values match
scikit-learn's accuracy_score, f1_score(average="macro") and precision_recall_fscore_support.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions (list of int or str): predicted labels.
    references (list of int or str): true labels, the same length.
    label_map (dict): optional {name: id}; classes are then ordered by id and named.
    confidence_interval (bool): add accuracy_ci_low/high and macro_f1_ci_low/high (seeded bootstrap).
    n_resamples (int): bootstrap resamples. Default 1000.
    confidence (float): interval coverage. Default 0.95.
    seed (int): bootstrap seed. Default 0.
Returns:
    accuracy, macro_f1, per_class ({label: {precision, recall, f1, support}}), labels (class order),
    confusion_matrix (rows: references, columns: predictions) and the optional keys above.
Examples:
    >>> acc = evaluate.load("evals/metrics/sentiment_accuracy")
    >>> acc.compute(predictions=[1, 0, 1, 1], references=[1, 0, 0, 1])["accuracy"]
    0.75
"""

_LABEL_TYPES = ("int64", "string")


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class SentimentAccuracy(evaluate.Metric):
    """Accuracy, macro-F1, per-class scores and confusion matrix of label lists."""

    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=[
                datasets.Features({"predictions": datasets.Value(p), "references": datasets.Value(r)})
                for p in _LABEL_TYPES for r in _LABEL_TYPES
            ],
            reference_urls=["https://scikit-learn.org/stable/modules/model_evaluation.html#classification-metrics"],
        )

    def add_batch(self, *, predictions=None, references=None, **kwargs):
        """Check the labels row by row (a None/NaN label is reported by argument and row), then add them."""
        predictions, references = check_label_lists(predictions, references)
        for name, column in (("predictions", predictions), ("references", references)):
            kinds = {type(v).__name__ for v in column}
            if len(kinds) > 1:  # an Arrow column holds one type
                raise TypeError(f"{name} mixes {' and '.join(sorted(kinds))} labels; through evaluate each column "
                                f"holds one kind (evals.scoring.classification accepts mixed names and ids)")
        super().add_batch(predictions=predictions, references=references, **kwargs)

    def _compute(self, predictions, references, label_map=None, confidence_interval=False, n_resamples=1000,
                 confidence=0.95, seed=0):
        return classification_scores(predictions, references, label_map=label_map,
                                     confidence_interval=confidence_interval, n_resamples=n_resamples,
                                     confidence=confidence, seed=seed)
