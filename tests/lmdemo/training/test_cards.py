"""Model cards (lmdemo/training/cards.py): replacing or adding one section, and the card of a counted n-gram model."""

import pytest

import lmdemo
from lmdemo.training.cards import training_card, with_section
from tests.conftest import TOY_TEXT

COMMAND = "python -m lmdemo train --model ngram --order 3 --data toy.txt --out m"


@pytest.fixture(scope="module")
def trigram():
    return lmdemo.NGramLM.train(lmdemo.CharTokenizer.train(TOY_TEXT), TOY_TEXT, order=3)


def _metrics(lm, **extra):
    """What a run of ``python -m lmdemo train --model ngram`` records, made up by hand."""
    return {"data": "toy.txt", "train_tokens": 2000, "val_fraction": 0.1, "val_tokens": 200, "command": COMMAND,
            "machine": "x86_64, 2 CPU cores", "train_seconds": 0.5, "params": lm.num_params(),
            "final_val_tokens": 200, "final_val_nats_per_token": 1.2345, "final_val_perplexity": 3.44,
            "final_val_bits_per_char": 1.78, **extra}


# -- with_section ---------------------------------------------------------------------------------------------
def test_with_section_appends_a_section_the_card_lacks():
    assert with_section("# T\n\nintro\n", "A", ["new a", "", "line 2"]) == "# T\n\nintro\n\n## A\n\nnew a\n\nline 2\n"
    assert with_section("# T\n\nintro\n\n## B\nb text\n", "A", ["x"]) == "# T\n\nintro\n\n## B\nb text\n\n## A\n\nx\n"
    assert with_section("# T\n\n\n", "A", ["x"]) == "# T\n\n## A\n\nx\n"  # trailing blank lines become one
    assert with_section(None, "A", ["x"]) == with_section("", "A", ["x"]) == "\n\n## A\n\nx\n"


def test_with_section_replaces_the_section_and_keeps_everything_else():
    last = "# T\n\nintro\n\n## B\nb text\n\n## A\nold a\nmore\n"
    assert with_section(last, "A", ["new a", "", "line 2"]) == \
        "# T\n\nintro\n\n## B\nb text\n\n## A\n\nnew a\n\nline 2\n"
    twice = with_section(with_section(last, "A", ["one"]), "A", ["two"])  # a second run replaces, never adds
    assert twice == "# T\n\nintro\n\n## B\nb text\n\n## A\n\ntwo\n"
    # a section in the middle is replaced where it stands (with its ### subsections); the rest stays
    middle = "# T\n\nintro\n\n## A\nold a\n\n### sub\ny\n\n## B\nb text\n"
    assert with_section(middle, "A", ["new a"]) == "# T\n\nintro\n\n## A\n\nnew a\n\n## B\nb text\n"


def test_with_section_matches_the_whole_title_literally():
    card = "# T\n\n## A.b\nx\n\n## AxB\ny\n\n## A\nz\n"
    assert with_section(card, "A.b", ["new"]) == "# T\n\n## A.b\n\nnew\n\n## AxB\ny\n\n## A\nz\n"
    assert with_section("# T\n\n## Ab\nkeep\n", "A", ["new"]) == "# T\n\n## Ab\nkeep\n\n## A\n\nnew\n"


# -- training_card --------------------------------------------------------------------------------------------
def test_training_card_of_a_counted_ngram_model(trigram):
    card = training_card(trigram, _metrics(trigram))
    assert trigram.num_params() == 246
    assert card.startswith("# lmdemo 3-gram language model\n\n" + trigram.describe()
                           + "; char tokenizer with 34 tokens, 246 stored counts. Stored unencrypted (")
    assert "\n## Data\n- training text: `toy.txt` (2,000 tokens)\n" \
           "- validation: the last 10% of the same text (200 tokens)\n" in card
    assert f"\n## How it was built\n```\n{COMMAND}\n```\nDiscounts (D1, D2, D3+) per order, estimated from the " \
           "counts of counts: order 1: 0.500, 1.571, 0.500; order 2: 0.728, 1.376, 2.272; " \
           "order 3: 0.500, 0.500, 0.500.\n" in card
    assert "\n## Measured\nOn x86_64, 2 CPU cores, counted in 0.5 s.\n\n" \
           "| validation tokens | nats per token | perplexity | bits per char |\n|---|---|---|---|\n" \
           "| 200 | 1.2345 | 3.44 | 1.7800 |\n" in card
    assert card.endswith("\n\n## Limitations\nIt sees only the last 2 tokens; it knows nothing beyond its training "
                         "text's n-grams and generates locally fluent, globally aimless text.\n")
    assert [line for line in card.splitlines() if line.startswith("## ")] == [
        "## Data", "## How it was built", "## Measured", "## Limitations"]


def test_training_card_names_the_run_and_says_when_no_command_was_recorded(trigram):
    card = training_card(trigram, _metrics(trigram, name="toy trigram", command=None))
    assert card.startswith("# toy trigram\n\n")
    assert "\n## How it was built\n```\n(trained from Python; no command recorded)\n```\n" in card
    assert COMMAND not in card


def test_a_resumed_run_remembers_the_commands_it_was_started_with(tmp_path):
    import json

    from lmdemo.training.run import TrainingRun
    from lmdemo.training.trainer import STATE_DIR

    (tmp_path / STATE_DIR).mkdir()
    (tmp_path / STATE_DIR / "state.json").write_text("{}")
    (tmp_path / "metrics.json").write_text(json.dumps({"command": "train --steps 3000", "step": 3000,
                                                        "resumed_after": [{"command": "train --steps 1000",
                                                                           "step": 1000}]}))
    run = TrainingRun(str(tmp_path))
    assert run.resuming and run.resumed_after == [{"command": "train --steps 1000", "step": 1000},
                                                  {"command": "train --steps 3000", "step": 3000}]
    assert TrainingRun(str(tmp_path), resume=False).resumed_after == []
    (tmp_path / "metrics.json").write_text("{not json")
    assert TrainingRun(str(tmp_path)).resumed_after == []  # an unreadable record does not stop the run
