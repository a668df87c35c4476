"""The History tab: every recorded evaluation run (``evals.history``), a score over time per run name, and two
runs compared item by item (``evals.comparison``: paired bootstrap, exact McNemar for accuracy).

The app's own runs are recorded without their texts (scores, per-item statistics and settings only): on a
shared server, one visitor's rows must not appear in another's History tab.
"""

import logging

import gradio as gr
import pandas as pd
import plotly.graph_objects as go

from evals.comparison import compare_records, skipped_metrics
from evals.history import RunHistory
from lmdemo_app.checks import UserError, inputs_checked, user_errors
from lmdemo_app.i18n import language_input, t, text

log = logging.getLogger("lmdemo_app")
MAX_LISTED = 500
MAX_DIFFERENCES = 200


def _open():
    try:
        return RunHistory()
    except ValueError as e:  # a database the app must not write: the log names it, the visitor gets no path
        log.warning("run history unusable: %s", e)
        reason = "not an lmdemo run history" if "newer" not in str(e) else "written by a newer lmdemo"
        raise UserError(text("err_history_db", reason=reason)) from None


@user_errors
def list_runs(run_name="", language="en"):
    """The recorded evaluation runs, newest first: id, time, run name, task, model, status, scores.

    Args:
        run_name: only runs of this name (empty: all).
        language: ``en`` or ``zh``: the language of headers and messages.

    Returns:
        (table of runs; the run names, for the chart's and the filter's choices).
    """
    with _open() as db:
        runs = db.runs(run=run_name.strip() or None if isinstance(run_name, str) else None, limit=MAX_LISTED)
        names = sorted({r["run"] for r in db.runs(limit=MAX_LISTED)})
    table = pd.DataFrame([{text("col_id"): r["id"], text("col_time"): r["time"], text("col_run"): r["run"],
                           text("col_task"): r["task"], text("col_model"): r["model"] or "",
                           text("col_status"): r["status"], text("col_rows"): r["rows_used"],
                           text("col_scores"): ", ".join(f"{k} {v:.4g}" for k, v in r["scores"].items())}
                          for r in runs])
    return table, gr.Dropdown(choices=names)


@user_errors
def score_history(run_name, language="en"):
    """Every score of the runs named ``run_name`` over time, one line per score (with its interval).

    Args:
        run_name: a run name from the history (as a suite names it; the app's runs are named ``app``).
        language: ``en`` or ``zh``.
    """
    fig = go.Figure()
    if not isinstance(run_name, str) or not run_name.strip():
        return fig  # nothing picked yet: an empty chart, not an error
    with _open() as db:
        runs = list(reversed(db.runs(run=run_name.strip(), limit=MAX_LISTED)))
        records = [db.record(r["id"]) for r in runs if r["status"] == "ok"]
    series = {}
    for record in records:
        for s in record["scores"]:
            name = s["key"] if s["metric"] != "bleu" else "bleu"
            series.setdefault(name, []).append((record["time"], s["value"], s["ci_low"], s["ci_high"], record["id"]))
    for name, points in series.items():
        times, values, lows, highs, ids = zip(*points)
        errors = dict(type="data", symmetric=False, array=[(h - v) if h is not None else 0 for v, h in zip(values, highs)],
                      arrayminus=[(v - lo) if lo is not None else 0 for v, lo in zip(values, lows)])
        fig.add_trace(go.Scatter(x=list(times), y=list(values), mode="lines+markers", name=name, error_y=errors,
                                 customdata=list(ids), hovertemplate="run %{customdata}: %{y:.4g}<extra>" + name
                                 + "</extra>"))
    fig.update_layout(title=text("history_chart_title", name=run_name.strip()), height=380,
                      margin=dict(l=40, r=20, t=50, b=40), xaxis_title=text("col_time"))
    return fig


