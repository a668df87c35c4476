"""The evaluation runner: reads each run's data, sanitizes it, scores it, and collects results.

Privacy seam: every text read from a dataset (inputs, references, predictions, labels) goes through
`sanitize_inputs` before it reaches a model, a metric, a log line or a report. Only sanitized text
and per-type counts leave that function; the removed values are never stored. A run's
``privacy_operator`` says what replaces them: by default realistic surrogates ("Jane" becomes "Mary"),
the same fake in every column of the run, keyed by its seed; or ``[PERSON]`` placeholders.

    >>> from evals.harness import run_suite            # doctest: +SKIP
    >>> results = run_suite("evals/suites/samples.yaml", "out/")
"""

import logging
import os
import time
import traceback
from typing import Any, Optional, Union

import sacrebleu
from tqdm.auto import tqdm

from evals import datasets, reports
from evals.privacy import Pseudonymizer, RedactingFilter, Surrogates, count_by_type, sanitize, sanitize_batch
from evals.suite import TASK_COLUMNS, RunSpec, Suite, load_suite

log = logging.getLogger("evals.harness")
# on the logger itself, not only on our handlers: records are redacted before they propagate to any
# handler someone else installed on the root logger (absl and keras do)
log.addFilter(RedactingFilter())

N_WORST = 5  # examples listed in the report per run
PREDICT_BATCH = 64  # texts per pipeline call

# unit shown next to every reported score key
UNITS = {
    "perplexity_per_token": "perplexity per token",
    "bits_per_char": "bits per character",
    "bits_per_byte": "bits per byte",
    "word_perplexity": "perplexity per word",
    "score": "BLEU (0-100)",
    "accuracy": "fraction correct (0-1)",
    "macro_f1": "macro F1 (0-1)",
}
PERPLEXITY_KEYS = ("perplexity_per_token", "bits_per_char", "bits_per_byte", "word_perplexity")
SANITIZE_CHUNK = 256  # texts per `sanitize_batch` call: a progress step, and the batch path's speed


def sanitize_inputs(texts: list, counts: dict, column: str = "", operator: str = "placeholder",
                    pseudonymizer: Optional[Pseudonymizer] = None,
                    surrogates: Optional[Surrogates] = None) -> list[str]:
    """THE privacy hook: replace PII in ``texts`` and add per-type counts to ``counts``.

    Args:
        texts: Raw strings read from a dataset.
        counts: ``{entity type: n}`` updated in place (counts only, never the values).
        column: Which column the texts came from (for the progress bar).
        operator: What replaces each value, one of ``evals.privacy.OPERATORS`` (default: placeholders).
        pseudonymizer, surrogates: The run's `Pseudonymizer` or `Surrogates` (see `run_privacy`), shared
            by its columns so a value gets the same replacement in each of them.

    Returns:
        The sanitized strings, in order (``[EMAIL]`` in place of an address, etc.).
    """
    clean = []
    with tqdm(total=len(texts), desc=f"sanitize {column}", leave=False, disable=None) as bar:
        for start in range(0, len(texts), SANITIZE_CHUNK):
            chunk = [str(t) for t in texts[start:start + SANITIZE_CHUNK]]
            out, findings = sanitize_batch(chunk, operator=operator, pseudonymizer=pseudonymizer,
                                           surrogates=surrogates)
            for kind, n in count_by_type(findings).items():
                counts[kind] = counts.get(kind, 0) + n
            clean += out
            bar.update(len(out))
    return clean


def run_privacy(spec: RunSpec) -> dict:
    """The keyword arguments of `sanitize_inputs` for every column of one run: its operator, and for
    pseudonyms or surrogates one object shared by the columns, keyed by the run's seed.

    "Jane" in a dialogue, in its reference summary and in a model's prediction thus gets one surrogate,
    and the same run gives the same surrogates every time. The seed is no secret: whoever holds the
    suite can recompute a candidate value's pseudonym or surrogate (a check, not a reversal).
    """
    salt = f"lmdemo-evals-seed-{spec.seed}"
    return {"operator": spec.privacy_operator,
            "pseudonymizer": Pseudonymizer(salt) if spec.privacy_operator == "pseudonym" else None,
            "surrogates": Surrogates(salt) if spec.privacy_operator == "surrogate" else None}


def _redact(message: str) -> str:
    """Error text can quote data (a bad row, a file path with a name): sanitize it, without counting."""
    return sanitize(message, operator="placeholder")[0]


