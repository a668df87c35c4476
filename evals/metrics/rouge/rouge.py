"""ROUGE for `evaluate`: a thin module over ``evals.scoring.rouge`` (which scores with rouge_score)."""

import datasets
import evaluate

from evals.scoring.rouge import DEFAULT_TYPES
from evals.scoring.rouge import rouge

_CITATION = """\
@inproceedings{lin-2004-rouge,
    title = "{ROUGE}: A Package for Automatic Evaluation of Summaries",
    author = "Lin, Chin-Yew",
    booktitle = "Text Summarization Branches Out",
    year = "2004",
    pages = "74--81",
    url = "https://aclanthology.org/W04-1013",
}
"""

_DESCRIPTION = """\
ROUGE (Lin, 2004) computed by Google's rouge_score: rouge1/rouge2 are unigram/bigram overlap F-measures,
rougeL the longest-common-subsequence F-measure, rougeLsum the summary-level LCS over sentences split on
newlines. The corpus value of each type is the mean F-measure over pairs. tokenizer="cjk" or "char"
scores Chinese, Japanese and other non-Latin text, which rouge_score's default tokenizer drops.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions (list of str): one summary per example.
    references (list of str or list of list of str): the reference(s) of each prediction; with several,
        each type takes the best-matching reference.
    rouge_types (list of str): default ["rouge1", "rouge2", "rougeL", "rougeLsum"].
    use_stemmer (bool): Porter-stem words before matching. Default False.
    tokenizer (str or object): "default" (rouge_score's, [a-z0-9] words), "cjk" (one token per Chinese
        character or kana, words elsewhere), "char", or an object with tokenize(text).
    per_example (bool): add <type>_per_example lists of F-measures. Default False.
    confidence_interval (bool): add <type>_ci_low/<type>_ci_high (seeded bootstrap). Default False.
    n_resamples (int): bootstrap resamples. Default 1000.
    confidence (float): interval coverage. Default 0.95.
    seed (int): bootstrap seed. Default 0.
Returns:
    {type: mean F-measure in [0, 1]} and the optional keys above.
Examples:
    >>> rouge = evaluate.load("evals/metrics/rouge")
    >>> rouge.compute(predictions=["testing one two"], references=["testing one two"])["rouge1"]
    1.0
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class Rouge(evaluate.Metric):
    """Mean ROUGE F-measures through rouge_score."""

    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=[
                datasets.Features({
                    "predictions": datasets.Value("string", id="sequence"),
                    "references": datasets.Sequence(datasets.Value("string", id="sequence")),
                }),
                datasets.Features({
                    "predictions": datasets.Value("string", id="sequence"),
                    "references": datasets.Value("string", id="sequence"),
                }),
            ],
            codebase_urls=["https://github.com/google-research/google-research/tree/master/rouge"],
            reference_urls=["https://aclanthology.org/W04-1013"],
        )

    def _compute(self, predictions, references, rouge_types=DEFAULT_TYPES, use_stemmer=False, tokenizer=None,
                 per_example=False, confidence_interval=False, n_resamples=1000, confidence=0.95, seed=0):
        return rouge(predictions, references, rouge_types=rouge_types, use_stemmer=use_stemmer,
                     tokenizer=tokenizer, per_example=per_example, confidence_interval=confidence_interval,
                     n_resamples=n_resamples, confidence=confidence, seed=seed)
