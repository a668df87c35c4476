"""Perplexity for `evaluate`: a thin module over ``evals.scoring.perplexity`` for lmdemo models."""

import datasets
import evaluate

from evals.scoring.perplexity import perplexity

_CITATION = """\
@misc{eval-harness,
    author = "Gao, Leo and Tow, Jonathan and Abbasi, Baber and Biderman, Stella and Black, Sid and others",
    title = "The Language Model Evaluation Harness",
    year = "2024",
    publisher = "Zenodo",
    doi = "10.5281/zenodo.12608602",
    url = "https://github.com/EleutherAI/lm-evaluation-harness",
}
"""

_DESCRIPTION = """\
Perplexity of an lmdemo language model on texts, in every unit: per token (depends on the tokenizer),
and per character, per UTF-8 byte and per word (comparable across tokenizers), with the definitions of
EleutherAI's lm-evaluation-harness: word_perplexity = exp(-total_loglik / total_words), byte_perplexity =
exp(-total_loglik / total_bytes), bits_per_byte = -total_loglik / total_bytes / ln 2. Corpus figures pool
the log-likelihood and unit counts of all texts. Texts longer than the model's context are scored in
rolling windows (disjoint by default, or `stride` new tokens per window).
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions (list of str): the texts to score.
    model (str or model object): a shipped model name ("shakespeare-char"), a checkpoint folder, or an
        object with log_probs(text, stride=None) such as lmdemo.TransformerLM. Required.
    stride (int): new tokens per rolling window for long texts; None (default) = disjoint windows.
    per_text (bool): add per_text, a list with the same figures per text. Default True.
    confidence_interval (bool): add <key>_ci_low/<key>_ci_high (seeded bootstrap over texts). Default False.
    n_resamples (int): bootstrap resamples. Default 1000.
    confidence (float): interval coverage. Default 0.95.
    seed (int): bootstrap seed. Default 0.
Returns:
    perplexity_per_token, bits_per_token, bits_per_char, bits_per_byte, byte_perplexity, word_perplexity,
    log_likelihood_nats, num_tokens, num_chars, num_bytes, num_words, and the optional keys above.
Examples:
    >>> ppl = evaluate.load("evals/metrics/perplexity")
    >>> ppl.compute(predictions=["To be, or not to be"], model="shakespeare-char")["bits_per_char"]  # doctest: +SKIP
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class Perplexity(evaluate.Metric):
    """Perplexity of an lmdemo language model per token, character, byte and word."""

    def _info(self):
        return evaluate.MetricInfo(
            module_type="metric",
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.Value("string")}),
            reference_urls=["https://github.com/EleutherAI/lm-evaluation-harness"],
        )

    def _compute(self, predictions, model=None, stride=None, per_text=True, confidence_interval=False,
                 n_resamples=1000, confidence=0.95, seed=0):
        if model is None:
            raise ValueError("model is required: pass model=<name, checkpoint folder or model object> to compute()")
        return perplexity(predictions, model, stride=stride, per_text=per_text,
                          confidence_interval=confidence_interval, n_resamples=n_resamples,
                          confidence=confidence, seed=seed)
