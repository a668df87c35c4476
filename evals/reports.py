"""Reports of a suite run: ``results.json``, ``report.md`` and a self-contained ``report.html``.

All three are built from one results document (see `build_document`) and written atomically
(temporary file, then rename), so a reader never sees half a report. When any run failed, each file
says so up front: ``INCOMPLETE: k of n runs failed``. Texts in the reports were sanitized by the
harness before they got here; each run's row names the operator that replaced its PII
(``placeholder``, ``surrogate``...).
"""

import datetime
import json
import os
import platform
import tempfile
from html import escape
from importlib import metadata
from typing import Optional

import pandas as pd

from evals import plots

PACKAGES = ("numpy", "pandas", "sacrebleu", "rouge-score", "keras", "jax", "tqdm", "pyyaml")

CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 980px; color: #222; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
.banner { padding: 10px; font-weight: bold; border-radius: 4px; }
.incomplete { background: #fdd; border: 2px solid #c00; }
.complete { background: #dfd; border: 1px solid #090; }
.failed { color: #c00; }
code { background: #f6f6f6; }
"""


def library_versions() -> dict:
    """Installed versions of the packages that shape the scores (``None`` when absent)."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def build_document(suite_path: str, suite_name: str, runs: list, started: float, finished: float,
                   suite_sha: str, comparisons: Optional[list] = None) -> dict:
    """The results document: suite, status, versions, timings, one record per run, and the paired
    comparisons of runs on the same data (``evals.comparison.suite_comparisons``)."""
    failed = [r for r in runs if r["status"] != "ok"]
    stamp = lambda t: datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat(timespec="seconds")
    return {
        "suite": suite_name,
        "suite_file": os.path.basename(suite_path),
        "suite_sha256": suite_sha,
        "status": "incomplete" if failed else "complete",
        "header": header_line(len(runs), len(failed)),
        "n_runs": len(runs),
        "n_failed": len(failed),
        "started_utc": stamp(started),
        "finished_utc": stamp(finished),
        "seconds": round(finished - started, 3),
        "versions": library_versions(),
        "runs": runs,
        "comparisons": comparisons or [],
    }


def header_line(n_runs: int, n_failed: int) -> str:
    """``"COMPLETE: n runs"`` or ``"INCOMPLETE: k of n runs failed"``."""
    if n_failed:
        return f"INCOMPLETE: {n_failed} of {n_runs} runs failed"
    return f"COMPLETE: all {n_runs} runs succeeded"


def results_frames(document: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The runs and the scores of a results document as DataFrames.

    Returns:
        ``(runs, scores)``: one row per run (what it scored, status, rows, dataset hash, PII counts, the
        operator that replaced the PII, seconds, error) and one row per reported score (run, metric, key,
        value, unit, ci_low, ci_high).
    """
    runs = pd.DataFrame([{
        "run": r["name"], "task": r["task"], "scored": _scored_text(r), "status": r["status"],
        "rows": r.get("rows_used"),
        "dataset": r["dataset"], "sha256": (r.get("dataset_sha256") or "")[:12],
        "pii": _pii_text(r.get("pii_counts")), "operator": r.get("privacy_operator", "?"),
        "seed": r["seed"], "seconds": r["seconds"],
        "error": r.get("error") or "",
    } for r in document["runs"]])
    scores = pd.DataFrame([dict(run=r["name"], **s) for r in document["runs"] for s in r.get("scores", [])],
                          columns=["run", "metric", "key", "value", "unit", "ci_low", "ci_high"])
    return runs, scores


def _scored_text(run: dict) -> str:
    """What a run scored: a column of predictions (which the harness prefers to a model when a run
    names both), else the model (perplexity, or the model that made the predictions)."""
    if run.get("predictions_column"):
        return f"column {run['predictions_column']}"
    return f"model {run['model']}" if run.get("model") else ""


def _pii_text(counts: Optional[dict]) -> str:
    if not counts:
        return "none"
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))


def _ci_text(low, high) -> str:
    return "" if low is None or high is None else f"[{low:.4g}, {high:.4g}]"


def _md_text(value) -> str:
    """Text from the data made inert in Markdown: a renderer would pass raw HTML through."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _md_cell(value) -> str:
    return _md_text(value).replace("|", "\\|").replace("\n", " ")


def _md_table(header: list, rows: list) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def markdown_report(document: dict) -> str:
    """The Markdown report: header, a table of runs, then each run's scores and worst examples."""
    lines = [f"# Evaluation report: {document['suite']}", "", f"**{document['header']}**", "",
             f"Suite file `{document['suite_file']}` (sha256 `{document['suite_sha256'][:12]}`), "
             f"{document['started_utc']}, {document['seconds']} s.", ""]
    runs, _ = results_frames(document)
    lines += ["## Runs", ""]
    lines += _md_table(["run", "task", "scored", "status", "rows used", "dataset", "dataset sha256", "PII removed",
                        "PII operator", "seed", "seconds"],
                       runs[["run", "task", "scored", "status", "rows", "dataset", "sha256", "pii", "operator", "seed",
                             "seconds"]].values.tolist())
    for r in document["runs"]:
        lines += [f"## {r['name']} ({r['task']})", ""]
        if r["status"] != "ok":
            lines += [f"**FAILED**: {_md_text(r['error'])}", ""]
            continue
        lines += _md_table(["metric", "score", "value", "unit", "CI"],
                           [[s["metric"], s["key"], f"{s['value']:.4f}", s["unit"], _ci_text(s["ci_low"], s["ci_high"])]
                            for s in r["scores"]])
        if r.get("examples"):
            keys = _row_keys(r["examples"])
            lines += [f"Worst examples ({r['examples'][0]['score_name']}):", ""]
            lines += _md_table(keys, [[_fmt(e[k]) for k in keys] for e in r["examples"]])
        if r.get("rows"):
            keys = _row_keys(r["rows"])
            lines += [f"<details><summary>Every row ({len(r['rows'])}; score: {r['rows'][0]['score_name']})</summary>",
                      ""]
            lines += _md_table(keys, [[_fmt(e[k]) for k in keys] for e in r["rows"]])
            lines += ["</details>", ""]
        line = contamination_line(r)
        if line:
            lines += [f"**{line}**" if r["contamination"].get("warning") else line, ""]
        if r.get("bias"):
            lines += [BIAS_NOTE, ""]
        for title, header, rows in bias_tables(r):
            lines += [f"{title}:", ""] + _md_table(header, rows)
        for note in _privacy_notes(r):
            lines += [_md_text(note), ""]
    if document.get("comparisons"):
        lines += ["## Paired comparisons (same data)", "", COMPARISON_NOTE, ""]
        lines += _md_table(COMPARISON_HEADER, comparison_rows(document))
    lines += ["## Versions", "", ", ".join(f"{k} {v}" for k, v in document["versions"].items()), ""]
    return "\n".join(lines)


COMPARISON_HEADER = ["A", "B", "score", "A value", "B value", "A − B", "95% CI of A − B", "p-value", "test"]
COMPARISON_NOTE = ("Runs that scored the same items, tested item by item: paired bootstrap resampling "
                   "(seeded, 1,000 resamples) and, for accuracy, the exact McNemar test. p < 0.05: the "
                   "difference is unlikely to be chance on this data.")


def comparison_rows(document: dict) -> list[list]:
    """One row per compared score of every pair in ``document["comparisons"]``, as the reports show them."""
    rows = []
    for pair in document.get("comparisons") or []:
        for name, c in pair["metrics"].items():
            rows.append([pair["a"], pair["b"], name, f"{c['a']:.4g}", f"{c['b']:.4g}", f"{c['difference']:+.4g}",
                         _ci_text(c["ci_low"], c["ci_high"]), f"{c['p_value']:.3g}", c["test"]])
    return rows


def _row_keys(rows: list) -> list[str]:
    """The columns a table of example rows shows, in a fixed order."""
    return [k for k in ("row", "score", "text", "prediction", "reference") if k in rows[0]]


def metric_groups(scores: list) -> dict:
    """``{metric: [score rows]}`` in the order they first appear: the scores one chart can share (one
    metric has one scale: BLEU 0-100, ROUGE 0-1, perplexity per token and bits per character apart)."""
    groups: dict = {}
    for s in scores:
        name = s["metric"] if s["metric"] != "perplexity" else f"perplexity: {s['key']}"
        groups.setdefault(name, []).append(s)
    return groups


def _privacy_notes(run: dict) -> list[str]:
    """What a report says about the example texts it leaves out or had to clean once more."""
    notes = []
    if run.get("examples_left_out"):
        notes.append("Example texts left out (the suite says examples: false).")
    if run.get("report_scan"):
        note = f"Found again in the report's texts just before writing, and replaced: {_pii_text(run['report_scan'])}."
        if run.get("privacy_operator") == "surrogate":
            note += (" The inputs' PII was replaced by realistic surrogates, which are found again too: these counts"
                     " include them, and the examples show placeholders where the model read surrogates.")
        notes.append(note)
    return notes


BIAS_NOTE = ("The same templates filled with each group's fillers, one dimension at a time; a group's score is "
             "its mean over templates. Gaps are paired over templates (bootstrap interval, p-value), the p-values "
             "of one dimension Holm-adjusted; significant: adjusted p < 0.05.")


def bias_tables(run: dict) -> list[tuple[str, list, list]]:
    """The bias probe of a run as ``(title, header, rows)`` tables: per dimension its groups, its gaps,
    and the most divergent sentence pairs."""
    probe = run.get("bias")
    if not probe:
        return []
    name = probe["score_name"]
    tables = []
    for dim, found in probe["dimensions"].items():
        groups = sorted(found["groups"].items(), key=lambda kv: -kv[1]["mean"])
        alike = lambda v: "" if v.get("fillers_read_alike") is None else f"{v['fillers_read_alike']:.0%}"  # noqa: E731
        title = f"Bias, {dim}: groups ({name})" + (f"; NOTE: {found['note']}" if found.get("note") else "")
        tables.append((title, ["group", "mean", "95% CI", "sentences", "fillers read as another group's"],
                       [[g, f"{v['mean']:.4g}", _ci_text(v["ci_low"], v["ci_high"]), v["n_sentences"], alike(v)]
                        for g, v in groups]))
        tables.append((f"Bias, {dim}: gaps", ["higher", "lower", "gap", "95% CI", "p", "p (Holm)", "significant"],
                       [[g["a"], g["b"], f"{g['gap']:.4g}", _ci_text(g["ci_low"], g["ci_high"]), f"{g['p_value']:.3g}",
                         f"{g['p_holm']:.3g}", "yes" if g["significant"] else "no"] for g in found["gaps"]]))
        tables.append((f"Bias, {dim}: most divergent sentence pairs",
                       ["higher", "score", "lower", "score", "difference"],
                       [[d["a_sentence"], f"{d['a_score']:.4g}", d["b_sentence"], f"{d['b_score']:.4g}",
                         f"{d['difference']:.4g}"] for d in found["divergent"]]))
    return tables


def contamination_line(run: dict) -> Optional[str]:
    """What a report says of a run's contamination check (``evals.harness.contamination_check``), or None."""
    c = run.get("contamination") or {}
    if c.get("ngram_overlap") is None:
        return f"Contamination check: not done ({c['note']})." if c.get("note") else None
    share = f"{100 * c['ngram_overlap']:.1f}% of the evaluation text's {c['ngrams']:,} {c['n']}-grams"
    if c.get("warning"):
        return (f"WARNING, contamination: {share} occur in the model's training text; these scores may measure "
                f"memory, not skill.")
    return f"Contamination check: {share} occur in the model's training text."


def _fmt(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _html_table(header: list, rows: list) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(_fmt(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_report(document: dict) -> str:
    """A self-contained HTML page (inline CSS and SVG) with the same content as the Markdown report."""
    status = "incomplete" if document["status"] != "complete" else "complete"
    runs, _ = results_frames(document)
    out = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
           f"<title>{escape(document['header'])}: {escape(document['suite'])}</title><style>{CSS}</style></head><body>",
           f"<h1>Evaluation report: {escape(document['suite'])}</h1>",
           f"<p class='banner {status}'>{escape(document['header'])}</p>",
           f"<p>Suite file <code>{escape(document['suite_file'])}</code> (sha256 "
           f"<code>{document['suite_sha256'][:12]}</code>), {document['started_utc']}, {document['seconds']} s.</p>",
           "<h2>Runs</h2>",
           _html_table(["run", "task", "scored", "status", "rows used", "dataset", "dataset sha256", "PII removed",
                        "PII operator", "seed", "seconds", "error"],
                       runs[["run", "task", "scored", "status", "rows", "dataset", "sha256", "pii", "operator", "seed",
                             "seconds", "error"]].values.tolist())]
    for r in document["runs"]:
        out.append(f"<h2>{escape(r['name'])} ({escape(r['task'])})</h2>")
        if r["status"] != "ok":
            out.append(f"<p class='failed'><b>FAILED</b>: {escape(r['error'])}</p>")
            continue
        s = r["scores"]
        out.append(_html_table(["metric", "score", "value", "unit", "CI"],
                               [[x["metric"], x["key"], x["value"], x["unit"], _ci_text(x["ci_low"], x["ci_high"])]
                                for x in s]))
        for metric, group in metric_groups(s).items():  # one chart per scale
            out.append(plots.score_bars([f"{x['key']} ({x['unit']})" for x in group], [x["value"] for x in group],
                                        [x["ci_low"] for x in group], [x["ci_high"] for x in group], title=metric))
        if r.get("confusion"):
            out.append(plots.confusion_heatmap(r["confusion"]["labels"], r["confusion"]["matrix"],
                                               title="Confusion matrix"))
        if r.get("examples"):
            keys = _row_keys(r["examples"])
            out.append(f"<h3>Worst examples ({escape(r['examples'][0]['score_name'])})</h3>")
            out.append(_html_table(keys, [[e[k] for k in keys] for e in r["examples"]]))
        if r.get("rows"):
            keys = _row_keys(r["rows"])
            out.append(f"<details><summary>Every row ({len(r['rows'])}; score: {escape(r['rows'][0]['score_name'])})"
                       f"</summary>{_html_table(keys, [[e[k] for k in keys] for e in r['rows']])}</details>")
        line = contamination_line(r)
        if line:
            out.append(f"<p class='failed'><b>{escape(line)}</b></p>" if r["contamination"].get("warning")
                       else f"<p>{escape(line)}</p>")
        if r.get("bias"):
            out.append(f"<p>{escape(BIAS_NOTE)}</p>")
        for title, header, rows in bias_tables(r):
            out.append(f"<h3>{escape(title)}</h3>" + _html_table(header, rows))
        out += [f"<p>{escape(note)}</p>" for note in _privacy_notes(r)]
    if document.get("comparisons"):
        out.append("<h2>Paired comparisons (same data)</h2>")
        out.append(f"<p>{escape(COMPARISON_NOTE)}</p>")
        out.append(_html_table(COMPARISON_HEADER, comparison_rows(document)))
    out.append("<h2>Versions</h2><p>" + escape(", ".join(f"{k} {v}" for k, v in document["versions"].items()))
               + "</p></body></html>")
    return "\n".join(out)


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to a temporary file in the same folder, then rename it over ``path``."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; reports are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def write_reports(document: dict, out_dir: str) -> dict:
    """Write ``results.json``, ``report.md`` and ``report.html`` into ``out_dir``.

    Returns:
        ``{kind: path}`` of the written files.
    """
    os.makedirs(out_dir, exist_ok=True)
    paths = {name: os.path.join(out_dir, name) for name in ("results.json", "report.md", "report.html")}
    write_atomic(paths["results.json"], json.dumps(document, indent=2, default=_json_default) + "\n")
    write_atomic(paths["report.md"], markdown_report(document))
    write_atomic(paths["report.html"], html_report(document))
    return paths


def _json_default(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")
