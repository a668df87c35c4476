"""The Evaluate tab: one harness run on an uploaded file or a built-in sample, with its reports.

The handler builds a one-run suite (``evals.suite.parse_suite``, checked as a suite file is) and calls
``evals.harness.run_suite`` with it, so the app scores exactly as ``python -m evals run`` does: the data passes the PII sanitizer first, and the same
``results.json``, ``report.md`` and ``report.html`` come back for download.
"""

import os
import re
import shutil

import gradio as gr
import pandas as pd

from evals import harness, reports
from evals.datasets import read_local
from evals.suite import BIAS_TASK, TASK_COLUMNS, TASK_METRICS, default_column, parse_suite
from lmdemo.tasks.pipeline import EXTRACTIVE
from lmdemo_app import charts, workspace
from lmdemo_app.checks import (MAX_EVAL_ROWS, UserError, check_choice, check_int, check_upload, inputs_checked,
                               user_errors)
from lmdemo_app.fields import named, slider
from lmdemo_app.i18n import choices, language_input, t, text
from lmdemo_app.library_messages import translate
from lmdemo_app.shared_models import check_model_name, get_model, task_models

SAMPLES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "evals", "samples")

# built-in samples: file, task, metrics, prediction column ("": the model predicts), model
SAMPLES = {
    "lm.txt (language model)": ("lm.txt", "lm", ["perplexity"], "", None),
    "translation.tsv (predictions vs references)": ("translation.tsv", "translation", ["bleu", "rouge"], "prediction",
                                                    None),
    "summarization.jsonl (predictions vs references)": ("summarization.jsonl", "summarization", ["rouge"],
                                                        "prediction", None),
    "sentiment.csv (predicted vs true labels)": ("sentiment.csv", "sentiment", ["sentiment_accuracy"], "prediction",
                                                 None),
    "translation_en_es.tsv (English → Spanish, translated by a model)": (
        "translation_en_es.tsv", "translation", ["bleu", "rouge"], "", "en-es-translation"),
    "translation_en_zh.tsv (English → Chinese, translated by a model; BLEU with sacrebleu's zh tokenizer)": (
        "translation_en_zh.tsv", "translation", ["bleu"], "", "en-zh-translation"),
    "poems.tsv (titles and forms; poems written by a model)": ("poems.tsv", "poem", ["poem_form"], "",
                                                               "tang-poems-char"),
    "summarization.jsonl (summarized by a model)": ("summarization.jsonl", "summarization", ["rouge"], "",
                                                    "samsum-summarization"),
    "sentiment_movies.csv (movie reviews, classified by a model)": (
        "sentiment_movies.csv", "sentiment", ["sentiment_accuracy"], "", "sst2-sentiment"),
}
SUFFIXES = (".csv", ".tsv", ".jsonl", ".txt")
TASKS = list(TASK_METRICS)  # lmdemo's tasks, then the data-bias probe ("bias": the model alone, no file)
ALL_METRICS = sorted({m for metrics in TASK_METRICS.values() for m in metrics})
BIAS_MODEL_TASKS = ("sentiment", "lm")  # the probe reads P(positive) from a classifier, ln P from a language model
MAX_LM_BYTES = 300_000  # perplexity reads every character through the model: keep a run under a minute
MAX_SUMMARY_ROWS = 100  # the summarizer takes 0.3-0.5 s per document here (beam 4): keep a run under a minute


def samples():
    """The built-in samples that can run now: those naming a model need it present."""
    return [name for name, (_, task, _, _, model) in SAMPLES.items() if model is None or model in task_models(task)]


def sample_path(sample):
    """The file of built-in sample ``sample``."""
    check_choice(sample, "sample", samples())
    return os.path.join(SAMPLES_DIR, SAMPLES[sample][0])


def sample_settings(sample, model=None):
    """Task, metrics, prediction column and model list that fit a built-in sample (no change for none).

    A sample that names no model keeps the chosen ``model`` when it can do the sample's task.
    """
    if not sample:
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()
    _, task, metrics, prediction_column, wanted = SAMPLES[check_choice(sample, "sample", samples())]
    return task, metric_choices(task, metrics), prediction_column, model_choices(task, wanted or model)


