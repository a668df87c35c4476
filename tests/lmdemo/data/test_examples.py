"""load_examples (lmdemo/data/examples.py): a task's examples from TSV, CSV, JSON and JSON Lines files."""

import json

import pytest

from lmdemo.data.examples import load_examples
from tests.lmdemo.conftest import write_file


def test_load_examples_formats(tmp_path):
    tsv = write_file(tmp_path / "a.tsv", 'sentence\tlabel\nit \'s "fine" \t1\nbad\t0\n')
    assert load_examples("sentiment", tsv) == [("it 's \"fine\"", 1), ("bad", 0)]
    csv = write_file(tmp_path / "a.csv", 'text,label\n"good, really",1\n')
    assert load_examples("sentiment", csv) == [("good, really", 1)]  # the registry's names: text, else sentence
    assert load_examples("sentiment", csv, input_column="text") == [("good, really", 1)]
    js = write_file(tmp_path / "a.json", json.dumps([{"dialogue": "A: hi", "summary": "A greets."}]))
    assert load_examples("summarization", js) == [("A: hi", "A greets.")]
    jl = write_file(tmp_path / "a.jsonl", json.dumps({"dialogue": "A: hi", "summary": "A greets."}) + "\n")
    assert load_examples("summarization", jl) == [("A: hi", "A greets.")]
    pairs = write_file(tmp_path / "p.tsv", "english\tspanish\nHello.\tHola.\n")
    assert load_examples("translation", pairs) == [("Hello.", "Hola.")]


@pytest.mark.parametrize("content, kwargs, message", [
    ("sentence\tlabel\ngood\t2\n", {}, r"row 1: label='2'; labels must be 0 or 1"),
    ("sentence\tlabel\ngood\tnan\n", {}, r"row 1: label='nan'; labels must be 0 or 1"),
    ("review\tlabel\ngood\t1\n", {}, r"has no column input_column='text'; columns: \['review', 'label'\]"),
    ("sentence\tlabel\n \t1\n", {}, r"row 1: sentence is empty"),
    ("sentence\tlabel\ngood\n", {}, r"line 2 has 1 columns; the header has 2"),
])
def test_load_examples_errors(tmp_path, content, kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_examples("sentiment", write_file(tmp_path / "bad.tsv", content), **kwargs)


def test_load_examples_skips_empty_training_rows(tmp_path):
    path = write_file(tmp_path / "s.json",
                      json.dumps([{"dialogue": "", "summary": "x"}, {"dialogue": "A: hi", "summary": "y"}]))
    report = {}
    assert load_examples("summarization", path, skip_empty=True, report=report) == [("A: hi", "y")]
    assert report == {"skipped_empty": 1}
    with pytest.raises(ValueError, match="row 1: dialogue is empty"):
        load_examples("summarization", path)
