"""Poem form: does each poem have the lines, the characters per line and the marks its form asks for?

A regulated Tang poem (``lmdemo.data.poem_form``) has 4 or 8 lines of 5 or 7 characters; lines 1, 3, ...
end with "，" (or "；？！"), lines 2, 4, ... with "。" (or "？！"). Each prediction is checked against the
form asked for it: a form name (五言絕句, 七言律诗, ...) or a reference poem whose form is read off it.

- ``form_accuracy``: the share of poems with the right number of lines, every line of the right width;
- ``line_count_accuracy`` and ``width_accuracy`` (every line of the right width, whatever their number):
  the two halves of it;
- ``punctuation_accuracy``: the share of lines that end in the right mark, over the lines the forms ask
  for (a missing line counts as a wrong one; extra lines count too).

    >>> poem_form_scores(["床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。"], ["五言绝句"])["form_accuracy"]
    1.0
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from evals.scoring.bootstrap import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, add_intervals, bootstrap_ci
from lmdemo.data.poem_form import FORMS, check_form, detect_form, parse_form

# per poem: form right, line count right, widths right, right marks, lines asked (the columns of ``statistics``)
STATISTICS = ("form_ok", "lines_ok", "widths_ok", "marks_ok", "marks_total")


def asked_form(reference: str, index: int) -> str:
    """The form a reference asks for: a form name, or the form of a reference poem."""
    if not isinstance(reference, str):
        raise TypeError(f"references[{index}] must be a form name or a poem, received {type(reference).__name__}")
    try:
        return parse_form(reference)
    except ValueError:
        pass
    form = detect_form(reference)
    if form is None:
        raise ValueError(f"references[{index}] is neither a form name ({', '.join(FORMS)}) nor a poem of one of "
                         f"those forms: {reference[:40]!r}")
    return form


def statistics(predictions: Sequence[str], references: Sequence[str]) -> np.ndarray:
    """(poems, 5) per-poem counts, in the order of ``STATISTICS``, that add up over poems."""
    if isinstance(predictions, str) or isinstance(references, str):
        raise TypeError("predictions and references must be lists of strings, not one string")
    if len(predictions) != len(references):
        raise ValueError(f"predictions has {len(predictions)} poems but references has {len(references)}")
    if not predictions:
        raise ValueError("predictions is empty: give at least one poem")
    rows = []
    for i, (poem, reference) in enumerate(zip(predictions, references)):
        if not isinstance(poem, str):
            raise TypeError(f"predictions[{i}] must be a str, received {type(poem).__name__}")
        form = asked_form(reference, i)
        check = check_form(poem, form)
        width = FORMS[form][1]
        rows.append((check["form_ok"], check["lines"] == FORMS[form][0],
                     bool(check["widths"]) and all(w == width for w in check["widths"]),
                     check["marks_ok"], check["marks_total"]))
    return np.asarray(rows, dtype=np.float64)


def scores_from_sums(sums: np.ndarray, n: float) -> dict:
    """The four accuracies from the column sums of ``statistics`` over ``n`` poems."""
    return {"form_accuracy": sums[0] / n, "line_count_accuracy": sums[1] / n, "width_accuracy": sums[2] / n,
            "punctuation_accuracy": sums[3] / sums[4] if sums[4] else 0.0}


def poem_form_scores(predictions: Sequence[str], references: Sequence[str], confidence_interval: bool = False,
                     n_resamples: int = DEFAULT_RESAMPLES, confidence: float = DEFAULT_CONFIDENCE,
                     seed: int = 0) -> dict:
    """Form, line count, width and punctuation accuracy of ``predictions`` against the forms ``references``
    ask for (form names or poems).

    Returns:
        dict with the four accuracies (0–1), ``poems``, ``per_poem`` (1.0 where the poem has its form) and, with
        ``confidence_interval``, ``<score>_ci_low``/``_ci_high`` from a seeded bootstrap over poems.
    """
    stats = statistics(predictions, references)
    n = len(stats)
    result = {**{k: float(v) for k, v in scores_from_sums(stats.sum(0), n).items()}, "poems": n,
              "per_poem": stats[:, 0].tolist()}
    if confidence_interval:
        add_intervals(result, bootstrap_ci(stats, lambda sums: scores_from_sums(sums, n), n_resamples,
                                           confidence, seed))
    return result
