"""Poem form for `evaluate`: a thin module over ``evals.scoring.poem_form``."""

import datasets
import evaluate

from evals.scoring.poem_form import poem_form_scores

_CITATION = """\
@misc{lmdemo_poem_form,
    title = "Poem form: line count, line width and punctuation of regulated Tang verse",
    note = "lmdemo, evals/scoring/poem_form.py",
}
"""

_DESCRIPTION = """\
Whether each poem has the form asked for it: the number of lines (4 for 絕句, 8 for 律詩), the characters of
every line (5 for 五言, 7 for 七言) and the mark that ends each line ("，" after lines 1, 3, ...; "。" after
lines 2, 4, ...; "？！" either, "；" after odd lines). The form is named (五言絕句, 七言律诗, ...) or read off a
reference poem.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions (list of str): the poems written.
    references (list of str): for each poem, the form asked for (a name, simplified or traditional) or a
        reference poem of that form.
    confidence_interval (bool): add <score>_ci_low/high (seeded bootstrap over poems).
    n_resamples (int): bootstrap resamples. Default 1000.
    confidence (float): interval coverage. Default 0.95.
    seed (int): bootstrap seed. Default 0.
Returns:
    form_accuracy, line_count_accuracy, width_accuracy, punctuation_accuracy (0-1), poems, per_poem.
Examples:
    >>> form = evaluate.load("evals/metrics/poem_form")
    >>> form.compute(predictions=["床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。"], references=["五言绝句"])["form_accuracy"]
    1.0
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class PoemForm(evaluate.Metric):
    """Form, line count, width and punctuation accuracy of poems against the forms asked for."""

    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Value("string")}),
        )

    def _compute(self, predictions, references, confidence_interval=False, n_resamples=1000, confidence=0.95,
                 seed=0):
        return poem_form_scores(predictions, references, confidence_interval=confidence_interval,
                                n_resamples=n_resamples, confidence=confidence, seed=seed)
