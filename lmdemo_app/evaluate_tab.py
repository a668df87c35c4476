"""The Evaluate tab: one harness run on an uploaded file or a built-in sample, with its reports.

The handler builds a one-run suite (``evals.suite.parse_suite``, checked as a suite file is) and calls
``evals.harness.run_suite`` with it, so the app scores exactly as ``python -m evals run`` does: the data passes the PII sanitizer first, and the same
``results.json``, ``report.md`` and ``report.html`` come back for download.
"""

import os
import shutil

import gradio as gr

from evals import harness, reports
from evals.suite import TASK_COLUMNS, TASK_METRICS, default_column, parse_suite
from lmdemo.tasks.pipeline import EXTRACTIVE
from lmdemo_app import charts, workspace
from lmdemo_app.checks import MAX_EVAL_ROWS, check_choice, check_int, check_upload, user_errors
from lmdemo_app.i18n import t
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
    "summarization.jsonl (summarized by a model)": ("summarization.jsonl", "summarization", ["rouge"], "",
                                                    "samsum-summarization"),
    "sentiment_movies.csv (movie reviews, classified by a model)": (
        "sentiment_movies.csv", "sentiment", ["sentiment_accuracy"], "", "sst2-sentiment"),
}
SUFFIXES = (".csv", ".tsv", ".jsonl", ".txt")
TASKS = list(TASK_METRICS)
ALL_METRICS = sorted({m for metrics in TASK_METRICS.values() for m in metrics})
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
    return task, metrics, prediction_column, model_choices(task, wanted or model)


def model_choices(task, model=None):
    """The model list shown for ``task``: the models that can do it, ``model`` (or the first) chosen.

    This changes only the list a browser shows; every model stays a valid value of the dropdown for
    API calls, which are checked by `build_run` instead.
    """
    names = task_models(check_choice(task, "task", TASKS))
    return gr.Dropdown(choices=names, value=model if model in names else (names[0] if names else None))


def task_settings(task, model=None):
    """After the visitor picks ``task``: its model list (keeping ``model`` if it fits) and its metrics."""
    return model_choices(task, model), list(TASK_METRICS[task])


def all_models():
    """Every model any task can use: the language models, then the task models and extractive methods."""
    names = []
    for task in TASKS:
        names += [n for n in task_models(task) if n not in names]
    return names


def build_run(dataset, task, model_name, metrics, text_column, reference_column, prediction_column, label_column,
              limit, confidence_interval, source_column=""):
    """The suite-file mapping of one run, checked against the task (ValueError names the argument).

    A task other than ``lm`` scores the prediction column when one is named, else the predictions
    of ``model_name``, which must be able to do the task (`task_models`).
    """
    check_choice(task, "task", TASKS)
    if not metrics:
        raise ValueError(f"metrics is empty: choose one of {list(TASK_METRICS[task])} for task={task!r}")
    wrong = [m for m in metrics if m not in TASK_METRICS[task]]
    if wrong:
        raise ValueError(f"metrics {wrong} do not fit task={task!r}; choose from {list(TASK_METRICS[task])}")
    run = {"name": f"app-{task}", "task": task, "dataset": dataset, "metrics": list(metrics),
           "limit": check_int(limit, "limit", 1, MAX_EVAL_ROWS), "confidence_interval": bool(confidence_interval),
           "seed": 0}
    given = {"text_column": text_column, "reference_column": reference_column, "label_column": label_column,
             "source_column": source_column}
    for key, column in given.items():
        if column and column.strip() and key in TASK_COLUMNS[task]:
            run[key] = column.strip()
    if source_column and source_column.strip() and "source_column" not in TASK_COLUMNS[task]:
        raise ValueError(f"source_column={source_column!r} does not apply to task={task!r}: its model reads "
                         f"text_column (default {default_column(task, 'text_column')!r})")
    if task == "lm":
        run["model"] = check_model_name(model_name)
    elif prediction_column and prediction_column.strip():
        run["predictions_column"] = prediction_column.strip()
    else:
        names = task_models(task)
        if model_name not in names:
            raise ValueError(f"model must be one of {names} for task={task!r} (or name a prediction_column to score "
                             f"predictions already in the file), received model={model_name!r}")
        run["model"] = model_name
        if task == "summarization" and model_name not in EXTRACTIVE:
            run["limit"] = min(run["limit"], MAX_SUMMARY_ROWS)
    return run


