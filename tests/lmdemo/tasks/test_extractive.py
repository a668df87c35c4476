"""Extractive summaries (lmdemo/tasks/extractive.py): lead-k and TextRank."""

import numpy as np
import pytest

from lmdemo.tasks.extractive import lead_k, split_units, textrank, textrank_scores


def test_lead_k_and_split_units():
    dialogue = "A: hi\r\nB: hello\n\nA: lunch?\nB: sure"
    assert split_units(dialogue) == ["A: hi", "B: hello", "A: lunch?", "B: sure"]
    assert lead_k(dialogue, 3) == "A: hi\nB: hello\nA: lunch?"
    assert split_units("One. Two! Three? Four") == ["One.", "Two!", "Three?", "Four"]
    with pytest.raises(ValueError, match="document is empty"):
        lead_k("  \n ", 3)
    with pytest.raises(ValueError, match="k must be an int ≥ 1, received k=0"):
        lead_k("a", 0)


def test_textrank_picks_the_central_sentence():
    units = ["cats eat fish", "cats like fish a lot", "dogs like cats and fish", "the weather is cold"]
    scores = textrank_scores(units)
    assert scores.sum() == pytest.approx(1.0)
    assert int(np.argmax(scores)) in (1, 2) and int(np.argmin(scores)) == 3
    # nothing links to the unconnected sentence: it gets the teleport share (1 - d) / n and, being
    # dangling, 1/n of its own score back: s = (1 - d) / n + d · s / n
    assert scores[3] == pytest.approx((0.15 / 4) / (1 - 0.85 / 4))
    assert textrank("\n".join(units), 2).splitlines() == [units[i] for i in sorted(np.argsort(-scores)[:2])]