def model_choices(task, model=None):
    """The model list shown for ``task``: the models that can do it, ``model`` (or the first) chosen.

    This changes only the list a browser shows; every model stays a valid value of the dropdown for
    API calls, which are checked by `build_run` instead.
    """
    names = eval_models(check_choice(task, "task", TASKS))
    return gr.Dropdown(choices=names, value=model if model in names else (names[0] if names else None))


def task_settings(task, model=None):
    """After the visitor picks ``task``: its model list (keeping ``model`` if it fits) and its metrics, only
    the task's own offered."""
    return model_choices(task, model), metric_choices(task)


def metric_choices(task, chosen=None):
    """The metrics checkbox for ``task``: only its own metrics offered, ``chosen`` (default: all) ticked."""
    metrics = list(TASK_METRICS[check_choice(task, "task", TASKS)])
    return gr.CheckboxGroup(choices=choices([(m, "metric_" + m) for m in metrics]),
                            value=[m for m in (chosen or metrics) if m in metrics])


def file_columns(path):
    """The column names of an uploaded table (empty for a TXT file, an unreadable file, or none)."""
    if not path:
        return []
    try:
        frame, _ = read_local(check_upload(path, "upload", SUFFIXES))
    except ValueError:  # the Evaluate button reports what is wrong with the file
        return []
    return [] if list(frame.columns) == ["text"] and path.lower().endswith(".txt") else [str(c) for c in frame.columns]


def upload_settings(path):
    """After an upload: the sample cleared (nothing of it stays behind), and every column box offering the
    file's own columns, emptied (empty: the task's default column)."""
    names = file_columns(path)
    box = gr.Dropdown(choices=names, value="")
    return (gr.Dropdown(value=None) if path else gr.skip()), box, box, box, box, box


def visitor_message(error, folder):
    """A harness error as a visitor reads it: no exception class name, no server folder, in the visitor's
    language where `library_messages` knows the message."""
    message = re.sub(r"^[A-Za-z]+(Error|Exception): ", "", str(error))
    message = message.replace(folder + os.sep, "").replace(folder, "")
    return translate(message) or message


def eval_models(task):
    """The models a run of ``task`` can use: the task's own, or for the bias probe the classifiers and the
    language models."""
    if task == BIAS_TASK:
        return [n for t in BIAS_MODEL_TASKS for n in task_models(t)]
    return task_models(task)


def all_models():
    """Every model any task can use: the language models, then the task models and extractive methods."""
    names = []
    for task in TASKS:
        names += [n for n in eval_models(task) if n not in names]
    return names


def build_run(dataset, task, model_name, metrics, text_column, reference_column, prediction_column, label_column,
              limit, confidence_interval, source_column=""):
    """The suite-file mapping of one run, checked against the task (ValueError names the argument).

    A task other than ``lm`` scores the prediction column when one is named, else the predictions
    of ``model_name``, which must be able to do the task (`task_models`).
    """
    check_choice(task, "task", TASKS)
    if not metrics:
        raise UserError(text("err_no_metrics", metrics=list(TASK_METRICS[task]), task=repr(task)), field="metrics")
    wrong = [m for m in metrics if m not in TASK_METRICS[task]]
    if wrong:
        raise UserError(text("err_wrong_metrics", wrong=wrong, task=repr(task), metrics=list(TASK_METRICS[task])),
                        field="metrics")
    run = {"name": f"app-{task}", "task": task, "dataset": dataset, "metrics": list(metrics),
           "limit": check_int(limit, "limit", 1, MAX_EVAL_ROWS), "confidence_interval": bool(confidence_interval),
           "seed": 0}
    given = {"text_column": text_column, "reference_column": reference_column, "label_column": label_column,
             "source_column": source_column}
    for key, column in given.items():
        if column and column.strip() and key in TASK_COLUMNS[task]:
            run[key] = column.strip()
    if source_column and source_column.strip() and "source_column" not in TASK_COLUMNS[task]:
        raise UserError(text("err_source_column", column=repr(source_column), task=repr(task),
                             default=repr(default_column(task, "text_column"))), field="source_column")
    if task == "lm":
        run["model"] = check_model_name(model_name)
    elif prediction_column and prediction_column.strip():
        run["predictions_column"] = prediction_column.strip()
    else:
        names = task_models(task)
        if model_name not in names:
            raise UserError(text("err_task_model", names=names, task=repr(task), model=repr(model_name)),
                            field="model_name")
        run["model"] = model_name
        if task == "summarization" and model_name not in EXTRACTIVE:
            run["limit"] = min(run["limit"], MAX_SUMMARY_ROWS)
    return run


