"""ROUGE through Google's ``rouge_score``, plus tokenizers for Chinese and other non-Latin text.

rouge_score scores every pair (n-gram overlap for ``rougeN``, longest common subsequence
for ``rougeL``, summary-level LCS over newline-separated sentences for ``rougeLsum``). The
corpus figure is the mean F-measure over pairs; the per-pair F-measures are the summable
statistics the bootstrap resamples.

rouge_score's default tokenizer lowercases and keeps only ``[a-z0-9]`` runs, so a Chinese
summary has no tokens at all and scores 0 against anything. ``CJKTokenizer`` keeps every
letter and digit of any script, and splits Chinese characters and Japanese kana into one
token each (those scripts do not separate words with spaces); ``CharTokenizer`` makes every
letter or digit its own token.

Example:
    >>> rouge(["the cat sat"], ["the cat sat down"])["rouge1"]  # P = 1, R = 3/4
    0.8571428571428571
    >>> rouge(["猫坐在垫子上"], ["猫坐在垫子上了"], tokenizer="cjk")["rouge1"] > 0
    True
"""

from __future__ import annotations

import re
from typing import Optional, Sequence, Union

import numpy as np
from nltk.stem import porter
from rouge_score import rouge_scorer
from rouge_score import tokenizers

from evals.scoring.bootstrap import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, add_intervals, bootstrap_ci
from evals.scoring.inputs import check_references

DEFAULT_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
TOKENIZER_NAMES = ("default", "cjk", "char")

# Han ideographs (with extension A, compatibility and supplementary-plane blocks), hiragana, katakana
_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_CJK_TOKEN_RE = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_CHAR_TOKEN_RE = re.compile(r"[^\W_]")
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")


class CJKTokenizer(tokenizers.Tokenizer):
    """Lowercased tokens: one per CJK character, one per run of other letters and digits.

    Punctuation and whitespace separate tokens and are dropped, as rouge_score's default
    tokenizer does, so on plain ASCII text the tokens are the same.

    Args:
        use_stemmer: Porter-stem ASCII words longer than 3 characters, as rouge_score does.

    Example:
        >>> CJKTokenizer().tokenize("我爱 NLP, café!")
        ['我', '爱', 'nlp', 'café']
    """

    def __init__(self, use_stemmer: bool = False):
        self.use_stemmer = use_stemmer
        self._stemmer = porter.PorterStemmer() if use_stemmer else None

    def tokenize(self, text: str) -> list[str]:
        """Split ``text`` into lowercased tokens."""
        tokens = _CJK_TOKEN_RE.findall(text.lower())
        if self._stemmer is None:
            return tokens
        return [self._stemmer.stem(t) if len(t) > 3 and _ASCII_WORD_RE.fullmatch(t) else t for t in tokens]


class CharTokenizer(tokenizers.Tokenizer):
    """Every lowercased letter or digit is a token; punctuation and whitespace are dropped.

    Example:
        >>> CharTokenizer().tokenize("Héllo, 世界")
        ['h', 'é', 'l', 'l', 'o', '世', '界']
    """

    def tokenize(self, text: str) -> list[str]:
        """Split ``text`` into lowercased single-character tokens."""
        return _CHAR_TOKEN_RE.findall(text.lower())


def make_scorer(rouge_types: Sequence[str] = DEFAULT_TYPES, use_stemmer: bool = False,
                tokenizer: Union[str, tokenizers.Tokenizer, None] = None) -> rouge_scorer.RougeScorer:
    """A ``rouge_score.rouge_scorer.RougeScorer`` after checking the options.

    Args:
        rouge_types: any of ``"rouge1"`` … ``"rouge9"``, ``"rougeL"``, ``"rougeLsum"``.
        use_stemmer: Porter-stem words longer than 3 characters before matching.
        tokenizer: ``None``/``"default"`` (rouge_score's: ``[a-z0-9]`` words), ``"cjk"``,
            ``"char"``, or any object with a ``tokenize(text) -> list[str]`` method.

    Raises:
        ValueError: an unknown ROUGE type or tokenizer name, named with its value.
    """
    if isinstance(rouge_types, str) or not rouge_types:
        raise ValueError(f"rouge_types must be a non-empty list of ROUGE types, received rouge_types={rouge_types!r}")
    for name in rouge_types:
        if not isinstance(name, str) or not re.fullmatch(r"rouge[1-9]|rougeL|rougeLsum", name):
            raise ValueError(f"rouge_types entries must be rouge1..rouge9, rougeL or rougeLsum, received {name!r}")
    if tokenizer is None or tokenizer == "default":
        return rouge_scorer.RougeScorer(list(rouge_types), use_stemmer=use_stemmer)
    if tokenizer == "cjk":
        tokenizer = CJKTokenizer(use_stemmer)
    elif tokenizer == "char":
        tokenizer = CharTokenizer()
    elif isinstance(tokenizer, str) or not callable(getattr(tokenizer, "tokenize", None)):
        raise ValueError(f"tokenizer must be one of {list(TOKENIZER_NAMES)} or an object with a tokenize(text) "
                         f"method, received tokenizer={tokenizer!r}")
    return rouge_scorer.RougeScorer(list(rouge_types), tokenizer=tokenizer)


