"""Tagged texts (lmdemo/data/tagged_examples.py): checking spans, reading and writing JSON lines."""

import gzip
import json

import pytest

from lmdemo.data.checks import MAX_INPUT_CHARS
from lmdemo.data.tagged_examples import check_tagged, read_tagged, write_tagged
from tests.lmdemo.conftest import write_file

EXAMPLES = [("Call Ann Lee at 5 Elm St.", [(5, 12, "PERSON"), (16, 25, "ADDRESS")]),
            ("Grüße an Jürgen 😊", [(9, 15, "PERSON")]),
            ("No names here.", [])]


def test_check_tagged_sorts_spans():
    example = {"text": "Ann met Bo at 5 Elm St.",
               "entities": [[14, 23, "ADDRESS"], [8, 10, "PERSON"], [0, 3, "PERSON"]]}
    assert check_tagged(example) == ("Ann met Bo at 5 Elm St.",
                                     [(0, 3, "PERSON"), (8, 10, "PERSON"), (14, 23, "ADDRESS")])
    assert check_tagged({"text": "plain"}) == ("plain", [])  # no entities: none
    assert check_tagged({"text": "ab", "entities": [(0, 1, "X"), [1, 2, "X"]]}) == ("ab", [(0, 1, "X"), (1, 2, "X")])


@pytest.mark.parametrize("example, message", [
    (["Ann", []], r"^example must be an object with a string 'text', received \"\['Ann', \[\]\]\"$"),
    ({"text": 5}, r"^example must be an object with a string 'text', received \"\{'text': 5\}\"$"),
    ({"entities": []}, r"^example must be an object with a string 'text'"),
    ({"text": "Ann", "entities": "0 3 PERSON"},
     r"^example: entities must be a list of \[start, end, type\], received '0 3 PERSON'$"),
    ({"text": "Ann", "entities": [[0, 3]]},
     r"^example: each entity must be \[start, end, type\] .* received \[0, 3\]$"),
    ({"text": "Ann", "entities": [[2, 1, "PERSON"]]}, r"with 0 ≤ start < end ≤ 3 \(the text's length\), "
                                                    r"received \[2, 1, 'PERSON'\]$"),
    ({"text": "Ann", "entities": [[1, 1, "PERSON"]]}, r"received \[1, 1, 'PERSON'\]$"),
    ({"text": "Ann", "entities": [[-1, 2, "PERSON"]]}, r"received \[-1, 2, 'PERSON'\]$"),
    ({"text": "Ann", "entities": [[0.0, 3, "PERSON"]]}, r"received \[0.0, 3, 'PERSON'\]$"),
    ({"text": "Ann", "entities": [[False, 3, "PERSON"]]}, r"received \[False, 3, 'PERSON'\]$"),
    ({"text": "Ann", "entities": [[0, 3, ""]]}, r"received \[0, 3, ''\]$"),
    ({"text": "Ann", "entities": [[0, 3, 7]]}, r"received \[0, 3, 7\]$"),
    ({"text": "Ann Lee", "entities": [[0, 8, "PERSON"]]},  # one past the end
     r"^example: each entity must be \[start, end, type\] with 0 ≤ start < end ≤ 7 \(the text's length\), "
     r"received \[0, 8, 'PERSON'\]$"),
    ({"text": "Ann Lee", "entities": [[4, 7, "PERSON"], [0, 5, "PERSON"]]},
     r"^example: entities overlap: \[0, 5, 'PERSON'\] and \[4, 7, 'PERSON'\]$"),
    ({"text": "Ann Lee", "entities": [[0, 7, "PERSON"], [0, 3, "PERSON"]]},
     r"^example: entities overlap: \[0, 3, 'PERSON'\] and \[0, 7, 'PERSON'\]$"),
])
def test_check_tagged_refusals(example, message):
    with pytest.raises(ValueError, match=message):
        check_tagged(example)


def test_check_tagged_names_where_and_long_texts():
    with pytest.raises(ValueError, match=r"^doc 7: entities overlap"):
        check_tagged({"text": "abc", "entities": [[0, 2, "X"], [1, 3, "X"]]}, where="doc 7")
    n = MAX_INPUT_CHARS + 1
    with pytest.raises(ValueError, match=f"^example: text has {n:,} characters, more than {MAX_INPUT_CHARS:,}$"):
        check_tagged({"text": "a" * n})


@pytest.mark.parametrize("name", ["tagged.jsonl", "tagged.jsonl.gz"])
def test_write_read_round_trip(tmp_path, name):
    path = tmp_path / name
    write_tagged(path, EXAMPLES)
    assert read_tagged(path) == EXAMPLES
    assert read_tagged(str(path)) == EXAMPLES
    assert [p.name for p in tmp_path.iterdir()] == [name]  # the temporary file is renamed, not left behind
    raw = gzip.open(path, "rt", encoding="utf-8").read() if name.endswith(".gz") else path.read_text("utf-8")
    lines = raw.splitlines()
    assert json.loads(lines[0]) == {"text": "Call Ann Lee at 5 Elm St.",
                                    "entities": [[5, 12, "PERSON"], [16, 25, "ADDRESS"]]}
    assert "Jürgen 😊" in lines[1]  # written as UTF-8, not escaped


def test_read_tagged_skips_blank_lines_and_sorts(tmp_path):
    path = write_file(tmp_path / "t.jsonl",
                      '\n{"text": "Bo and Ann", "entities": [[7, 10, "PERSON"], [0, 2, "PERSON"]]}\n'
                      '   \n{"text": "x"}\n')
    assert read_tagged(path) == [("Bo and Ann", [(0, 2, "PERSON"), (7, 10, "PERSON")]), ("x", [])]


def test_read_tagged_errors(tmp_path):
    with pytest.raises(ValueError, match=r"^path must be a JSON-lines file of tagged texts, received path='.*nope"
                                         r"\.jsonl' \(not a file\)$"):
        read_tagged(str(tmp_path / "nope.jsonl"))
    with pytest.raises(ValueError, match=r"received path=None \(not a file\)"):
        read_tagged(None)
    with pytest.raises(ValueError, match=r"\(not a file\)"):
        read_tagged(tmp_path)  # a folder
    not_json = write_file(tmp_path / "bad.jsonl", '{"text": "ok"}\n{"text": "broken",\n')
    with pytest.raises(ValueError, match=r"^bad\.jsonl line 2 is not JSON \(.+\)$"):
        read_tagged(not_json)
    bad_span = write_file(tmp_path / "span.jsonl",
                          '{"text": "ok"}\n\n{"text": "Ann", "entities": [[0, 9, "PERSON"]]}\n')
    with pytest.raises(ValueError, match=r"^span\.jsonl line 3: each entity must be \[start, end, type\]"):
        read_tagged(bad_span)
    not_object = write_file(tmp_path / "list.jsonl", '["Ann", []]\n')
    with pytest.raises(ValueError, match=r"^list\.jsonl line 1 must be an object with a string 'text'"):
        read_tagged(not_object)
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes('{"text": "café"}\n'.encode("latin-1"))
    with pytest.raises(ValueError, match=r"^latin1\.jsonl is not UTF-8 text$"):
        read_tagged(latin1)
    empty = write_file(tmp_path / "empty.jsonl", "")
    with pytest.raises(ValueError, match=r"^empty\.jsonl holds no tagged texts$"):
        read_tagged(empty)
    blank = write_file(tmp_path / "blank.jsonl", "\n  \n")
    with pytest.raises(ValueError, match=r"^blank\.jsonl holds no tagged texts$"):
        read_tagged(blank)