@user_errors
def evaluate(upload, sample, task, model_name, metrics, text_column, reference_column, prediction_column,
             label_column, limit, confidence_interval, source_column="", language="en",
             progress=gr.Progress(track_tqdm=True)):
    """Run the harness on the uploaded file (or the sample) and return its scores, rows and reports.

    Without a prediction column, the chosen model predicts first (translation, summarization,
    sentiment), on the sanitized inputs; ``source_column`` is the column it reads (empty: the task's
    default, ``source`` or ``document``). An upload wins over a sample.

    Args:
        upload: a CSV, TSV, JSONL or TXT file (wins over ``sample``).
        sample: a built-in sample's name.
        task: lm, translation, summarization, sentiment, or bias (the data-bias probe of ``model_name``: a
            sentiment classifier or a language model; no file is read).
        model_name: the model that is scored (lm) or predicts (the other tasks, without a prediction column).
        metrics: the task's metrics to compute.
        text_column: the text column (lm, sentiment); empty: the task's default.
        reference_column: the reference column (translation, summarization); empty: the default.
        prediction_column: a column of predictions to score instead of a model's.
        label_column: the true-label column (sentiment); empty: the default.
        limit: rows to use (1-500).
        confidence_interval: bootstrap 95% intervals.
        source_column: the column a model reads (translation, summarization); empty: the default.
        language: ``en`` or ``zh``: the language of headers, titles and messages.

    Returns:
        (status Markdown: what was scored, by what, how many rows; scores table; one chart per metric
        scale with intervals; every row with its own score, sanitized; report file paths).
    """
    if task == BIAS_TASK:
        return bias_probe(model_name, text("none"))
    if upload:
        source = check_upload(upload, "upload", SUFFIXES)
    elif sample:
        source = sample_path(sample)
    else:
        raise UserError(text("err_no_data"), field="upload")
    if task == "lm" and os.path.getsize(source) > MAX_LM_BYTES:
        raise UserError(text("err_lm_too_big", size=os.path.getsize(source), limit=MAX_LM_BYTES), field="upload")
    folder = workspace.new_folder("eval-")
    try:
        # a neutral file name: the visitor's own file name never reaches a report or a log line
        dataset = os.path.join(folder, "data" + os.path.splitext(source)[1].lower())
        shutil.copyfile(source, dataset)
        run = build_run(dataset, task, model_name, metrics, text_column, reference_column, prediction_column,
                        label_column, limit, confidence_interval, source_column)
        check_columns(run, dataset)
        inputs_checked()
        progress(0, desc=text("progress_predicting" if "model" in run and task != "lm" else "progress_scoring"))
        # the harness uses the model the other tabs keep loaded instead of loading a copy per click
        name = run.get("model")
        shared = {name: get_model(name, task)} if name and name not in EXTRACTIVE else {}
    except BaseException:
        workspace.remove(folder)
        raise
    document, record = run_in_folder(run, folder, shared)
    os.remove(dataset)  # the reports stay for download; the data does not
    _, scores = reports.results_frames(document)
    scores = scores.drop(columns=["run"]).round(4)
    pii = ", ".join(f"{k}: {v}" for k, v in sorted(record["pii_counts"].items())) or text("none")
    what = text("scored_file", file=os.path.basename(upload) if upload else sample)
    if task == "lm":
        what += text("scored_lm", model=run["model"],
                     column=run.get("text_column") or default_column("lm", "text_column"))
    elif "predictions_column" in run:
        what += text("scored_column", column=run["predictions_column"],
                     reference=run.get("reference_column") or run.get("label_column")
                     or default_column(task, "reference_column" if task != "sentiment" else "label_column"))
    else:
        what += text("scored_model", model=run["model"])
        if record.get("truncated_inputs"):
            what += text("note_inputs_cut", count=record["truncated_inputs"])
        if run["limit"] < limit:  # build_run capped it
            what += text("note_summary_cap", limit=MAX_SUMMARY_ROWS)
    status = text("eval_status_line", header=document["header"], task=task, rows=record["rows_used"],
                  seconds=record["seconds"], what=what, metrics=", ".join(run["metrics"]), pii=pii)
    chart = charts.metric_bars(reports.metric_groups(record["scores"]))
    rows = pd.DataFrame(record.get("rows") or [])
    if not rows.empty:
        rows = rows.drop(columns=["score_name"]).rename(columns={"score": record["rows"][0]["score_name"]}).round(4)
    return status, scores, chart, rows, document["report_files"]


