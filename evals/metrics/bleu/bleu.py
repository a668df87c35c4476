"""BLEU for `evaluate`: a thin module over ``evals.scoring.bleu`` (which scores with sacrebleu)."""

import datasets
import evaluate

from evals.scoring.bleu import corpus_bleu

_CITATION = """\
@inproceedings{papineni-etal-2002-bleu,
    title = "{B}leu: a Method for Automatic Evaluation of Machine Translation",
    author = "Papineni, Kishore and Roukos, Salim and Ward, Todd and Zhu, Wei-Jing",
    booktitle = "Proceedings of the 40th Annual Meeting of the Association for Computational Linguistics",
    year = "2002",
    pages = "311--318",
    url = "https://aclanthology.org/P02-1040",
}
@inproceedings{post-2018-call,
    title = "A Call for Clarity in Reporting {BLEU} Scores",
    author = "Post, Matt",
    booktitle = "Proceedings of the Third Conference on Machine Translation: Research Papers",
    year = "2018",
    pages = "186--191",
    url = "https://aclanthology.org/W18-6319",
}
"""

_DESCRIPTION = """\
Corpus BLEU (Papineni et al., 2002) computed by sacrebleu (Post, 2018): the geometric mean of
clipped 1- to 4-gram precisions over the whole corpus times a brevity penalty, on 0-100. The value
and the reproducibility signature are exactly those of `sacrebleu.corpus_bleu` with the same options.
Per-sentence n-gram statistics are summed, so a seeded bootstrap interval is available.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions (list of str): one hypothesis per sentence.
    references (list of str or list of list of str): for each prediction, its reference or its
        references (the number may differ between predictions).
    tokenize (str): sacrebleu tokenizer: "13a" (default), "zh", "intl", "char", "none".
    lowercase (bool): case-insensitive BLEU. Default False.
    smooth_method (str): "exp" (default), "floor", "add-k" or "none".
    smooth_value (float): value for "floor"/"add-k"; None uses sacrebleu's default.
    force (bool): silence the warning about already-tokenized text.
    confidence_interval (bool): add score_ci_low/score_ci_high (seeded bootstrap). Default False.
    n_resamples (int): bootstrap resamples. Default 1000.
    confidence (float): interval coverage. Default 0.95.
    seed (int): bootstrap seed. Default 0.
Returns:
    score (float, 0-100), counts, totals, precisions (lists over n-gram orders), bp, sys_len,
    ref_len, signature (str) and, if asked, score_ci_low and score_ci_high.
Examples:
    >>> bleu = evaluate.load("evals/metrics/bleu")
    >>> bleu.compute(predictions=["the cat sat on the mat"], references=[["the cat sat on the mat"]])["score"]
    100.00000000000004
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class Bleu(evaluate.Metric):
    """Corpus BLEU through sacrebleu."""

    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=[
                datasets.Features({
                    "predictions": datasets.Value("string", id="sequence"),
                    "references": datasets.Sequence(datasets.Value("string", id="sequence"), id="references"),
                }),
                datasets.Features({
                    "predictions": datasets.Value("string", id="sequence"),
                    "references": datasets.Value("string", id="sequence"),
                }),
            ],
            codebase_urls=["https://github.com/mjpost/sacrebleu"],
            reference_urls=["https://aclanthology.org/P02-1040", "https://aclanthology.org/W18-6319"],
        )

    def _compute(self, predictions, references, tokenize="13a", lowercase=False, smooth_method="exp",
                 smooth_value=None, force=False, confidence_interval=False, n_resamples=1000, confidence=0.95,
                 seed=0):
        return corpus_bleu(predictions, references, tokenize=tokenize, lowercase=lowercase,
                           smooth_method=smooth_method, smooth_value=smooth_value, force=force,
                           confidence_interval=confidence_interval, n_resamples=n_resamples,
                           confidence=confidence, seed=seed)