@user_errors
def compare_runs(run_a, run_b, language="en"):
    """Two recorded runs on the same data compared item by item.

    Args:
        run_a, run_b: run ids from the history table.
        language: ``en`` or ``zh``.

    Returns:
        (a status line; per score: A, B, A − B, its 95% interval, p-value and test; the items whose scores
        differ most, with both runs' scores).
    """
    ids = {"run_a": _run_id(run_a, "run_a"), "run_b": _run_id(run_b, "run_b")}
    records = {}
    with _open() as db:
        for name, run_id in ids.items():
            try:
                records[name] = db.record(run_id)
            except ValueError:  # its message names the server's database path: the visitor gets the id only
                raise UserError(text("err_unknown_run_id", name=name, value=run_id), field=name) from None
    inputs_checked()
    a, b = records["run_a"], records["run_b"]
    result = compare_records(a, b)
    table = pd.DataFrame([{text("col_score"): name, "A": round(c["a"], 4), "B": round(c["b"], 4),
                           "A − B": round(c["difference"], 4),
                           text("col_ci"): f"[{c['ci_low']:.4g}, {c['ci_high']:.4g}]",
                           "p": float(f"{c['p_value']:.3g}"), text("col_test"): c["test"]}
                          for name, c in result.items()])
    status = text("history_compare_status", a=a["id"], a_run=a["run"], a_model=a["model"] or "-", b=b["id"],
                  b_run=b["run"], b_model=b["model"] or "-", rows=a["rows_used"])
    skipped = skipped_metrics(a, b)
    if skipped:
        status += " " + text("history_not_compared", metrics=", ".join(f"{m} ({why})" for m, why in skipped.items()))
    return status, table, _differences(a, b)


def _differences(a, b):
    rows_a, rows_b = {r["row"]: r for r in a["rows"]}, {r["row"]: r for r in b["rows"]}
    out = []
    for row in sorted(set(rows_a) & set(rows_b)):
        ra, rb = rows_a[row], rows_b[row]
        if ra.get("score") is None or rb.get("score") is None:
            continue
        item = {text("col_row"): row, "A": round(ra["score"], 4), "B": round(rb["score"], 4),
                "A − B": round(ra["score"] - rb["score"], 4)}
        for key in ("text", "reference", "prediction"):
            if ra.get(key) is not None:
                item[text("col_" + key) + (" (A)" if key == "prediction" else "")] = ra[key]
        if rb.get("prediction") is not None:
            item[text("col_prediction") + " (B)"] = rb["prediction"]
        out.append(item)
    out.sort(key=lambda r: -abs(r["A − B"]))
    return pd.DataFrame(out[:MAX_DIFFERENCES])


def _run_id(value, name):
    if isinstance(value, bool) or value is None or str(value).strip() == "" or not str(value).strip().isdigit():
        raise UserError(text("err_run_id", name=name, value=repr(value)), field=name)
    return int(str(value).strip())


def build(demo):
    """The tab's components and events (inside ``demo``)."""
    gr.Markdown(t("history_help"))
    with gr.Row():
        run_filter = gr.Dropdown(choices=[], value="", allow_custom_value=True, label=t("history_run_name"),
                                 elem_id="history-run")
        refresh = gr.Button(t("history_refresh"), elem_id="history-refresh")
    runs = gr.Dataframe(label=t("history_runs"), elem_id="history-runs", wrap=True, max_height=360,
                        interactive=False)
    chart = gr.Plot(label=t("history_chart"), elem_id="history-chart")
    with gr.Row():
        run_a = gr.Number(label=t("history_run_a"), precision=0, elem_id="history-a")
        run_b = gr.Number(label=t("history_run_b"), precision=0, elem_id="history-b")
        compare = gr.Button(t("history_compare"), variant="primary", elem_id="history-compare")
    status = gr.Markdown(label=t("out_status"), elem_id="history-status")
    comparison = gr.Dataframe(label=t("history_comparison"), elem_id="history-comparison", wrap=True)
    differences = gr.Dataframe(label=t("history_differences"), elem_id="history-differences", wrap=True,
                               max_height=400)
    language = language_input()
    demo.load(list_runs, [run_filter, language], [runs, run_filter], api_visibility="private")
    refresh.click(list_runs, [run_filter, language], [runs, run_filter], api_name="history")
    run_filter.input(list_runs, [run_filter, language], [runs, run_filter], api_visibility="private")
    run_filter.change(score_history, [run_filter, language], chart, api_name="score_history",
                      show_progress_on=[chart], trigger_mode="always_last")
    compare.click(compare_runs, [run_a, run_b, language], [status, comparison, differences], api_name="compare_runs",
                  show_progress_on=[status], validator=compare_runs.validator)
