"""Run history: every harness run recorded in one SQLite file, to list, chart and compare later.

    runs.sqlite
      meta        schema_version, created_by
      runs        one row per run: its name, suite, model and checkpoint sha256, dataset and sha256, the data
                  key (what makes two runs' items the same), status, seed, seconds, time, metric options and
                  signatures, library versions, PII counts, contamination
      scores      (run_id, metric, key): value, unit, interval
      examples    (run_id, row): the row's score and its sanitized text, prediction, reference
      item_stats  (run_id, metric): per-item statistics, for paired tests (``evals.comparison``)

Where: ``--db PATH``, else ``$LMDEMO_RUNS_DB``, else ``lmdemo/runs.sqlite`` under the user's cache folder
(``$XDG_CACHE_HOME`` or ``~/.cache``). A suite's runs go in with one transaction: a process killed while
writing leaves no half-written run. SQLite's write-ahead log and a busy timeout let two harness processes
write one file at once; both land.

A file that is not SQLite, an SQLite file holding other tables, or one written by a newer schema is
refused with a clear error and never written to.

    >>> from evals.history import RunHistory          # doctest: +SKIP
    >>> with RunHistory("runs.sqlite") as db:
    ...     db.runs(model="sst2-sentiment")
"""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import time
from typing import Any, Optional

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 60.0
SQLITE_HEADER = b"SQLite format 3\x00"
TABLES = ("meta", "runs", "scores", "examples", "item_stats")
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch TEXT NOT NULL,           -- one suite execution: its runs share it
    run TEXT NOT NULL,             -- the run's name in its suite
    suite TEXT, suite_sha256 TEXT,
    task TEXT NOT NULL,
    model TEXT, model_sha256 TEXT, predictions_column TEXT,
    dataset TEXT, dataset_sha256 TEXT, split TEXT, slice TEXT, row_limit INTEGER, txt_rows TEXT,
    rows_used INTEGER, data_key TEXT,
    status TEXT NOT NULL, error TEXT,
    seed INTEGER, seconds REAL, created_utc TEXT NOT NULL,
    metrics_json TEXT, signatures_json TEXT, versions_json TEXT, pii_json TEXT, contamination_json TEXT,
    privacy_operator TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_name ON runs (run, created_utc);
CREATE TABLE IF NOT EXISTS scores (
    run_id INTEGER NOT NULL REFERENCES runs (id), metric TEXT NOT NULL, key TEXT NOT NULL,
    value REAL, unit TEXT, ci_low REAL, ci_high REAL, PRIMARY KEY (run_id, metric, key)
);
CREATE TABLE IF NOT EXISTS examples (
    run_id INTEGER NOT NULL REFERENCES runs (id), row INTEGER NOT NULL, score REAL, score_name TEXT,
    text TEXT, prediction TEXT, reference TEXT, PRIMARY KEY (run_id, row)
);
CREATE TABLE IF NOT EXISTS item_stats (
    run_id INTEGER NOT NULL REFERENCES runs (id), metric TEXT NOT NULL, columns_json TEXT NOT NULL,
    values_json TEXT NOT NULL, PRIMARY KEY (run_id, metric)
);
"""


def default_path() -> str:
    """``$LMDEMO_RUNS_DB``, else ``<cache>/lmdemo/runs.sqlite`` (``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    if os.environ.get("LMDEMO_RUNS_DB"):
        return os.environ["LMDEMO_RUNS_DB"]
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "lmdemo", "runs.sqlite")


