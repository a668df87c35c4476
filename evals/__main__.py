"""Command line: run a suite, list the run history, compare two runs.

    python -m evals run SUITE --out DIR [--db PATH] [--no-history]
    python -m evals history [--db PATH] [--run NAME] [--model M] [--dataset D] [--limit N] [--json]
    python -m evals compare A B [--db PATH] [--resamples N] [--seed S] [--json]

Exit status: 0 when every run succeeded, 1 when any run failed (the reports then say INCOMPLETE),
2 when the suite file, the database or an argument is invalid (nothing is run or written). Log lines
pass through `RedactingFilter`.
"""

import argparse
import json
import logging
import sys
from typing import Optional, Sequence


def build_parser() -> argparse.ArgumentParser:
    """The ``evals`` argument parser."""
    parser = argparse.ArgumentParser(prog="python -m evals", description="Run lmdemo evaluation suites.")
    commands = parser.add_subparsers(dest="command", required=True)
    db_help = "the run-history SQLite file (default: $LMDEMO_RUNS_DB, else lmdemo/runs.sqlite in the user's cache)"
    run = commands.add_parser("run", help="run a YAML suite and write results.json, report.md, report.html")
    run.add_argument("suite", help="path of the suite file (e.g. evals/suites/samples.yaml)")
    run.add_argument("--out", required=True, help="folder for the reports (created if missing)")
    run.add_argument("--db", help=db_help)
    run.add_argument("--no-history", action="store_true", help="do not record the runs in the history")
    run.add_argument("--quiet", action="store_true", help="only warnings and errors on stderr")
    history = commands.add_parser("history", help="list the recorded runs, newest first")
    history.add_argument("--db", help=db_help)
    history.add_argument("--run", help="only runs of this name")
    history.add_argument("--model", help="only runs of this model")
    history.add_argument("--dataset", help="only runs on this dataset (as the suite names it)")
    history.add_argument("--limit", type=int, help="at most this many runs")
    history.add_argument("--json", action="store_true", help="a JSON list of runs instead of a table")
    compare = commands.add_parser("compare", help="paired significance tests of two runs on the same data")
    compare.add_argument("a", help="run id A (from `history`)")
    compare.add_argument("b", help="run id B")
    compare.add_argument("--db", help=db_help)
    compare.add_argument("--resamples", type=int, default=1000, help="paired bootstrap resamples (default 1000)")
    compare.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    compare.add_argument("--json", action="store_true", help="one JSON object keyed by score name")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Parse ``argv``, run the command, and return the exit status."""
    args = build_parser().parse_args(argv)
    from evals.privacy import RedactingFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING if getattr(args, "quiet", False) else logging.INFO)
    logger = logging.getLogger("evals")
    logger.addHandler(handler)
    try:
        if args.command == "run":
            return _run(args, logger)
        try:
            return _history(args) if args.command == "history" else _compare(args)
        except ValueError as e:
            logger.error("%s", e)
            return 2
    finally:
        logger.removeHandler(handler)


def _run(args, logger) -> int:
    from evals.harness import run_suite  # imports the scorers: after argument errors are reported

    try:
        document = run_suite(args.suite, args.out, db=args.db, record=not args.no_history)
    except ValueError as e:
        logger.error("invalid suite or database: %s", e)
        return 2
    ids = document.get("history_ids")
    recorded = f"; recorded as run ids {', '.join(map(str, ids))}" if ids else ""
    print(f"{document['header']}; reports in {args.out}{recorded}", file=sys.stderr)
    return 0 if document["status"] == "complete" else 1


def _history(args) -> int:
    from evals.history import RunHistory

    with RunHistory(args.db) as db:
        runs = db.runs(run=args.run, model=args.model, dataset=args.dataset, limit=args.limit)
    if args.json:
        keys = ("id", "run", "task", "model", "model_sha256", "dataset", "dataset_sha256", "rows_used", "status",
                "scores", "time", "seconds", "seed", "suite")
        print(json.dumps([{k: r[k] for k in keys} for r in runs], indent=2))
        return 0
    if not runs:
        print("no runs recorded" + (" that match" if args.run or args.model or args.dataset else ""))
        return 0
    print(f"{'id':>5}  {'time':<25}  {'run':<24}  {'model':<22}  {'status':<6}  scores")
    for r in runs:
        scores = ", ".join(f"{k} {v:.4g}" for k, v in r["scores"].items())
        print(f"{r['id']:>5}  {r['time']:<25}  {_cut(r['run'], 24):<24}  {_cut(r['model'] or '-', 22):<22}  "
              f"{r['status']:<6}  {scores}")
    return 0


def _compare(args) -> int:
    from evals.comparison import compare_records, skipped_metrics
    from evals.history import RunHistory

    with RunHistory(args.db) as db:
        a, b = db.record(args.a), db.record(args.b)
    result = compare_records(a, b, n_resamples=args.resamples, seed=args.seed)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"A = run {a['id']} ({a['run']}, model {a['model'] or '-'}, {a['time']})")
    print(f"B = run {b['id']} ({b['run']}, model {b['model'] or '-'}, {b['time']})")
    print(f"{a['rows_used']} items, dataset sha256 {str(a['dataset_sha256'])[:12]}; "
          f"{args.resamples} paired resamples, seed {args.seed}")
    print(f"{'score':<22} {'A':>10} {'B':>10} {'A - B':>10}  {'95% CI of A - B':<24} {'p':>8}  test")
    for name, c in result.items():
        ci = f"[{c['ci_low']:.4g}, {c['ci_high']:.4g}]"
        print(f"{name:<22} {c['a']:>10.4g} {c['b']:>10.4g} {c['difference']:>+10.4g}  {ci:<24} {c['p_value']:>8.3g}  "
              f"{c['test']}")
    for metric, why in skipped_metrics(a, b).items():
        print(f"not compared: {metric} ({why})")
    return 0


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())