def check_columns(run, dataset):
    """Each column ``run`` reads is in ``dataset``; else a `UserError` on the field that names the column
    (empty: the task's default). The harness reads the same columns."""
    spec = parse_suite({"name": "app", "runs": [run]}, dataset).runs[0]
    frame, _ = read_local(dataset)
    needed = {"reference_column", "label_column"} | ({"predictions_column"} if spec.predictions_column else
                                                     {"text_column", "source_column"})
    needed = [key for key in (*TASK_COLUMNS[run["task"]], "predictions_column") if key in needed]
    for key in needed:
        column = spec.predictions_column if key == "predictions_column" else spec.column(key, frame.columns)
        if column not in frame.columns:
            raise UserError(text("err_missing_column", column=repr(column), role=key,
                                 columns=list(map(str, frame.columns))),
                            field="prediction_column" if key == "predictions_column" else key)


def run_in_folder(run, folder, models):
    """One run of the app through the harness, its reports written in ``folder``; the run is recorded in the
    history with its scores only (no visitor's text is kept). ``folder`` is removed when the run cannot
    finish, and the error reaches the visitor without a server path.

    Returns:
        (the results document, with ``report_files``: report.html, report.md, results.json; the run's record).
    """
    try:
        suite = parse_suite({"name": "app", "runs": [run]}, os.path.join(folder, "app.yaml"))
        document = harness.run_suite(suite, os.path.join(folder, "report"), models=models, history_texts=False)
    except BaseException:
        workspace.remove(folder)
        raise
    record = document["runs"][0]
    if record["status"] != "ok":
        workspace.remove(folder)
        raise UserError(text("err_run_failed", error=visitor_message(record["error"], folder)))
    document["report_files"] = [os.path.join(folder, "report", name)
                                for name in ("report.html", "report.md", "results.json")]
    return document, record


def bias_probe(model_name, none="none"):
    """The data-bias probe (``evals.bias``) of one model, as `evaluate` returns a run: a status line, each
    dimension's largest gap (scores and chart), every gap of every dimension (rows) and the reports."""
    names = eval_models(BIAS_TASK)
    if model_name not in names:
        raise UserError(text("err_task_model", names=names, task=repr(BIAS_TASK), model=repr(model_name)),
                        field="model_name")
    inputs_checked()
    model_task = next(t for t in BIAS_MODEL_TASKS if model_name in task_models(t))
    run = {"name": "app-bias", "task": BIAS_TASK, "model": model_name}
    shared = {model_name: get_model(model_name, model_task)}  # loaded before a folder exists to clean up
    document, record = run_in_folder(run, workspace.new_folder("eval-"), shared)
    _, scores = reports.results_frames(document)
    scores = scores.drop(columns=["run"]).round(4)
    probe = record["bias"]
    significant = [f"{dim}: {g['a']} − {g['b']}" for dim, found in probe["dimensions"].items()
                   for g in found["gaps"] if g["significant"]]
    status = text("bias_status_line", header=document["header"], model=model_name, score=probe["score_name"],
                  sentences=probe["n_sentences"], templates=probe["n_templates"], seconds=record["seconds"],
                  significant=", ".join(significant) or none)
    rows = pd.DataFrame([{text("col_dimension"): dim, text("col_higher"): g["a"], text("col_lower"): g["b"],
                          text("col_gap"): round(g["gap"], 4), "95%": f"[{g['ci_low']:.4g}, {g['ci_high']:.4g}]",
                          "p (Holm)": float(f"{g['p_holm']:.3g}"), text("col_significant"): g["significant"]}
                         for dim, found in probe["dimensions"].items() for g in found["gaps"]])
    chart = charts.metric_bars(reports.metric_groups(record["scores"]))
    return status, scores, chart, rows, document["report_files"]