def read_run_data(spec: RunSpec, pii: dict) -> tuple[dict, int, Optional[str]]:
    """Load the dataset of ``spec`` and return its sanitized columns.

    Returns:
        ``({"text"/"source"/"reference"/"label"/"prediction": [str]}, rows used, sha256)``.

    Raises:
        ValueError: Bad file, missing column or value, or predictions not matching the references in count.
    """
    frame, digest = datasets.load_dataset(spec.dataset, split=spec.split, slice=spec.slice, limit=spec.limit,
                                          txt_rows=spec.txt_rows)
    source = spec.dataset
    raw = {}
    for key in TASK_COLUMNS[spec.task]:
        if spec.task in ("translation", "summarization") and key == "source_column" and spec.model is None:
            continue  # sources are only read when a model must translate/summarize them
        raw[key.replace("_column", "")] = datasets.column_values(frame, spec.column(key, frame.columns), source, key)
    if spec.predictions_column:
        if spec.predictions_file:
            pframe, _ = datasets.read_local(spec.predictions_file, lines=True)
            predictions = datasets.column_values(pframe, spec.predictions_column, spec.predictions_file,
                                                 "predictions_column")
            if spec.limit is not None:
                predictions = predictions[:spec.limit]
            if len(predictions) != len(frame):
                raise ValueError(f"predictions_file {spec.predictions_file!r} has {len(predictions)} rows but "
                                 f"dataset {source!r} has {len(frame)} rows (after limit={spec.limit}); "
                                 f"prediction/reference counts must match")
        else:
            predictions = datasets.column_values(frame, spec.predictions_column, source, "predictions_column")
        raw["prediction"] = predictions
    privacy = run_privacy(spec)
    clean = {name: sanitize_inputs(values, pii, column=name, **privacy) for name, values in raw.items()}
    return clean, len(frame), digest


def evaluate_run(spec: RunSpec, models: Optional[dict] = None) -> dict:
    """Run one `RunSpec` and return its result record (raises on any problem).

    ``models`` maps model names to models already loaded (as an app keeps them): a run whose
    ``model`` is one of the names uses that object instead of loading its own copy.

    Returns:
        dict with ``scores`` (rows of metric, key, value, unit, ci_low, ci_high), ``pii_counts``,
        ``rows_used``, ``dataset_sha256``, ``rows`` (every row scored: its text or prediction and
        reference, sanitized and cut to 300 characters, and its own score), ``examples`` (the worst of
        them) and ``confusion``.
    """
    pii: dict = {}
    data, rows, digest = read_run_data(spec, pii)
    log.info("run %s: %d rows from %s", spec.name, rows, spec.dataset)
    result = {"rows_used": rows, "dataset_sha256": digest, "pii_counts": pii, "scores": [], "examples": [],
              "rows": [], "confusion": None, "metric_details": {}}
    common = {"confidence_interval": spec.confidence_interval, "seed": spec.seed}
    model = (models or {}).get(spec.model, spec.model)
    if spec.task == "lm":
        _score_lm(spec, model, data, common, result)
    elif spec.task in ("translation", "summarization"):
        predictions = _predictions(spec, model, data, "source", result)
        _score_generation(spec, predictions, data["reference"], common, result)
    else:
        _score_sentiment(spec, model, data, common, result)
    return result


def _predictions(spec: RunSpec, model: Any, data: dict, column: str, result: dict) -> list[str]:
    """The prediction column when the run has one, else the model's predictions from ``data[column]``
    (sources are only read when a model must predict); records in ``result["truncated_inputs"]`` how
    many of them were longer than the model reads."""
    if data.get("prediction"):
        return data["prediction"]
    predictions, result["truncated_inputs"] = model_predictions(spec, data[column], data.get("label"), model)
    return predictions


def model_predictions(spec: RunSpec, sources: list[str], labels: Optional[list[str]] = None,
                      model: Any = None) -> tuple[list[str], int]:
    """Predictions of ``spec.model`` (or of ``model``, the same model already loaded) through
    ``lmdemo.pipeline`` (inputs already sanitized), and how many sources were cut to fit the model
    (only their start was read).

    For sentiment, the label names (``positive``) are given as ids (``1``) when every
    reference label is a number, as in GLUE's files.
    """
    import lmdemo

    try:
        pipe = lmdemo.pipeline(spec.task, model=spec.model if model is None else model)
    except ValueError as e:
        raise ValueError(f"run {spec.name!r}: model={spec.model!r}: {e}") from None
    results = []
    for start in tqdm(range(0, len(sources), PREDICT_BATCH), desc=f"{spec.name} predict", leave=False, disable=None):
        results += pipe(sources[start:start + PREDICT_BATCH])
    truncated = sum(bool(r["truncated"]) for r in results)
    if spec.task != "sentiment":
        return [r[pipe.output_key] for r in results], truncated
    names = list(pipe.model.labels)
    as_ids = labels is not None and all(str(x).strip().isdigit() for x in labels)
    return [str(names.index(r["label"])) if as_ids else r["label"] for r in results], truncated


