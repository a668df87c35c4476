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
from evals.comparison import data_key, item_statistics, suite_comparisons
from evals.privacy import Pseudonymizer, RedactingFilter, Surrogates, count_by_type, sanitize, sanitize_batch
from evals.suite import BIAS_TASK, TASK_COLUMNS, RunSpec, Suite, load_suite
from lmdemo.training.task_scores import bleu_tokenize

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
    "form_accuracy": "share of poems in the form asked (0-1)",
    "line_count_accuracy": "share of poems with the form's line count (0-1)",
    "width_accuracy": "share of poems whose lines have the form's width (0-1)",
    "punctuation_accuracy": "share of lines ending in the right mark (0-1)",
}
PERPLEXITY_KEYS = ("perplexity_per_token", "bits_per_char", "bits_per_byte", "word_perplexity")
# a run whose evaluation text shares at least this much of its 13-grams with the training text is flagged
CONTAMINATION_WARNING = 0.05
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


def read_run_data(spec: RunSpec, pii: dict, contamination: Optional[dict] = None) -> tuple[dict, int, Optional[str]]:
    """Load the dataset of ``spec`` and return its sanitized columns.

    With ``contamination`` (a dict), the share of the raw texts' 13-grams that the model's training text
    held is put into it (`contamination_check`): only the counts leave, never the text.

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
        if spec.task in ("translation", "summarization", "poem") and key == "source_column" and spec.model is None:
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
    if contamination is not None:
        contamination.update(contamination_check(spec.model, [v for k, vals in raw.items() if k != "label"
                                                              and k != "prediction" for v in vals]))
    privacy = run_privacy(spec)
    clean = {name: sanitize_inputs(values, pii, column=name, **privacy) for name, values in raw.items()}
    return clean, len(frame), digest


def contamination_check(model: Any, texts: list) -> dict:
    """How much of ``texts`` the model's training text held: the share of their word 13-grams found in the
    fingerprint its checkpoint carries (``lmdemo.data.fingerprint``).

    Returns:
        ``{"ngram_overlap": share or None, "ngrams": checked, "seen": found, "n": 13, "false_positive_rate",
        "warning": bool}``; or ``{"ngram_overlap": None, "note": why}`` when the model has no fingerprint
        (a run without a model, a checkpoint trained before fingerprints, a Hub model).
    """
    if not isinstance(model, str) or not model:
        return {"ngram_overlap": None, "note": "no model named: nothing to check"}
    from lmdemo.data.fingerprint import load_fingerprint
    from lmdemo.registry import model_path

    try:
        fingerprint = load_fingerprint(model_path(model))
    except (ValueError, OSError) as e:
        return {"ngram_overlap": None, "note": _redact(f"the model's training fingerprint could not be read: {e}")}
    if fingerprint is None:
        return {"ngram_overlap": None, "note": "the checkpoint carries no training fingerprint "
                                               "(`python -m lmdemo fingerprint` adds one)"}
    result = fingerprint.overlap([str(t) for t in texts])
    if result["ngram_overlap"] is None:
        result["note"] = f"no text has {result['n']} words: nothing to check"
    result["warning"] = bool(result["ngram_overlap"] is not None and result["ngram_overlap"] >= CONTAMINATION_WARNING)
    return result


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
    if spec.task == BIAS_TASK:
        return bias_run(spec, (models or {}).get(spec.model, spec.model))
    pii: dict = {}
    contamination: dict = {}
    data, rows, digest = read_run_data(spec, pii, contamination)
    log.info("run %s: %d rows from %s", spec.name, rows, spec.dataset)
    if contamination.get("warning"):
        log.warning("run %s: %.1f%% of the evaluation text's %d-grams were in %s's training text", spec.name,
                    100 * contamination["ngram_overlap"], contamination["n"], spec.model)
    result = {"rows_used": rows, "dataset_sha256": digest, "pii_counts": pii, "contamination": contamination,
              "scores": [], "examples": [],
              "rows": [], "confusion": None, "metric_details": {}, "item_stats": {}}
    common = {"confidence_interval": spec.confidence_interval, "seed": spec.seed}
    model = (models or {}).get(spec.model, spec.model)
    if spec.task == "lm":
        _score_lm(spec, model, data, common, result)
    elif spec.task == "poem":
        _score_poem(spec, model, data, common, result)
    elif spec.task in ("translation", "summarization"):
        predictions = _predictions(spec, model, data, "source", result)
        _score_generation(spec, predictions, data["reference"], common, result)
    else:
        _score_sentiment(spec, model, data, common, result)
    return result


def bias_run(spec: RunSpec, model: Any) -> dict:
    """The data-bias probe (``evals.bias``) as a run: its templates file is the run's dataset; each dimension's
    largest gap between two groups is a score (``<dimension>_gap``) with its bootstrap interval, and the whole
    probe (groups, every gap, the most divergent sentence pairs, every sentence's score) is ``bias``."""
    import lmdemo
    from evals.bias import load_counterfactuals, run_probe

    counterfactuals = load_counterfactuals(spec.dataset)
    if isinstance(model, str):
        try:
            model = lmdemo.load_model(model)
        except ValueError as e:
            raise ValueError(f"run {spec.name!r}: model={spec.model!r}: {e}") from None
    try:
        probe = run_probe(counterfactuals, model, seed=spec.seed)
    except TypeError:
        raise ValueError(f"run {spec.name!r}: model={spec.model!r} is neither a sentiment classifier nor a language "
                         f"model; the bias probe scores sentences with one of those") from None
    scores = []
    for dim, found in probe["dimensions"].items():
        top = found["gaps"][0]
        scores.append({"metric": "bias", "key": f"{dim}_gap", "value": top["gap"],
                       "unit": f"{probe['score_name']}, {top['a']} − {top['b']}", "ci_low": top["ci_low"],
                       "ci_high": top["ci_high"]})
    return {"rows_used": probe["n_sentences"], "dataset_sha256": counterfactuals["sha256"], "pii_counts": {},
            "contamination": {},  # templates written to probe the model: no training text to compare with
            "scores": scores, "examples": [], "rows": [], "confusion": None, "metric_details": {}, "item_stats": {},
            "bias": probe}


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
    result["item_stats"]["perplexity"] = item_statistics("perplexity", spec.metrics["perplexity"],
                                                         per_text=scores["per_text"])


def _score_generation(spec: RunSpec, predictions: list[str], references: list[str], common: dict,
                      result: dict) -> None:
    from evals.scoring.bleu import corpus_bleu
    from evals.scoring.rouge import rouge

    example_scores = None
    score_name = ""
    for metric, options in spec.metrics.items():
        if metric == "bleu":
            # Chinese references without a tokenizer named: sacrebleu's "zh" (its 13a splits no Chinese
            # words); the signature in the report says which one ran
            options = {"tokenize": bleu_tokenize(references), **options}
            scores = corpus_bleu(predictions, references, **options, **common)
            _add(result, "bleu", "score", scores, UNITS["score"])
            if example_scores is None:
                example_scores = [sacrebleu.sentence_bleu(p, [r], tokenize=options.get("tokenize", "13a"),
                                                          lowercase=options.get("lowercase", False)).score
                                  for p, r in zip(predictions, references)]
                score_name = "sentence BLEU"
            result["item_stats"]["bleu"] = item_statistics("bleu", options, predictions, references)
        else:
            scores = rouge(predictions, references, per_example=True, **options, **common)
            types = [k for k in scores if not k.endswith(("_per_example", "_ci_low", "_ci_high"))]
            for key in types:
                _add(result, "rouge", key, scores, f"{key} F-measure (0-1)")
            example_scores = scores[f"{types[-1]}_per_example"]
            score_name = f"{types[-1]} F-measure"
            result["item_stats"]["rouge"] = item_statistics(
                "rouge", options, fmeasures={t: scores[f"{t}_per_example"] for t in types})
            scores = {k: v for k, v in scores.items() if not k.endswith("_per_example")}
        result["metric_details"][metric] = scores
    result["rows"] = [{"row": i + 1, "score": float(example_scores[i]), "score_name": score_name,
                       "prediction": predictions[i][:300], "reference": references[i][:300]}
                      for i in range(len(predictions))]
    result["examples"] = sorted(result["rows"], key=lambda r: r["score"])[:N_WORST]


def _score_poem(spec: RunSpec, model: Any, data: dict, common: dict, result: dict) -> None:
    """Poems written to the titles (or read from the predictions column), scored against the forms asked
    for: a form name per row, or a reference poem whose form is read off it."""
    from evals.scoring.poem_form import asked_form, poem_form_scores

    forms = [asked_form(r, i) for i, r in enumerate(data["reference"])]
    predictions = data.get("prediction")
    if not predictions:
        predictions = poem_predictions(spec, data["source"], forms, model)
        result["truncated_inputs"] = 0  # a title too long is refused, never cut
    scores = poem_form_scores(predictions, forms, **spec.metrics["poem_form"], **common)
    for key in ("form_accuracy", "line_count_accuracy", "width_accuracy", "punctuation_accuracy"):
        _add(result, "poem_form", key, scores, UNITS[key])
    result["rows"] = [{"row": i + 1, "score": scores["per_poem"][i], "score_name": "in the form asked",
                       "prediction": predictions[i][:300], "reference": forms[i]} for i in range(len(forms))]
    result["examples"] = [r for r in result["rows"] if not r["score"]][:N_WORST]
    result["metric_details"]["poem_form"] = {k: v for k, v in scores.items() if k != "per_poem"}


def poem_predictions(spec: RunSpec, titles: list[str], forms: list[str], model: Any = None) -> list[str]:
    """Poems of ``spec.model`` (or ``model``, the same model already loaded), one per title in the form asked
    for it, sampled at the pipeline's default temperature with the run's seed (the same suite writes the same
    poems)."""
    import lmdemo

    try:
        pipe = lmdemo.pipeline("poem", model=spec.model if model is None else model)
    except ValueError as e:
        raise ValueError(f"run {spec.name!r}: model={spec.model!r}: {e}") from None
    return [pipe(title, form=form, seed=spec.seed)["poem"]
            for title, form in tqdm(list(zip(titles, forms)), desc=f"{spec.name} write", leave=False, disable=None)]


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
    result["item_stats"]["sentiment_accuracy"] = item_statistics(
        "sentiment_accuracy", spec.metrics["sentiment_accuracy"], predictions, labels)


def run_suite(suite: Union[str, Suite], out_dir: str, models: Optional[dict] = None, db: Optional[str] = None,
              record: bool = True, history_texts: bool = True) -> dict:
    """Run every run of a suite, record failures per run, and write the reports into ``out_dir``.

    Args:
        suite: The YAML suite file, or a `Suite` (``evals.suite.parse_suite`` builds one from a dict).
        out_dir: Folder for ``results.json``, ``report.md``, ``report.html`` and ``run.log``.
        models: Optional ``{name: loaded model}``: runs naming one of these models use the object
            instead of loading the checkpoint again (an app passes the models it keeps loaded).
        db: The run-history database (``evals.history``; None: ``$LMDEMO_RUNS_DB`` or the user's cache).
        record: Record the runs in ``db`` (default True).
        history_texts: Record each row's (sanitized) text, prediction and reference with its score; False:
            the scores only (an app shared by visitors records no visitor's text).

    Returns:
        The results document written to ``results.json`` (``status`` is ``"complete"`` or ``"incomplete"``;
        ``history_ids``: the runs' ids in the history database, when recorded).

    Raises:
        ValueError: The suite file itself is invalid, or ``db`` is not a run history (nothing is run then).
    """
    from evals.history import RunHistory

    if models is not None and not isinstance(models, dict):
        raise TypeError(f"models must be a dict of model name → loaded model, received {type(models).__name__}")
    suite = suite if isinstance(suite, Suite) else load_suite(suite)
    history = RunHistory(db) if record else None  # a bad database is refused before any work
    try:
        return _run_and_report(suite, out_dir, models, history, history_texts)
    finally:
        if history is not None:
            history.close()


def _run_and_report(suite: Suite, out_dir: str, models: Optional[dict], history, history_texts: bool) -> dict:
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
                record.update(status="ok", error=None, model_sha256=_model_sha256(spec.model))
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
        record["data_key"] = data_key(record)
    try:
        comparisons = suite_comparisons(records)
    except ValueError as e:  # a comparison that cannot be made must not cost the suite its reports
        log.warning("paired comparisons left out: %s", e)
        comparisons = []
    stats = [record.pop("item_stats", None) for record in records]  # for the history; too long for the reports
    document = reports.build_document(suite.path, suite.name, records, started, time.time(), suite.sha256,
                                      comparisons)
    if history is not None:
        kept = [{**record, "item_stats": s or {}} for record, s in zip(records, stats)]
        if not history_texts:
            for r in kept:
                r["rows"] = [{k: v for k, v in row.items() if k in ("row", "score", "score_name")}
                             for row in r.get("rows") or []]
        document["history_ids"] = history.add_suite(document, kept)
    reports.write_reports(document, out_dir)
    return document


def _model_sha256(model: Optional[str]) -> Optional[str]:
    """The sha256 of a run's checkpoint (``lmdemo.storage.checkpoint.checkpoint_sha256``), None without one."""
    if not model:
        return None
    from lmdemo.registry import model_path
    from lmdemo.storage.checkpoint import checkpoint_sha256

    try:
        return checkpoint_sha256(model_path(model))
    except (ValueError, OSError):
        return None


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
