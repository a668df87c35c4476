"""The run history: what a suite records, listing and comparing runs, and the database refusals."""

import json
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from evals import harness, history
from evals.__main__ import main
from evals.history import RunHistory

from tests.conftest import REPO
from tests.evals.test_comparison import _suite, _translation_data, _translation_run


@pytest.fixture()
def recorded(tmp_path):
    """Two translation runs on the same data (good and bad predictions), recorded in a fresh database."""
    db = str(tmp_path / "runs.sqlite")
    data = _translation_data(tmp_path)
    suite = _suite(tmp_path, [_translation_run("good", data, "good"), _translation_run("bad", data, "bad")])
    doc = harness.run_suite(suite, str(tmp_path / "out"), db=db)
    return db, doc


def test_a_suite_run_is_recorded_with_everything_a_comparison_needs(recorded):
    db, doc = recorded
    assert doc["history_ids"] == [1, 2]
    with RunHistory(db) as h:
        runs = h.runs()
        good = h.record(1)
    assert [r["run"] for r in runs] == ["bad", "good"]  # newest first
    assert runs[1]["scores"]["bleu"] == pytest.approx(next(s["value"] for s in doc["runs"][0]["scores"]
                                                             if s["metric"] == "bleu"))
    assert good["dataset_sha256"] == doc["runs"][0]["dataset_sha256"] and good["rows_used"] == 40
    assert good["metrics"] == {"bleu": {}, "rouge": {}} and good["signatures"]["bleu"].startswith("nrefs:1")
    assert good["versions"]["sacrebleu"] and good["time"] == doc["finished_utc"]
    assert len(good["rows"]) == 40 and good["rows"][0]["reference"].startswith("the quick")
    assert set(good["item_stats"]) == {"bleu", "rouge"} and len(good["item_stats"]["bleu"]["values"]) == 40
    results = json.loads(open(os.path.join(os.path.dirname(db), "out", "results.json"), encoding="utf-8").read())
    assert results["history_ids"] == [1, 2]


def test_history_and_compare_on_the_command_line(recorded, capsys):
    db, _ = recorded
    assert main(["history", "--db", db, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["run"]) for r in listed] == [(2, "bad"), (1, "good")]
    assert set(listed[0]) >= {"id", "run", "model", "dataset", "scores", "time"}
    assert main(["history", "--db", db, "--json", "--run", "good"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [1]
    assert main(["compare", "1", "2", "--db", db, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["bleu"]["p_value"] < 0.05 and result["bleu"]["difference"] > 0
    assert main(["compare", "1", "1", "--db", db, "--json"]) == 0
    assert all(c["p_value"] == 1.0 for c in json.loads(capsys.readouterr().out).values())
    assert main(["compare", "2", "1", "--db", db]) == 0
    table = capsys.readouterr().out
    assert "A = run 2 (bad" in table and "paired bootstrap" in table
    assert main(["history", "--db", db]) == 0
    assert "good" in capsys.readouterr().out


def test_compare_refuses_an_unknown_id_and_runs_on_other_data(recorded, tmp_path, capsys):
    db, _ = recorded
    assert main(["compare", "1", "9", "--db", db]) == 2
    assert "run id 9 is not in db=" in capsys.readouterr().err
    assert main(["compare", "1", "x", "--db", db]) == 2
    assert "a run id is a positive integer" in capsys.readouterr().err
    data = _translation_data(tmp_path)
    harness.run_suite(_suite(tmp_path, [_translation_run("short", data, "good", limit=5)]), str(tmp_path / "o2"),
                      db=db)
    assert main(["compare", "1", "3", "--db", db]) == 2
    assert "scored on different data (limit None vs 5; rows_used 40 vs 5)" in capsys.readouterr().err


def test_a_file_that_is_not_a_run_history_is_refused_and_left_untouched(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_bytes(b"my notes, not a database\n")
    with pytest.raises(ValueError, match="is not an SQLite database"):
        RunHistory(str(text))
    assert text.read_bytes() == b"my notes, not a database\n"
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    before = other.read_bytes()
    with pytest.raises(ValueError, match=r"holds tables of something else \(invoices\)"):
        RunHistory(str(other))
    assert other.read_bytes() == before
    with pytest.raises(ValueError, match="is a folder"):
        RunHistory(str(tmp_path))
    suite = _suite(tmp_path, [_translation_run("good", _translation_data(tmp_path), "good")])
    assert main(["run", suite, "--out", str(tmp_path / "out"), "--db", str(text), "--quiet"]) == 2
    assert "is not an SQLite database" in capsys.readouterr().err
    assert not (tmp_path / "out" / "results.json").exists()  # refused before any work


def test_a_newer_schema_is_refused(tmp_path):
    db = str(tmp_path / "runs.sqlite")
    RunHistory(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ValueError, match="newer lmdemo \\(run-history schema 99; this one reads up to 1\\)"):
        RunHistory(db)


def test_the_default_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LMDEMO_RUNS_DB", str(tmp_path / "x.sqlite"))
    assert history.default_path() == str(tmp_path / "x.sqlite")
    monkeypatch.delenv("LMDEMO_RUNS_DB")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert history.default_path() == str(tmp_path / "cache" / "lmdemo" / "runs.sqlite")


WRITER = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {repo!r})
    from evals.history import RunHistory
    name, n, die_after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    document = {{"suite": "s", "started_utc": "t", "finished_utc": "t", "versions": {{}}}}
    records = [{{"name": f"{{name}}-{{i}}", "task": "lm", "status": "ok",
                 "scores": [{{"metric": "perplexity", "key": "bits_per_char", "value": float(i)}}],
                 "rows": [{{"row": r, "score": 1.0, "text": "x" * 50}} for r in range(200)]}} for i in range(n)]
    h = RunHistory(os.environ["DB"])
    if die_after:
        real, calls = h._insert, []
        def dying(*args):
            calls.append(1)
            if len(calls) > die_after:
                os._exit(9)  # killed mid-write: no exception, no cleanup
            return real(*args)
        h._insert = dying
    for _ in range(5):
        h.add_suite(document, records)
    print("done")
""")


def _writer(tmp_path, db, name, n, die_after=0):
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(repo=REPO), encoding="utf-8")
    return subprocess.Popen([sys.executable, str(script), name, str(n), str(die_after)], env={**os.environ, "DB": db},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_writing_at_once_both_land(tmp_path):
    db = str(tmp_path / "runs.sqlite")
    writers = [_writer(tmp_path, db, name, 4) for name in ("a", "b")]
    for w in writers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0 and out.strip() == "done", err
    with RunHistory(db) as h:
        runs = h.runs()
    assert len(runs) == 2 * 5 * 4
    assert sum(r["run"].startswith("a-") for r in runs) == sum(r["run"].startswith("b-") for r in runs) == 20


def test_a_process_killed_while_writing_leaves_no_half_written_run(tmp_path):
    db = str(tmp_path / "runs.sqlite")
    w = _writer(tmp_path, db, "k", 3, die_after=5)  # the first suite (3 runs) lands, the second dies at its 3rd
    w.communicate(timeout=120)
    assert w.returncode == 9
    with RunHistory(db) as h:
        runs = h.runs()
        assert [r["run"] for r in runs] == ["k-2", "k-1", "k-0"]
        assert all(len(h.record(r["id"])["rows"]) == 200 for r in runs)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM examples").fetchone()[0] == 3 * 200
