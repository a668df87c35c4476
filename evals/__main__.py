"""Command line: ``python -m evals run SUITE --out DIR``.

Exit status: 0 when every run succeeded, 1 when any run failed (the reports then say INCOMPLETE),
2 when the suite file itself is invalid (nothing is run). Log lines pass through `RedactingFilter`.
"""

import argparse
import logging
import sys
from typing import Optional, Sequence


def build_parser() -> argparse.ArgumentParser:
    """The ``evals`` argument parser."""
    parser = argparse.ArgumentParser(prog="python -m evals", description="Run lmdemo evaluation suites.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a YAML suite and write results.json, report.md, report.html")
    run.add_argument("suite", help="path of the suite file (e.g. evals/suites/samples.yaml)")
    run.add_argument("--out", required=True, help="folder for the reports (created if missing)")
    run.add_argument("--quiet", action="store_true", help="only warnings and errors on stderr")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Parse ``argv``, run the command, and return the exit status."""
    args = build_parser().parse_args(argv)
    from evals.harness import run_suite  # imports the scorers: after argument errors are reported
    from evals.privacy import RedactingFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING if args.quiet else logging.INFO)
    logger = logging.getLogger("evals")
    logger.addHandler(handler)
    try:
        try:
            document = run_suite(args.suite, args.out)
        except ValueError as e:
            logger.error("invalid suite: %s", e)
            return 2
        print(f"{document['header']}; reports in {args.out}", file=sys.stderr)
        return 0 if document["status"] == "complete" else 1
    finally:
        logger.removeHandler(handler)


if __name__ == "__main__":
    sys.exit(main())