@user_errors
def evaluate(upload, sample, task, model_name, metrics, text_column, reference_column, prediction_column,
             label_column, limit, confidence_interval, source_column="", progress=gr.Progress(track_tqdm=True)):
    """Run the harness on the uploaded file (or the sample) and return its scores and reports.

    Without a prediction column, the chosen model predicts first (translation, summarization,
    sentiment), on the sanitized inputs; ``source_column`` is the column it reads (empty: the task's
    default, ``source`` or ``document``).

    Returns:
        (status Markdown, scores table, chart with intervals, report file paths).
    """
    if upload:
        source = check_upload(upload, "data file", SUFFIXES)
    elif sample:
        source = sample_path(sample)
    else:
        raise ValueError("no data: upload a CSV, TSV, JSONL or TXT file, or pick a built-in sample")
    if task == "lm" and os.path.getsize(source) > MAX_LM_BYTES:
        raise ValueError(f"data file has {os.path.getsize(source):,} bytes; perplexity here scores at most "
                         f"{MAX_LM_BYTES:,}")
    folder = workspace.new_folder("eval-")
    try:
        # a neutral file name: the visitor's own file name never reaches a report or a log line
        dataset = os.path.join(folder, "data" + os.path.splitext(source)[1].lower())
        shutil.copyfile(source, dataset)
        run = build_run(dataset, task, model_name, metrics, text_column, reference_column, prediction_column,
                        label_column, limit, confidence_interval, source_column)
        suite = parse_suite({"name": "app", "runs": [run]}, os.path.join(folder, "app.yaml"))
        progress(0, desc="sanitizing, predicting and scoring" if "model" in run and task != "lm" else
                 "sanitizing and scoring")
        # the harness uses the model the other tabs keep loaded instead of loading a copy per click
        name = run.get("model")
        shared = {name: get_model(name, task)} if name and name not in EXTRACTIVE else {}
        document = harness.run_suite(suite, os.path.join(folder, "report"), models=shared)
    except BaseException:
        workspace.remove(folder)
        raise
    record = document["runs"][0]
    if record["status"] != "ok":
        workspace.remove(folder)
        raise ValueError(record["error"])
    os.remove(dataset)  # the reports stay for download; the data does not
    _, scores = reports.results_frames(document)
    scores = scores.drop(columns=["run"]).round(4)
    pii = ", ".join(f"{k}: {v}" for k, v in sorted(record["pii_counts"].items())) or "none"
    notes = ""
    if "model" in run and task != "lm":
        notes = f" Predictions by **{run['model']}**."
        if record.get("truncated_inputs"):
            notes += (f" {record['truncated_inputs']} input(s) were longer than the model reads; only their start "
                      f"was used.")
        if run["limit"] < limit:  # build_run capped it
            notes += f" A model summarizes at most {MAX_SUMMARY_ROWS} rows here."
    status = (f"**{document['header']}**: {record['rows_used']} rows, {record['seconds']} s.{notes} "
              f"Personal data replaced before scoring: {pii}.")
    chart = charts.value_bars([f"{s['key']}" for s in record["scores"]], [s["value"] for s in record["scores"]],
                              lows=[s["ci_low"] for s in record["scores"]],
                              highs=[s["ci_high"] for s in record["scores"]])
    files = [os.path.join(folder, "report", name) for name in ("report.html", "report.md", "results.json")]
    return status, scores, chart, files


def build(models, demo):
    """The tab's components and events (inside ``demo``); ``models`` are the language models the
    default task (``lm``) offers."""
    gr.Markdown(t("evaluate_help"))
    with gr.Row():
        with gr.Column():
            upload = gr.File(label=t("upload"), file_types=list(SUFFIXES), type="filepath", elem_id="eval-upload")
            sample = gr.Dropdown(samples(), value=None, label=t("sample"), elem_id="eval-sample")
            task = gr.Radio(TASKS, value="lm", label=t("task"), elem_id="eval-task")
            # every usable model is a valid value (the API may pick any); a page shows the task's own list
            model = gr.Dropdown(all_models(), value=models[0] if models else None, label=t("model"),
                                info=t("eval_model_info"), elem_id="eval-model", allow_custom_value=True)
            metrics = gr.CheckboxGroup(ALL_METRICS, value=["perplexity"], label=t("metrics"), elem_id="eval-metrics")
        with gr.Column():
            with gr.Accordion(t("columns"), open=False):
                text_column = gr.Textbox(label=t("text_column"))
                source_column = gr.Textbox("", label=t("source_column"))  # "": a default, so API calls may omit it
                reference_column = gr.Textbox(label=t("reference_column"))
                prediction_column = gr.Textbox(label=t("prediction_column"), elem_id="eval-prediction-column")
                label_column = gr.Textbox(label=t("label_column"))
            limit = gr.Slider(1, MAX_EVAL_ROWS, value=100, step=1, label=t("limit"))
            ci = gr.Checkbox(value=True, label=t("ci"))
            button = gr.Button(t("evaluate"), variant="primary", elem_id="eval-button")
    status = gr.Markdown(elem_id="eval-status")
    with gr.Row():
        scores = gr.Dataframe(label=t("scores"), elem_id="eval-scores")
        chart = gr.Plot(label=t("eval_chart"), elem_id="eval-chart")
    files = gr.File(label=t("reports"), file_count="multiple", interactive=False, elem_id="eval-reports")
    demo.load(model_choices, [task, model], model, api_visibility="private")
    sample.change(sample_settings, [sample, model], [task, metrics, prediction_column, model],
                  api_visibility="private")
    task.input(task_settings, [task, model], [model, metrics], api_visibility="private")
    # source_column last: gradio_client calls that leave it out still work (it has a default); raw HTTP
    # calls must send all 12 values
    inputs = [upload, sample, task, model, metrics, text_column, reference_column, prediction_column, label_column,
              limit, ci, source_column]
    button.click(evaluate, inputs, [status, scores, chart, files], api_name="evaluate",
                 concurrency_limit=1, concurrency_id="evaluate")