class RunHistory:
    """One run-history database (see the module); a context manager that closes it.

    Args:
        path: the SQLite file (created with its folder when missing); None: `default_path`.

    Raises:
        ValueError: ``path`` is a folder, not SQLite, holds tables of something else, or was written by a
            newer schema; the file is left untouched.
    """

    def __init__(self, path: Optional[str] = None):
        self.path = str(path) if path is not None else default_path()
        _check_file(self.path)
        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            self._open()
        except BaseException:
            self._conn.close()
            raise

    def _open(self) -> None:
        try:
            tables = {row[0] for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as e:
            raise ValueError(f"db={self.path!r} is not a readable SQLite database ({e}); it is left as it is") from None
        tables.discard("sqlite_sequence")
        if tables and "meta" not in tables:
            raise ValueError(f"db={self.path!r} holds tables of something else ({', '.join(sorted(tables))}), not an "
                             f"lmdemo run history; it is left as it is: give another --db path")
        if "meta" in tables:
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row and str(row[0]).isdigit() else None
            if version is None:
                raise ValueError(f"db={self.path!r} has a meta table without an lmdemo schema_version; it is left as "
                                 f"it is: give another --db path")
            if version > SCHEMA_VERSION:
                raise ValueError(f"db={self.path!r} was written by a newer lmdemo (run-history schema {version}; this "
                                 f"one reads up to {SCHEMA_VERSION}); upgrade lmdemo to read it. It is left as it is")
        self._use_wal()
        self._conn.execute("PRAGMA foreign_keys = ON")
        if "runs" not in tables:
            with self._transaction():
                for statement in SCHEMA.split(";"):  # one by one: executescript would commit first
                    if statement.strip():
                        self._conn.execute(statement)
                self._conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                self._conn.execute("INSERT OR IGNORE INTO meta VALUES ('created_by', 'lmdemo evals')")

    def _use_wal(self) -> None:
        """Switch the file to SQLite's write-ahead log (readers and one writer at a time, without blocking).

        The switch happens once per file and persists. SQLite answers "database is locked" at once, without
        waiting out the busy timeout, when another process is creating the file at that moment: retry then.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while self._conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            try:
                self._conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "RunHistory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _transaction(self):
        return _Transaction(self._conn)

    # ---- writing -------------------------------------------------------------------------------------

    def add_suite(self, document: dict, records: list[dict]) -> list[int]:
        """Record every run of a suite execution in one transaction; returns their new ids in order.

        Args:
            document: the results document (``evals.reports.build_document``): suite, versions, times.
            records: the run records, with ``item_stats`` and ``contamination`` when they have them.
        """
        batch = f"{document.get('started_utc')}/{os.getpid()}/{id(document)}"
        ids = []
        with self._transaction():
            for record in records:
                ids.append(self._insert(batch, document, record))
        return ids

    def _insert(self, batch: str, document: dict, r: dict) -> int:
        signatures = {m: d.get("signature") for m, d in (r.get("metric_details") or {}).items() if d.get("signature")}
        created = document.get("finished_utc") or _now()
        cursor = self._conn.execute(
            "INSERT INTO runs (batch, run, suite, suite_sha256, task, model, model_sha256, predictions_column, dataset,"
            " dataset_sha256, split, slice, row_limit, txt_rows, rows_used, data_key, status, error, seed, seconds,"
            " created_utc, metrics_json, signatures_json, versions_json, pii_json, contamination_json,"
            " privacy_operator) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (batch, r["name"], document.get("suite"), document.get("suite_sha256"), r["task"], r.get("model"),
             r.get("model_sha256"), r.get("predictions_column"), r.get("dataset"), r.get("dataset_sha256"),
             r.get("split"), _json_or_none(r.get("slice")), r.get("limit"), _json_or_none(r.get("txt_rows")),
             r.get("rows_used"), r.get("data_key"), r["status"], r.get("error"), r.get("seed"), r.get("seconds"),
             created, _json(r.get("metrics") or {}), _json(signatures), _json(document.get("versions") or {}),
             _json(r.get("pii_counts") or {}), _json_or_none(r.get("contamination")), r.get("privacy_operator")))
        run_id = int(cursor.lastrowid)
        self._conn.executemany(
            "INSERT INTO scores VALUES (?,?,?,?,?,?,?)",
            [(run_id, s["metric"], s["key"], s["value"], s.get("unit"), s.get("ci_low"), s.get("ci_high"))
             for s in r.get("scores") or []])
        self._conn.executemany(
            "INSERT INTO examples VALUES (?,?,?,?,?,?,?)",
            [(run_id, e["row"], e.get("score"), e.get("score_name"), e.get("text"), e.get("prediction"),
              e.get("reference")) for e in r.get("rows") or []])
        self._conn.executemany(
            "INSERT INTO item_stats VALUES (?,?,?,?)",
            [(run_id, metric, _json(s["columns"]), _json(s["values"])) for metric, s in (r.get("item_stats") or {}).items()])
        return run_id

    # ---- reading -------------------------------------------------------------------------------------

    def runs(self, run: Optional[str] = None, model: Optional[str] = None, dataset: Optional[str] = None,
             limit: Optional[int] = None) -> list[dict]:
        """The recorded runs, newest first, each ``{"id", "run", "task", "model", "dataset", "status", "scores",
        "time", ...}`` (``scores``: ``{score name: value}``); filtered by exact run name, model or dataset."""
        where, args = [], []
        for column, value in (("run", run), ("model", model), ("dataset", dataset)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        sql = "SELECT * FROM runs" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC"
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
                raise ValueError(f"limit must be an int >= 1, received limit={limit!r}")
            sql += f" LIMIT {int(limit)}"
        rows = [self._summary(row) for row in self._query(sql, args)]
        scores = self._scores([r["id"] for r in rows])
        for r in rows:
            r["scores"] = {name: s["value"] for name, s in scores.get(r["id"], {}).items()}
        return rows

    def record(self, run_id: Any) -> dict:
        """Everything recorded of one run, shaped as the harness's run record (with ``item_stats``).

        Raises:
            ValueError: no run has that id.
        """
        run_id = _run_id(run_id)
        rows = self._query("SELECT * FROM runs WHERE id = ?", (run_id,))
        if not rows:
            last = self._conn.execute("SELECT MAX(id) FROM runs").fetchone()[0]
            known = f"ids run from 1 to {last}" if last else "it holds no run yet"
            raise ValueError(f"run id {run_id} is not in db={self.path!r} ({known}); "
                             f"`python -m evals history` lists them")
        r = self._summary(rows[0])
        r.update(name=r["run"], limit=r.pop("row_limit"), metrics=json.loads(rows[0]["metrics_json"] or "{}"),
                 signatures=json.loads(rows[0]["signatures_json"] or "{}"),
                 versions=json.loads(rows[0]["versions_json"] or "{}"))
        r["scores"] = [{"metric": s["metric"], "key": s["key"], "value": s["value"], "unit": s["unit"],
                        "ci_low": s["ci_low"], "ci_high": s["ci_high"]}
                       for s in self._query("SELECT * FROM scores WHERE run_id = ? ORDER BY rowid", (run_id,))]
        r["rows"] = [{k: e[k] for k in ("row", "score", "score_name", "text", "prediction", "reference")
                      if e[k] is not None}
                     for e in self._query("SELECT * FROM examples WHERE run_id = ? ORDER BY row", (run_id,))]
        r["item_stats"] = {s["metric"]: {"columns": json.loads(s["columns_json"]), "values": json.loads(s["values_json"])}
                           for s in self._query("SELECT * FROM item_stats WHERE run_id = ? ORDER BY rowid", (run_id,))}
        return r

    def _summary(self, row: sqlite3.Row) -> dict:
        return {"id": row["id"], "run": row["run"], "suite": row["suite"], "task": row["task"], "model": row["model"],
                "model_sha256": row["model_sha256"], "predictions_column": row["predictions_column"],
                "dataset": row["dataset"], "dataset_sha256": row["dataset_sha256"], "split": row["split"],
                "slice": _loads(row["slice"]), "row_limit": row["row_limit"], "txt_rows": _loads(row["txt_rows"]),
                "rows_used": row["rows_used"], "data_key": row["data_key"], "status": row["status"],
                "error": row["error"], "seed": row["seed"], "seconds": row["seconds"], "time": row["created_utc"],
                "privacy_operator": row["privacy_operator"], "pii_counts": _loads(row["pii_json"]) or {},
                "contamination": _loads(row["contamination_json"])}

    def _scores(self, ids: list[int]) -> dict:
        from evals.comparison import score_name

        out: dict = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for s in self._query(f"SELECT * FROM scores WHERE run_id IN ({marks}) ORDER BY rowid", chunk):
                out.setdefault(s["run_id"], {})[score_name(s["metric"], s["key"])] = dict(s)
        return out

    def _query(self, sql: str, args=()) -> list[sqlite3.Row]:
        self._conn.row_factory = sqlite3.Row
        try:
            return self._conn.execute(sql, tuple(args)).fetchall()
        finally:
            self._conn.row_factory = None


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any error: all of a write or none of it."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")  # takes the write lock now, waiting up to the busy timeout
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _check_file(path: str) -> None:
    """Refuse a path that is a folder or a non-empty file without SQLite's header, before SQLite touches it."""
    if os.path.isdir(path):
        raise ValueError(f"db={path!r} is a folder; give the path of a .sqlite file")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return
    with open(path, "rb") as f:
        head = f.read(len(SQLITE_HEADER))
    if head != SQLITE_HEADER:
        raise ValueError(f"db={path!r} is not an SQLite database (it does not start with SQLite's header); "
                         f"it is left as it is: give another --db path")


def _run_id(value: Any) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise ValueError(f"a run id is a positive integer (as `python -m evals history` lists), received {value!r}")
    return int(text)


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=_plain)


def _json_or_none(value: Any) -> Optional[str]:
    return None if value is None else _json(value)


def _loads(text: Optional[str]) -> Any:
    return None if text is None else json.loads(text)


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    return str(value)