def _add(result: dict, metric: str, key: str, scores: dict, unit: str) -> None:
    result["scores"].append({"metric": metric, "key": key, "value": float(scores[key]), "unit": unit,
                             "ci_low": scores.get(f"{key}_ci_low"), "ci_high": scores.get(f"{key}_ci_high")})


def _score_lm(spec: RunSpec, model: Any, data: dict, common: dict, result: dict) -> None:
    from evals.scoring.perplexity import perplexity, resolve_model

    try:
        model = resolve_model(model)
    except ValueError as e:
        raise ValueError(f"run {spec.name!r}: model={spec.model!r}: {e}") from None
    texts = data["text"]
    scores = perplexity(texts, model, per_text=True, **spec.metrics["perplexity"], **common)
    for key in PERPLEXITY_KEYS:
        _add(result, "perplexity", key, scores, UNITS[key])
    per_text = [row["bits_per_char"] for row in scores["per_text"]]
    result["rows"] = [{"row": i + 1, "score": per_text[i], "score_name": "bits per character", "text": texts[i][:300]}
                      for i in range(len(texts))]
    result["examples"] = sorted(result["rows"], key=lambda r: -r["score"])[:N_WORST]
    result["metric_details"]["perplexity"] = {k: v for k, v in scores.items() if k != "per_text"}


def _score_generation(spec: RunSpec, predictions: list[str], references: list[str], common: dict,
                      result: dict) -> None:
    from evals.scoring.bleu import corpus_bleu
    from evals.scoring.rouge import rouge

    example_scores = None
    score_name = ""
    for metric, options in spec.metrics.items():
        if metric == "bleu":
            scores = corpus_bleu(predictions, references, **options, **common)
            _add(result, "bleu", "score", scores, UNITS["score"])
            if example_scores is None:
                example_scores = [sacrebleu.sentence_bleu(p, [r]).score for p, r in zip(predictions, references)]
                score_name = "sentence BLEU"
        else:
            scores = rouge(predictions, references, per_example=True, **options, **common)
            types = [k for k in scores if not k.endswith(("_per_example", "_ci_low", "_ci_high"))]
            for key in types:
                _add(result, "rouge", key, scores, f"{key} F-measure (0-1)")
            example_scores = scores[f"{types[-1]}_per_example"]
            score_name = f"{types[-1]} F-measure"
            scores = {k: v for k, v in scores.items() if not k.endswith("_per_example")}
        result["metric_details"][metric] = scores
    result["rows"] = [{"row": i + 1, "score": float(example_scores[i]), "score_name": score_name,
                       "prediction": predictions[i][:300], "reference": references[i][:300]}
                      for i in range(len(predictions))]
    result["examples"] = sorted(result["rows"], key=lambda r: r["score"])[:N_WORST]


def _score_sentiment(spec: RunSpec, model: Any, data: dict, common: dict, result: dict) -> None:
    from evals.scoring.classification import classification_scores

    predictions = _predictions(spec, model, data, "text", result)
    labels = data["label"]
    scores = classification_scores(predictions, labels, **spec.metrics["sentiment_accuracy"], **common)
    for key in ("accuracy", "macro_f1"):
        _add(result, "sentiment_accuracy", key, scores, UNITS[key])
    result["confusion"] = {"labels": [str(x) for x in scores["labels"]], "matrix": scores["confusion_matrix"]}
    result["rows"] = [{"row": i + 1, "score": float(predictions[i] == labels[i]), "score_name": "correct",
                       "text": data["text"][i][:300], "prediction": predictions[i], "reference": labels[i]}
                      for i in range(len(labels))]
    result["examples"] = [{**r, "score_name": "misclassified"} for r in result["rows"] if not r["score"]][:N_WORST]
    result["metric_details"]["sentiment_accuracy"] = scores