def _reference_lists(references, n_predictions: int) -> list[Union[str, list[str]]]:
    check_references(references, n_predictions)
    out = []
    for i, refs in enumerate(references):
        if isinstance(refs, str):
            out.append(refs)
            continue
        if not isinstance(refs, Sequence) or not refs or not all(isinstance(r, str) for r in refs):
            raise ValueError(f"references[{i}] must be a string or a non-empty list of strings, received {refs!r}")
        out.append(refs[0] if len(refs) == 1 else list(refs))
    return out


def pair_scores(scorer: rouge_scorer.RougeScorer, predictions: Sequence[str], references) -> list[dict]:
    """rouge_score's ``Score(precision, recall, fmeasure)`` per ROUGE type, for every pair.

    A prediction with several references gets, per type, the reference with the highest
    F-measure (``RougeScorer.score_multi``), as Hugging Face's ``rouge`` does.
    """
    if isinstance(predictions, str) or not isinstance(predictions, Sequence):
        raise TypeError(f"predictions must be a list of strings, received {type(predictions).__name__}")
    if not predictions:
        raise ValueError("predictions is empty: give at least one prediction")
    refs = _reference_lists(references, len(predictions))
    scores = []
    for i, (pred, ref) in enumerate(zip(predictions, refs)):
        if not isinstance(pred, str):
            raise TypeError(f"predictions[{i}] must be a string, received {type(pred).__name__}: {pred!r}")
        scores.append(scorer.score(ref, pred) if isinstance(ref, str) else scorer.score_multi(ref, pred))
    return scores


def rouge(
    predictions: Sequence[str],
    references: Sequence[Union[str, Sequence[str]]],
    rouge_types: Sequence[str] = DEFAULT_TYPES,
    use_stemmer: bool = False,
    tokenizer: Union[str, tokenizers.Tokenizer, None] = None,
    per_example: bool = False,
    confidence_interval: bool = False,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
    scorer: Optional[rouge_scorer.RougeScorer] = None,
) -> dict:
    """Mean ROUGE F-measure per type over prediction/reference pairs.

    Args:
        predictions: one summary per example.
        references: for each prediction, a reference string or a list of references.
        rouge_types: which ROUGE scores to compute (default rouge1, rouge2, rougeL, rougeLsum);
            ``rougeLsum`` splits summaries into sentences on newlines.
        use_stemmer: Porter-stem words before matching.
        tokenizer: ``None``/``"default"``, ``"cjk"``, ``"char"`` or a tokenizer object.
        per_example: also return ``<type>_per_example``: the F-measure of every pair.
        confidence_interval: also return ``<type>_ci_low``/``<type>_ci_high`` (seeded
            percentile bootstrap over pairs).
        n_resamples: bootstrap resamples (default 1,000).
        confidence: interval coverage (default 0.95).
        seed: bootstrap seed.
        scorer: a prepared ``RougeScorer`` (then ``rouge_types``, ``use_stemmer`` and
            ``tokenizer`` are ignored).

    Returns:
        dict ``{type: mean F-measure in [0, 1]}``, plus the optional keys above.

    Raises:
        ValueError, TypeError: malformed inputs or options, naming the argument and value.
    """
    scorer = scorer or make_scorer(rouge_types, use_stemmer, tokenizer)
    types = list(scorer.rouge_types)
    scores = pair_scores(scorer, predictions, references)
    fmeasures = np.array([[s[t].fmeasure for t in types] for s in scores], dtype=np.float64)
    n = len(scores)
    result = {t: float(v) for t, v in zip(types, fmeasures.sum(axis=0) / n)}
    if per_example:
        for j, t in enumerate(types):
            result[f"{t}_per_example"] = fmeasures[:, j].tolist()
    if confidence_interval:
        intervals = bootstrap_ci(fmeasures, lambda s: {t: s[j] / n for j, t in enumerate(types)},
                                 n_resamples=n_resamples, confidence=confidence, seed=seed)
        add_intervals(result, intervals)
    return result
