"""Evaluation harness: suite parsing, dataset readers, the sanitize hook, the runner and its reports."""

import dataclasses
import gzip
import hashlib
import json
import logging
import os
import sys
import types
from xml.etree import ElementTree

import pytest
import sacrebleu

from evals import datasets, harness, reports
from evals.__main__ import main
from evals.suite import load_suite

from tests.conftest import REPO, shared_data

SUITES = os.path.join(REPO, "evals", "suites")
SAMPLES = os.path.join(REPO, "evals", "samples")
EMAIL = "jane.doe@example.com"
OUTPUT_FILES = ("results.json", "report.md", "report.html", "run.log")


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory):
    """The shipped fixtures suite, run once through the CLI with the sanitize hook recording its calls."""
    calls = []
    real = harness.sanitize_inputs

    def recording(texts, counts, column="", **privacy):
        calls.append((column, list(texts)))
        return real(texts, counts, column=column, **privacy)

    out = tmp_path_factory.mktemp("fixtures_out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(harness, "sanitize_inputs", recording)
        status = main(["run", os.path.join(SUITES, "samples.yaml"), "--out", str(out), "--quiet"])
    with open(out / "results.json", encoding="utf-8") as f:
        document = json.load(f)
    return {"status": status, "out": out, "doc": document, "calls": calls,
            "runs": {r["name"]: r for r in document["runs"]}}


def _score(run, key):
    return next(s for s in run["scores"] if s["key"] == key)


def test_fixture_suite_runs_end_to_end(fixture_run):
    doc, runs = fixture_run["doc"], fixture_run["runs"]
    assert fixture_run["status"] == 0
    assert doc["status"] == "complete" and doc["n_failed"] == 0
    assert list(runs) == ["sentiment-fixture", "translation-fixture", "summarization-fixture", "lm-fixture"]
    assert all(r["status"] == "ok" for r in runs.values())
    # sentiment: 4 of 6 predictions are right
    assert _score(runs["sentiment-fixture"], "accuracy")["value"] == pytest.approx(4 / 6)
    assert runs["sentiment-fixture"]["confusion"]["labels"] == ["negative", "neutral", "positive"]
    # translation BLEU equals sacrebleu on the same columns
    rows = [line.split("\t") for line in open(os.path.join(SAMPLES, "translation.tsv"), encoding="utf-8")][1:]
    expected = sacrebleu.corpus_bleu([r[2].strip() for r in rows], [[r[1] for r in rows]]).score
    bleu = _score(runs["translation-fixture"], "score")
    assert bleu["value"] == pytest.approx(expected)
    assert bleu["ci_low"] <= bleu["value"] <= bleu["ci_high"]
    lm = runs["lm-fixture"]
    assert lm["rows_used"] == 3 and _score(lm, "bits_per_char")["unit"] == "bits per character"
    assert 0 < _score(lm, "bits_per_char")["value"] < 8
    for name, path in [("sentiment-fixture", "sentiment.csv"), ("lm-fixture", "lm.txt")]:
        with open(os.path.join(SAMPLES, path), "rb") as f:
            assert runs[name]["dataset_sha256"] == hashlib.sha256(f.read()).hexdigest()
    assert doc["versions"]["sacrebleu"] == sacrebleu.__version__
    assert {r["seed"] for r in runs.values()} == {0, 1}


def test_reports_are_written_atomically_and_complete(fixture_run):
    out = fixture_run["out"]
    assert sorted(os.listdir(out)) == sorted(OUTPUT_FILES)  # no temporary files left behind
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "COMPLETE: all 4 runs succeeded" in md and "INCOMPLETE" not in md
    assert "bits per character" in md and "dataset sha256" in md and "EMAIL: 1" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") >= 5  # one score chart per run plus the confusion heatmap
    assert "<style>" in html and "<script" not in html and "src=" not in html  # self-contained
    for chunk in html.split("<svg")[1:]:
        ElementTree.fromstring("<svg" + chunk.split("</svg>")[0] + "</svg>")  # well-formed inline SVG
    runs_frame, scores_frame = reports.results_frames(fixture_run["doc"])
    assert list(runs_frame["run"]) == list(fixture_run["runs"])
    # the reports name what each run scored: a column of predictions, or a model
    assert list(runs_frame["scored"]) == ["column prediction"] * 3 + ["model shakespeare-char"]
    assert "| lm-fixture | lm | model shakespeare-char | ok |" in md and "<td>model shakespeare-char</td>" in html
    assert set(scores_frame["metric"]) == {"sentiment_accuracy", "bleu", "rouge", "perplexity"}


def test_hook_sees_every_input_and_reference(fixture_run):
    by_column = {}
    for column, texts in fixture_run["calls"]:
        by_column.setdefault(column, []).extend(texts)
    sentiment = datasets.read_local(os.path.join(SAMPLES, "sentiment.csv"))[0]
    translation = datasets.read_local(os.path.join(SAMPLES, "translation.tsv"))[0]
    summaries = datasets.read_local(os.path.join(SAMPLES, "summarization.jsonl"))[0]
    lm = datasets.read_local(os.path.join(SAMPLES, "lm.txt"))[0]
    assert by_column["text"] == list(sentiment["text"]) + list(lm["text"])
    assert by_column["label"] == list(sentiment["label"])
    assert by_column["reference"] == list(translation["reference"]) + list(summaries["summary"])
    assert by_column["prediction"] == (list(sentiment["prediction"]) + list(translation["prediction"])
                                       + list(summaries["prediction"]))


def test_pii_never_reaches_an_output_file(fixture_run):
    for name in OUTPUT_FILES:
        text = (fixture_run["out"] / name).read_text(encoding="utf-8")
        assert EMAIL not in text and "jane.doe" not in text, name
    assert fixture_run["runs"]["summarization-fixture"]["pii_counts"] == {"EMAIL": 1}
    assert "[EMAIL]" in (fixture_run["out"] / "report.md").read_text(encoding="utf-8")


def test_harness_log_lines_are_redacted(caplog):
    with caplog.at_level(logging.INFO, logger="evals.harness"):
        harness.log.info("row from %s", EMAIL)
    assert EMAIL not in caplog.text and "[EMAIL]" in caplog.text


def _write_suite(tmp_path, runs_yaml):
    path = tmp_path / "suite.yaml"
    path.write_text(runs_yaml, encoding="utf-8")
    return str(path)


SENTIMENT_RUN = f"""
- name: good
  task: sentiment
  dataset: {os.path.join(SAMPLES, "sentiment.csv")}
  predictions_column: prediction
  metrics: [sentiment_accuracy]
"""


def test_failed_run_marks_every_report_incomplete(tmp_path):
    suite = _write_suite(tmp_path, SENTIMENT_RUN + f"""
- name: broken
  task: sentiment
  dataset: {os.path.join(SAMPLES, "sentiment.csv")}
  predictions_column: guess
  metrics: [sentiment_accuracy]
""")
    out = tmp_path / "out"
    assert main(["run", suite, "--out", str(out), "--quiet"]) == 1
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert doc["status"] == "incomplete" and doc["header"] == "INCOMPLETE: 1 of 2 runs failed"
    broken = doc["runs"][1]
    assert broken["status"] == "failed" and "missing column 'guess'" in broken["error"]
    for name in ("report.md", "report.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert "INCOMPLETE: 1 of 2 runs failed" in text and "missing column" in text, name


def test_invalid_suite_exits_2(tmp_path):
    assert main(["run", _write_suite(tmp_path, "- name: x\n  task: poetry\n"), "--out", str(tmp_path / "o")]) == 2


@pytest.mark.parametrize("run_yaml, key, message", [
    ("name: r\ntask: poetry\ndataset: a.csv\nmetrics: [bleu]", "task", "must be one of"),
    ("name: r\ntask: sentiment\ndataset: a.csv\npredictions_column: p", "metrics", "missing required key"),
    ("name: r\ntask: sentiment\ndataset: a.csv\npredictions_column: p\nmetrics: [bleu]", "metrics", "does not fit"),
    ("name: r\ntask: sentiment\ndataset: a.csv\npredictions_column: p\nmetrics: [x]\nlimt: 3", "limt", "unknown key"),
    ("name: r\ntask: sentiment\ndataset: a.csv\npredictions_column: p\nmetrics: [sentiment_accuracy]\nlimit: 0",
     "limit", "positive integer"),
    ("name: r\ntask: lm\nmodel: m\ndataset: a.txt\nmetrics: [perplexity]\nslice: '0.9'", "slice", "0.9:"),
    ("name: r\ntask: lm\ndataset: a.txt\nmetrics: [perplexity]", "model", "needs a model"),
    ("name: r\ntask: translation\ndataset: a.tsv\nmetrics: [bleu]", "predictions_column", "needs predictions"),
    ("name: r\ntask: translation\ndataset: 'hf:wmt16:de-en'\npredictions_column: p\nmetrics: [bleu]",
     "split", "needs a split"),
])
def test_suite_errors_name_file_run_and_key(tmp_path, run_yaml, key, message):
    suite = _write_suite(tmp_path, "- " + run_yaml.replace("\n", "\n  "))
    with pytest.raises(ValueError) as info:
        load_suite(suite)
    text = str(info.value)
    assert "suite.yaml" in text and "run 'r'" in text and f"key {key!r}" in text and message in text


def test_relative_dataset_paths_follow_the_suite_file():
    suite = load_suite(os.path.join(SUITES, "samples.yaml"))
    assert suite.runs[0].dataset == os.path.join(SAMPLES, "sentiment.csv")
    dev = load_suite(os.path.join(SUITES, "lm_dev.yaml")).runs[0]
    assert dev.dataset == os.path.join(os.path.dirname(REPO), "shared", "data", "tinyshakespeare", "input.txt")
    assert dev.slice == "0.9:"


def _spec(dataset, **changes):
    base = load_suite(os.path.join(SUITES, "samples.yaml")).runs[0]  # the sentiment run
    return dataclasses.replace(base, dataset=str(dataset), confidence_interval=False, **changes)


def test_missing_column_names_file_and_column(tmp_path):
    with pytest.raises(ValueError, match=r"sentiment\.csv.*missing column 'grade' \(label_column='grade'\)"):
        harness.evaluate_run(_spec(os.path.join(SAMPLES, "sentiment.csv"),
                                   columns={"text_column": "text", "label_column": "grade"}))


@pytest.mark.parametrize("content, message", [(b"", "the file is empty"), (b"  \n\n", "the file is empty"),
                                              (b"text,label,prediction\n", "no data rows")])
def test_empty_files_are_refused(tmp_path, content, message):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=f"empty.csv.*{message}"):
        harness.evaluate_run(_spec(path))


def test_nan_label_names_row_and_column(tmp_path):
    path = tmp_path / "nan.csv"
    path.write_text("text,label,prediction\na,positive,positive\nb,,negative\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"nan\.csv.*row 2, column 'label': missing value"):
        harness.evaluate_run(_spec(path))


def test_non_utf8_names_byte_offset_and_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("text,label,prediction\ncaf\xe9,positive,positive\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin1\.csv.*not valid UTF-8.*byte offset 25 \(line 2\)"):
        harness.evaluate_run(_spec(path))


def test_prediction_reference_count_mismatch(tmp_path):
    predictions = tmp_path / "predictions.txt"
    predictions.write_text("positive\nnegative\n", encoding="utf-8")
    spec = _spec(os.path.join(SAMPLES, "sentiment.csv"), predictions_column="text",
                 predictions_file=str(predictions))
    with pytest.raises(ValueError, match=r"predictions\.txt.* has 2 rows but dataset .*sentiment\.csv.* 6 rows"):
        harness.evaluate_run(spec)


def test_unknown_model_name(tmp_path):
    spec = dataclasses.replace(load_suite(os.path.join(SUITES, "samples.yaml")).runs[3], model="no-such-model")
    with pytest.raises(ValueError, match=r"run 'lm-fixture': model='no-such-model'"):
        harness.evaluate_run(spec)


def test_model_based_translation_refuses_a_language_model():
    spec = dataclasses.replace(load_suite(os.path.join(SUITES, "samples.yaml")).runs[1],
                               model="shakespeare-char", predictions_column=None)
    with pytest.raises(ValueError, match=r"run 'translation-fixture': model='shakespeare-char': model='shakespeare-char' "
                                         r"is a 'transformer' model; task='translation' needs a 'encoder-decoder' model"):
        harness.evaluate_run(spec)


def test_model_based_summarization_with_an_extractive_method():
    spec = dataclasses.replace(load_suite(os.path.join(SUITES, "samples.yaml")).runs[2],
                               model="lead-3", predictions_column=None)
    data, _, _ = harness.read_run_data(spec, {})
    result = harness.evaluate_run(spec)
    from lmdemo.tasks.extractive import lead_k
    from evals.scoring.rouge import rouge

    expected = rouge([lead_k(d, 3) for d in data["source"]], data["reference"])
    got = {r["key"]: r["value"] for r in result["scores"] if r["metric"] == "rouge"}
    assert got["rouge1"] == pytest.approx(expected["rouge1"], abs=1e-12)


def test_model_based_sentiment_with_label_names_and_label_ids(tmp_path):
    import lmdemo

    if "sst2-sentiment" not in lmdemo.available_models():
        pytest.skip("the shipped sst2-sentiment checkpoint is missing")
    spec = dataclasses.replace(load_suite(os.path.join(SUITES, "samples.yaml")).runs[0], model="sst2-sentiment",
                               predictions_column=None, dataset=os.path.join(SAMPLES, "sentiment_movies.csv"))
    result = harness.evaluate_run(spec)  # the ten hand-written movie reviews, all classified right
    assert {r["key"]: r["value"] for r in result["scores"]} == {"accuracy": 1.0, "macro_f1": 1.0}
    assert result["confusion"]["labels"] == ["negative", "positive"]
    # GLUE's files give labels as ids: the model's label names become their ids ("negative" is 0)
    frame = datasets.read_local(spec.dataset)[0]
    frame["label"] = (frame["label"] == "positive").astype(int)
    ids = tmp_path / "ids.csv"
    frame.to_csv(ids, index=False)
    result = harness.evaluate_run(dataclasses.replace(spec, dataset=str(ids)))
    assert result["scores"][0]["value"] == 1.0 and result["confusion"]["labels"] == ["0", "1"]
    assert result["truncated_inputs"] == 0
    # a review longer than the classifier's 64 tokens is counted as cut to fit
    frame.loc[0, "text"] = " ".join(["A warm, funny and beautifully acted film."] * 20)
    frame.to_csv(ids, index=False)
    assert harness.evaluate_run(dataclasses.replace(spec, dataset=str(ids)))["truncated_inputs"] == 1


def test_a_loaded_model_can_stand_in_for_its_name(tmp_path):
    import lmdemo

    if "sst2-sentiment" not in lmdemo.available_models():
        pytest.skip("the shipped sst2-sentiment checkpoint is missing")
    suite = tmp_path / "suite.yaml"
    suite.write_text(json.dumps({"name": "s", "runs": [
        {"name": "mine", "task": "sentiment", "dataset": os.path.join(SAMPLES, "sentiment_movies.csv"),
         "model": "my-classifier", "metrics": ["sentiment_accuracy"]}]}))  # no checkpoint has this name
    assert harness.run_suite(str(suite), str(tmp_path / "no"))["runs"][0]["status"] == "failed"
    loaded = {"my-classifier": lmdemo.load_model("sst2-sentiment")}
    run = harness.run_suite(str(suite), str(tmp_path / "yes"), models=loaded)["runs"][0]
    assert (run["status"], run["model"], run["scores"][0]["value"]) == ("ok", "my-classifier", 1.0)
    with pytest.raises(TypeError, match="models must be a dict of model name → loaded model, received list"):
        harness.run_suite(str(suite), str(tmp_path / "bad"), models=[loaded["my-classifier"]])


def test_markdown_cells_and_errors_cannot_carry_html():
    assert reports._md_cell("a|b <script>x</script> & c\nd") == "a\\|b &lt;script&gt;x&lt;/script&gt; &amp; c d"
    document = {"suite": "s", "header": "INCOMPLETE", "suite_file": "s.yaml", "suite_sha256": "0" * 64,
                "started_utc": "t", "seconds": 0, "versions": {}, "runs": [
                    {"name": "r", "task": "lm", "status": "failed", "error": "ValueError: bad <img src=x>",
                     "dataset": "d", "seed": 0, "seconds": 0}]}
    assert "**FAILED**: ValueError: bad &lt;img src=x&gt;" in reports.markdown_report(document)


def test_reports_say_what_each_run_scored(tmp_path):
    # a run naming both a model and a predictions column scores the column, and the report says so;
    # a checkpoint folder given as the model is shown relative to the suite file, as datasets are
    folder = os.path.join(REPO, "models", "shakespeare-5gram")
    if not os.path.isdir(folder):
        pytest.skip("the shipped shakespeare-5gram checkpoint is missing")
    suite = tmp_path / "suite.yaml"
    suite.write_text(json.dumps({"name": "s", "runs": [
        {"name": "both", "task": "sentiment", "dataset": os.path.join(SAMPLES, "sentiment.csv"),
         "model": "no-such-model", "predictions_column": "prediction", "metrics": ["sentiment_accuracy"]},
        {"name": "lm", "task": "lm", "dataset": os.path.join(SAMPLES, "lm.txt"), "model": folder,
         "metrics": ["perplexity"]}]}))
    document = harness.run_suite(str(suite), str(tmp_path / "out"))
    assert [r["status"] for r in document["runs"]] == ["ok", "ok"]
    assert document["runs"][1]["model"] == os.path.relpath(folder, str(tmp_path))
    runs, _ = reports.results_frames(document)
    assert list(runs["scored"]) == ["column prediction", "model " + os.path.relpath(folder, str(tmp_path))]


def test_gzip_and_txt_slice(tmp_path):
    text = "".join(f"para {i}\n\n" for i in range(10))
    path = tmp_path / "book.txt.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    frame, digest = datasets.load_dataset(str(path), slice="0.8:")
    assert list(frame["text"]) == ["para 8", "para 9"]
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(datasets.load_dataset(str(path), limit=3)[0]) == 3


def test_hf_dataset_offline_error(monkeypatch):
    fake = types.ModuleType("datasets")

    def offline(*args, **kwargs):
        raise ConnectionError("Couldn't reach the Hugging Face Hub (offline mode is enabled)")

    fake.load_dataset = offline
    monkeypatch.setitem(sys.modules, "datasets", fake)
    with pytest.raises(ValueError, match=r"dataset 'hf:imdb' split='test' could not be loaded.*ConnectionError"):
        datasets.load_dataset("hf:imdb", split="test")


def test_lm_dev_suite_on_a_small_slice():
    shared_data("tinyshakespeare", "input.txt")
    spec = load_suite(os.path.join(SUITES, "lm_dev.yaml")).runs[0]
    assert spec.txt_rows == "document"
    spec = dataclasses.replace(spec, slice="0.995:", confidence_interval=False)  # the last 5,577 characters
    result = harness.evaluate_run(spec)
    assert result["rows_used"] == 1  # one continuous text, as the training loop scores validation
    assert 1.5 < _score(result, "bits_per_char")["value"] < 3.5


@pytest.mark.parametrize("txt_rows,expected", [("document", 1), ("paragraph", 3), ("line", 5)])
def test_txt_rows(tmp_path, txt_rows, expected):
    from evals.datasets import read_local

    path = tmp_path / "t.txt"
    path.write_text("a\nb\n\nc\n\nd\ne\n", encoding="utf-8")
    frame, _ = read_local(str(path), txt_rows=txt_rows)
    assert len(frame) == expected
    with pytest.raises(ValueError, match="txt_rows must be one of"):
        read_local(str(path), txt_rows="page")


def _sentiment_suite(tmp_path, **run):
    rows = [("Loved it, write to ann.lee@example.com", "positive", "negative"),
            ("Waited forty minutes and the soup arrived cold.", "negative", "negative")]
    data = tmp_path / "reviews.csv"
    data.write_text("text,label,prediction\n" + "".join(f'"{t}",{y},{p}\n' for t, y, p in rows), encoding="utf-8")
    suite = tmp_path / "suite.yaml"
    suite.write_text(json.dumps({"name": "s", "runs": [{"name": "r", "task": "sentiment", "dataset": str(data),
                                                         "predictions_column": "prediction",
                                                         "metrics": ["sentiment_accuracy"], **run}]}))
    return str(suite)


def _written(folder):
    return "".join(open(os.path.join(folder, name), encoding="utf-8").read()
                   for name in ("results.json", "report.md", "report.html", "run.log"))


def test_examples_false_writes_no_example_text(tmp_path):
    shown = harness.run_suite(_sentiment_suite(tmp_path), str(tmp_path / "shown"))
    assert shown["runs"][0]["examples"][0]["text"] == "Loved it, write to [EMAIL]"  # the misclassified row
    assert "write to [EMAIL]" in _written(tmp_path / "shown")
    hidden = harness.run_suite(_sentiment_suite(tmp_path, examples=False), str(tmp_path / "hidden"))
    run = hidden["runs"][0]
    assert (run["examples"], run["examples_left_out"], run["scores"][0]["value"]) == ([], True, 0.5)
    written = _written(tmp_path / "hidden")
    assert "write to" not in written and "Loved it" not in written
    assert "Example texts left out (the suite says examples: false)." in written
    with pytest.raises(ValueError, match=r"run 'r': key 'examples': must be true or false, received 'no'"):
        load_suite(_sentiment_suite(tmp_path, examples="no"))


def test_report_scan_catches_what_the_input_pass_missed(tmp_path, monkeypatch):
    # an input pass that misses everything (as a recognizer misses an unusual name): the texts reach the
    # record raw, and the scan just before writing still finds and replaces what the sanitizer knows
    monkeypatch.setattr(harness, "sanitize_inputs", lambda texts, counts, column="", **_: [str(t) for t in texts])
    document = harness.run_suite(_sentiment_suite(tmp_path), str(tmp_path / "out"))
    run = document["runs"][0]
    assert run["examples"][0]["text"] == "Loved it, write to [EMAIL]" and run["report_scan"] == {"EMAIL": 1}
    written = _written(tmp_path / "out")
    assert "ann.lee@example.com" not in written
    assert "Found again in the report's texts just before writing, and replaced: EMAIL: 1." in written


def _summaries_suite(tmp_path, **run):
    rows = [{"document": "Dear Jennifer Smith, call +1 415 555 0100 about the garden.",
             "summary": "Jennifer Smith will call about the garden.",
             "prediction": "Jennifer Smith calls about the garden."},
            {"document": "Rain flooded two roads.", "summary": "Two roads flooded.", "prediction": "Roads flooded."}]
    data = tmp_path / "talks.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    suite = tmp_path / "suite.yaml"
    suite.write_text(json.dumps({"name": "s", "runs": [{"name": "r", "task": "summarization", "dataset": str(data),
                                                         "model": "lead-3", "predictions_column": "prediction",
                                                         "metrics": ["rouge"], **run}]}))
    return str(suite)


def test_privacy_operator_surrogate_is_consistent_reproducible_and_reported(tmp_path, fixture_run):
    from evals.privacy import set_tagger, tagger_name

    assert {r["privacy_operator"] for r in fixture_run["runs"].values()} == {"surrogate"}  # the default
    before = tagger_name()
    set_tagger(None)  # exact counts from the patterns and lists (the tagger adds "Roads" in "Roads flooded.")
    try:
        _check_surrogate_run(tmp_path)
    finally:
        set_tagger(before)


def _check_surrogate_run(tmp_path):
    spec = load_suite(_summaries_suite(tmp_path, privacy_operator="surrogate", seed=3)).runs[0]
    pii: dict = {}
    data, _, _ = harness.read_run_data(spec, pii)
    assert pii == {"PERSON": 3, "PHONE": 1}
    first, last = data["reference"][0].split()[:2]
    # one Surrogates per run: "Jennifer Smith" is the same fake person in source, reference and prediction
    assert data["source"][0].startswith(f"Dear {first} {last}, call +")
    assert data["prediction"][0].startswith(f"{first} {last} ")
    assert "Jennifer" not in first and "Smith" not in last and "415 555 0100" not in data["source"][0]
    assert harness.read_run_data(spec, {})[0] == data  # the seed is the salt: the same surrogates every time
    other = harness.read_run_data(dataclasses.replace(spec, seed=4), {})[0]
    assert other["reference"][0].split()[:2] != [first, last]
    out = tmp_path / "out"
    document = harness.run_suite(_summaries_suite(tmp_path, privacy_operator="surrogate", seed=3), str(out))
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["runs"][0]["privacy_operator"] == "surrogate" == document["runs"][0]["privacy_operator"]
    md, html = (out / "report.md").read_text(encoding="utf-8"), (out / "report.html").read_text(encoding="utf-8")
    assert "PII operator" in md and "| PERSON: 3, PHONE: 1 | surrogate |" in md and "<td>surrogate</td>" in html
    # the surrogates in the example texts are found again and replaced before writing, and counted as such
    assert first not in _written(out) and "Jennifer" not in _written(out)
    assert results["runs"][0]["report_scan"].get("PERSON", 0) >= 1
    assert "these counts include them" in md
    with pytest.raises(ValueError, match=r"run 'r': key 'privacy_operator': must be one of \['placeholder', 'mask', "
                                         r"'pseudonym', 'remove', 'surrogate'\], received privacy_operator='fake'"):
        load_suite(_summaries_suite(tmp_path, privacy_operator="fake"))


@pytest.mark.parametrize("slice_, low, high", [("0.0:0.004", 0.9, 1.0), ("0.995:", 0.0, 0.05)])
def test_contamination_of_shakespeare_char_on_its_training_text_and_on_held_out_text(slice_, low, high):
    shared_data("tinyshakespeare", "input.txt")
    spec = load_suite(os.path.join(SUITES, "lm_dev.yaml")).runs[0]
    spec = dataclasses.replace(spec, slice=slice_, confidence_interval=False)  # ~4,500 or 5,577 characters
    result = harness.evaluate_run(spec)
    c = result["contamination"]
    assert c["n"] == 13 and c["ngrams"] > 400
    assert low <= c["ngram_overlap"] <= high
    assert c["warning"] is (low >= 0.9)
    record = {"contamination": c}
    line = reports.contamination_line(record)
    assert line.startswith("WARNING, contamination:" if c["warning"] else "Contamination check:")


def test_a_run_without_a_fingerprint_says_why(tmp_path, toy_lm):
    assert harness.contamination_check(None, ["text"]) == {"ngram_overlap": None,
                                                           "note": "no model named: nothing to check"}
    toy_lm.save(str(tmp_path / "m"))
    result = harness.contamination_check(str(tmp_path / "m"), ["some text"])
    assert result["ngram_overlap"] is None and "carries no training fingerprint" in result["note"]