def run_suite(suite: Union[str, Suite], out_dir: str, models: Optional[dict] = None) -> dict:
    """Run every run of a suite, record failures per run, and write the reports into ``out_dir``.

    Args:
        suite: The YAML suite file, or a `Suite` (``evals.suite.parse_suite`` builds one from a dict).
        out_dir: Folder for ``results.json``, ``report.md``, ``report.html`` and ``run.log``.
        models: Optional ``{name: loaded model}``: runs naming one of these models use the object
            instead of loading the checkpoint again (an app passes the models it keeps loaded).

    Returns:
        The results document written to ``results.json`` (``status`` is ``"complete"`` or ``"incomplete"``).

    Raises:
        ValueError: The suite file itself is invalid (nothing is run then).
    """
    if models is not None and not isinstance(models, dict):
        raise TypeError(f"models must be a dict of model name → loaded model, received {type(models).__name__}")
    suite = suite if isinstance(suite, Suite) else load_suite(suite)
    os.makedirs(out_dir, exist_ok=True)
    handler = logging.FileHandler(os.path.join(out_dir, "run.log"), mode="w", encoding="utf-8")
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("evals")
    root.addHandler(handler)
    old_level = root.level
    if old_level == logging.NOTSET or old_level > logging.INFO:
        root.setLevel(logging.INFO)
    started = time.time()
    records = []
    try:
        for spec in tqdm(suite.runs, desc=f"suite {suite.name}", disable=None):
            t0 = time.perf_counter()
            record = {"name": spec.name, "task": spec.task, "model": _display_model(spec.model, suite.path),
                      "predictions_column": spec.predictions_column,
                      "dataset": _display_path(spec.dataset, suite.path), "split": spec.split,
                      "metrics": spec.metrics, "seed": spec.seed, "confidence_interval": spec.confidence_interval,
                      "limit": spec.limit, "slice": spec.slice, "txt_rows": spec.txt_rows,
                      "privacy_operator": spec.privacy_operator}
            try:
                record.update(evaluate_run(spec, models))
                record.update(status="ok", error=None)
                if not spec.examples:  # the suite asked for no example text in any report
                    record.update(examples=[], rows=[], examples_left_out=True)
            except Exception as e:  # one bad run must not hide the others; it is reported as failed
                message = _redact(f"{type(e).__name__}: {e}")
                record.update(status="failed", error=message)
                log.error("run %s failed: %s\n%s", spec.name, message, traceback.format_exc())
            record["seconds"] = round(time.perf_counter() - t0, 3)
            records.append(record)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    for record in records:
        rescan_record(record)
    document = reports.build_document(suite.path, suite.name, records, started, time.time(), suite.sha256)
    reports.write_reports(document, out_dir)
    return document


def rescan_record(record: dict) -> None:
    """Scan the texts a run's record carries into the reports once more, just before they are written:
    whatever the sanitizer finds now (in an example, an error message) is replaced by a placeholder and
    counted in ``record["report_scan"]`` (defence in depth: every input was sanitized already).

    After the ``surrogate`` operator this finds the surrogates too: they are realistic on purpose, and
    a surrogate cannot be told from a real value the input pass missed without keeping the values. So
    they are replaced and counted as well, and the reports say that the counts include them."""
    counts: dict = {}
    rows = {row["row"]: row for row in record.get("rows") or []}
    for example in [*rows.values(), *(record.get("examples") or [])]:
        same = rows.get(example.get("row"))
        for key in ("text", "prediction", "reference"):
            if not isinstance(example.get(key), str):
                continue
            if same is not None and same is not example:  # an example is one of the rows: already scanned
                example[key] = same[key]
                continue
            example[key], found = sanitize(example[key], operator="placeholder")
            for kind, n in count_by_type(found).items():
                counts[kind] = counts.get(kind, 0) + n
    if isinstance(record.get("error"), str):
        record["error"], found = sanitize(record["error"], operator="placeholder")
        for kind, n in count_by_type(found).items():
            counts[kind] = counts.get(kind, 0) + n
    record["report_scan"] = counts


def _display_model(model: Optional[str], suite_path: str) -> Optional[str]:
    """A shipped model's name as is; a checkpoint folder relative to the suite file, as datasets are
    (an absolute path can hold a user name)."""
    if model and os.path.isdir(model):
        return os.path.relpath(model, os.path.dirname(suite_path))
    return model


def _display_path(dataset: str, suite_path: str) -> str:
    if dataset.startswith("hf:"):
        return dataset
    return os.path.relpath(dataset, os.path.dirname(suite_path))