def build(models, demo):
    """The tab's components and events (inside ``demo``); ``models`` are the language models the
    default task (``lm``) offers."""
    gr.Markdown(t("evaluate_help"))
    with gr.Row():
        with gr.Column():
            upload = named(gr.File(label=t("upload"), file_types=list(SUFFIXES), type="filepath",
                                   elem_id="eval-upload"), "upload")
            sample = named(gr.Dropdown(samples(), value=None, label=t("sample"), elem_id="eval-sample"), "sample")
            task = named(gr.Radio(choices([(task, "task_" + task) for task in TASKS]), value="lm", label=t("task"),
                                  elem_id="eval-task"), "task")
            # every usable model is a valid value (the API may pick any); a page shows the task's own list
            model = gr.Dropdown(all_models(), value=models[0] if models else None, label=t("model"),
                                info=t("eval_model_info"), elem_id="eval-model", allow_custom_value=True)
            # every metric is a valid value (the API may send any); a page offers the task's own
            metrics = gr.CheckboxGroup(choices([(m, "metric_" + m) for m in ALL_METRICS]), value=["perplexity"],
                                       label=t("metrics"), elem_id="eval-metrics")
        with gr.Column():
            with gr.Accordion(t("columns"), open=False):
                # dropdowns of the uploaded file's columns; any name may be typed, "" is the task's default
                column = dict(choices=[], value="", allow_custom_value=True)
                text_column = gr.Dropdown(label=t("text_column"), elem_id="eval-text-column", **column)
                source_column = gr.Dropdown(label=t("source_column"), elem_id="eval-source-column", **column)
                reference_column = gr.Dropdown(label=t("reference_column"), elem_id="eval-reference-column",
                                               **column)
                prediction_column = gr.Dropdown(label=t("prediction_column"), elem_id="eval-prediction-column",
                                                **column)
                label_column = gr.Dropdown(label=t("label_column"), elem_id="eval-label-column", **column)
            limit = slider(1, MAX_EVAL_ROWS, value=100, step=1, label=t("limit"), name="limit")
            ci = gr.Checkbox(value=True, label=t("ci"))
            button = gr.Button(t("evaluate"), variant="primary", elem_id="eval-button")
    status = gr.Markdown(label=t("out_status"), elem_id="eval-status")
    scores = gr.Dataframe(label=t("scores"), elem_id="eval-scores", wrap=True)
    chart = gr.Plot(label=t("eval_chart"), elem_id="eval-chart")
    rows = gr.Dataframe(label=t("eval_rows"), elem_id="eval-rows", wrap=True, max_height=400)
    files = gr.File(label=t("reports"), file_count="multiple", interactive=False, elem_id="eval-reports")
    language = language_input()
    demo.load(model_choices, [task, model], model, api_visibility="private")
    demo.load(metric_choices, [task, metrics], metrics, api_visibility="private")
    sample.input(sample_settings, [sample, model], [task, metrics, prediction_column, model],
                 api_visibility="private")
    upload.change(upload_settings, upload, [sample, text_column, source_column, reference_column, prediction_column,
                                            label_column], api_visibility="private", show_progress="hidden")
    task.input(task_settings, [task, model], [model, metrics], api_visibility="private")
    # source_column and language last: gradio_client calls that leave them out still work (they have
    # defaults); raw HTTP calls must send all 13 values
    inputs = [upload, sample, task, model, metrics, text_column, reference_column, prediction_column, label_column,
              limit, ci, source_column, language]
    # the last result's status goes at once: a failed run must not leave "COMPLETE" beside its error
    button.click(lambda: "", None, status, api_visibility="private", show_progress="hidden", queue=False).then(
        evaluate, inputs, [status, scores, chart, rows, files], api_name="evaluate", concurrency_limit=1,
        concurrency_id="evaluate", show_progress_on=[status], validator=evaluate.validator)
