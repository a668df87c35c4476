"""Evaluation suites: a YAML list of runs, parsed into `RunSpec`s and checked key by key.

A suite file is either a list of runs or a mapping with a ``runs`` list (and an optional ``name``)::

    - name: sentiment-fixture
      task: sentiment
      dataset: ../samples/sentiment.csv
      predictions_column: prediction
      label_column: label
      metrics: [sentiment_accuracy]
      confidence_interval: true
      seed: 0
      privacy_operator: placeholder  # optional: what replaces PII in every input (default surrogate)

Every error names the suite file, the run and the key, so a typo is found without reading code.
Relative dataset paths are resolved against the suite file's folder. A column the suite does not
name is found by the task's names in ``lmdemo.registry.TASKS``, the first one the dataset has:
``text`` (or ``sentence``) and ``label`` for sentiment, ``source`` (or the first column) and
``reference`` (or the second) for translation, ``document`` (or ``dialogue``) and ``summary`` for
summarization, ``text`` for lm.
"""

import dataclasses
import hashlib
import json
import os
from typing import Any, Optional

import yaml

from evals.privacy import OPERATORS
from lmdemo.registry import TASKS as TASK_REGISTRY

# the harness's own task: the data-bias probe (evals.bias) scores a model on counterfactual templates
BIAS_TASK = "bias"

# which metrics make sense for which task; the harness knows how to call each one
TASK_METRICS = {
    "lm": ("perplexity",),
    "translation": ("bleu", "rouge"),
    "summarization": ("rouge", "bleu"),
    "sentiment": ("sentiment_accuracy",),
    "poem": ("poem_form",),
    BIAS_TASK: ("bias",),
}
# the tasks a suite can run: lmdemo's task names (one list for the library, the harness and the app) that have
# metrics here (not "ner": the tagger is measured by bench/privacy_bench.py), and "bias"
TASKS = tuple(TASK_METRICS)

# the suite keys that name the columns each task reads, and each column's role in ``lmdemo.registry.Task``
# (whose default names a dataset's columns are matched against when the suite names none)
TASK_COLUMNS = {
    "lm": {"text_column": "input"},
    "translation": {"source_column": "input", "reference_column": "target"},
    "summarization": {"source_column": "input", "reference_column": "target"},
    "sentiment": {"text_column": "input", "label_column": "target"},
    "poem": {"source_column": "input", "reference_column": "target"},  # titles; forms asked (names or poems)
    BIAS_TASK: {},
}

# What replaces personal data in a run's texts unless the suite says otherwise. Surrogates keep a summary's
# scores meaningful (a reference says "Jane", the model read a fake "Maria" in place of "Jane" and writes
# "Maria", which the reference also became): measured in docs/privacy.md with bench/operator_scores.py.
DEFAULT_PRIVACY_OPERATOR = "surrogate"


def default_column(task: str, key: str) -> str:
    """The column ``key`` reads when a suite names none (the registry's first name for its role)."""
    return TASK_REGISTRY[task].column(TASK_COLUMNS[task][key], ())

RUN_KEYS = (
    "name", "task", "model", "predictions_column", "predictions_file", "dataset", "split", "text_column",
    "reference_column", "label_column", "source_column", "limit", "slice", "txt_rows", "metrics",
    "confidence_interval", "seed", "examples", "privacy_operator",
)


@dataclasses.dataclass
class RunSpec:
    """One run of a suite: a task, a dataset, where predictions come from and which metrics score them.

    Attributes:
        name: Unique name of the run within the suite.
        task: One of `TASKS`.
        dataset: Absolute path of a local file, or ``"hf:NAME[:CONFIG]"``.
        metrics: ``{metric name: keyword options}`` in suite order.
        model: An lmdemo model name or checkpoint path (None when predictions are given).
        predictions_column: Column holding predictions already in the dataset.
        predictions_file: Absolute path of a separate file of predictions (one per row/line).
        split: Split of a Hugging Face dataset.
        columns: ``{key: column name}`` for the columns the suite names (``text_column``...); ``column``
            finds the others.
        limit: Use at most this many rows (None: all).
        slice: For TXT files, a fraction range of the characters such as ``"0.9:"``.
        txt_rows: For TXT files, one row per ``"paragraph"``, ``"line"`` or the whole ``"document"``.
        confidence_interval: Ask every metric for a bootstrap interval.
        seed: Seed for the bootstrap, and the salt of the run's pseudonyms or surrogates (one per run,
            so a run gives the same ones every time).
        suite_path: The suite file, for error messages.
        privacy_operator: What replaces PII in every text the run reads, one of
            ``evals.privacy.OPERATORS`` (``surrogate``, the default: a realistic fake, the same one in
            source, reference and prediction, so that a summary still names who did what;
            ``placeholder``: ``[PERSON]``; see ``DEFAULT_PRIVACY_OPERATOR``).
    """

    name: str
    task: str
    dataset: str
    metrics: dict
    model: Optional[str] = None
    predictions_column: Optional[str] = None
    predictions_file: Optional[str] = None
    split: Optional[str] = None
    columns: dict = dataclasses.field(default_factory=dict)
    limit: Optional[int] = None
    slice: Optional[str] = None
    txt_rows: str = "paragraph"
    confidence_interval: bool = False
    seed: int = 0
    suite_path: str = ""
    examples: bool = True  # list the worst-scored (sanitized) examples in the reports; false: no example text
    privacy_operator: str = DEFAULT_PRIVACY_OPERATOR

    def column(self, key: str, available: list) -> str:
        """The column ``key`` (``text_column``...) reads in a dataset with ``available`` columns: the one the
        suite names, else the first of the task's default names the dataset has (``lmdemo.registry.TASKS``)."""
        if key in self.columns:
            return self.columns[key]
        return TASK_REGISTRY[self.task].column(TASK_COLUMNS[self.task][key], [str(c) for c in available])


@dataclasses.dataclass
class Suite:
    """A parsed suite: its path, display name, runs, and the SHA-256 of what it was parsed from."""

    path: str
    name: str
    runs: list
    sha256: str = ""  # of the file's bytes, or of the canonical JSON of a suite built in memory


def load_suite(path: str) -> Suite:
    """Read and validate a suite file.

    Args:
        path: The YAML suite file.

    Returns:
        A `Suite` whose runs have absolute dataset paths.

    Raises:
        ValueError: The file is missing, is not YAML, or a run is malformed; the message names the
            file, the run and the key.
    """
    path = os.path.abspath(os.fspath(path))
    if not os.path.isfile(path):
        raise ValueError(f"suite file not found: path={path!r}")
    with open(path, "rb") as f:
        raw = f.read()
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: not a valid YAML suite file: {e}") from None
    return parse_suite(data, path, sha256=hashlib.sha256(raw).hexdigest())


def parse_suite(data: Any, path: str, sha256: Optional[str] = None) -> Suite:
    """A `Suite` from what a suite file holds (a mapping with ``name`` and ``runs``, or a list of runs).

    Args:
        data: The parsed suite: ``{"name": ..., "runs": [{...}, ...]}`` or ``[{...}, ...]``.
        path: Where the suite lives: relative dataset paths are read from its folder and reports show
            paths relative to it. The file itself need not exist (an app builds suites in memory).
        sha256: The digest reports record (default: of ``data`` as canonical JSON).

    Raises:
        ValueError: A malformed suite or run, naming the run and the key.
    """
    path = os.path.abspath(os.fspath(path))
    name = os.path.splitext(os.path.basename(path))[0]
    if isinstance(data, dict):
        unknown = sorted(set(data) - {"name", "runs"})
        if unknown:
            raise ValueError(f"{path}: unknown top-level key(s) {unknown}; expected 'name' and 'runs'")
        name = str(data.get("name", name))
        data = data.get("runs")
    if not isinstance(data, list) or not data:
        raise ValueError(f"{path}: a suite must be a non-empty list of runs (or a mapping with 'runs'), "
                         f"received {type(data).__name__}")
    runs = [parse_run(entry, i, path) for i, entry in enumerate(data)]
    seen = set()
    for run in runs:
        if run.name in seen:
            raise ValueError(f"{path}: run {run.name!r}: key 'name': duplicate run name {run.name!r}")
        seen.add(run.name)
    if sha256 is None:
        sha256 = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return Suite(path=path, name=name, runs=runs, sha256=sha256)


def parse_run(entry: Any, index: int, suite_path: str) -> RunSpec:
    """Validate one run mapping of a suite file and turn it into a `RunSpec`.

    Args:
        entry: The mapping read from YAML.
        index: Its position in the suite (for messages when it has no name).
        suite_path: The suite file (for messages and relative paths).

    Returns:
        The `RunSpec`.

    Raises:
        ValueError: Naming the suite file, the run and the offending key.
    """
    where = f"{suite_path}: run #{index + 1}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: a run must be a mapping of keys, received {type(entry).__name__}: {entry!r}")
    if isinstance(entry.get("name"), str) and entry["name"].strip():
        where = f"{suite_path}: run {entry['name']!r}"

    def fail(key: str, message: str) -> ValueError:
        return ValueError(f"{where}: key {key!r}: {message}")

    unknown = sorted(set(entry) - set(RUN_KEYS))
    if unknown:
        raise fail(unknown[0], f"unknown key; allowed keys are {list(RUN_KEYS)}")
    if entry.get("task") == BIAS_TASK:  # the probe's own templates and its one metric unless the suite says
        from evals.bias import DEFAULT_FILE

        entry = {"dataset": DEFAULT_FILE, "metrics": ["bias"], **entry}
    for key in ("name", "task", "dataset", "metrics"):
        if key not in entry:
            raise fail(key, "missing required key")
    for key in ("name", "task", "dataset"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise fail(key, f"must be a non-empty string, received {entry[key]!r}")
    task = entry["task"]
    if task not in TASKS:
        raise fail("task", f"must be one of {list(TASKS)}, received task={task!r}")

    columns = {}  # the columns the suite names; the others are found by ``RunSpec.column``
    for key in ("text_column", "reference_column", "label_column", "source_column", "predictions_column",
                "model", "split", "slice", "predictions_file"):
        if key in entry and (not isinstance(entry[key], str) or not entry[key].strip()):
            raise fail(key, f"must be a non-empty string, received {entry[key]!r}")
    for key in ("text_column", "reference_column", "label_column", "source_column"):
        if key in entry:
            columns[key] = entry[key]

    model = entry.get("model")
    predictions_column = entry.get("predictions_column")
    predictions_file = entry.get("predictions_file")
    if task in ("lm", BIAS_TASK):
        if model is None:
            raise fail("model", f"task {task!r} needs a model name or checkpoint path")
        if predictions_column or predictions_file:
            raise fail("predictions_column", f"task {task!r} scores a model, not predictions")
    elif model is None and predictions_column is None:
        raise fail("predictions_column", f"task {task!r} needs predictions_column (or model)")
    if predictions_file and not predictions_column:
        raise fail("predictions_file", "give predictions_column too: the column (or 'text' for TXT) to read")

    dataset = entry["dataset"]
    if task == BIAS_TASK and dataset.startswith("hf:"):
        raise fail("dataset", f"task 'bias' reads a templates file (YAML or JSON, laid out as "
                              f"evals/bias/counterfactuals.yaml), not a Hub dataset: received {dataset!r}")
    if not dataset.startswith("hf:"):
        dataset = resolve_path(dataset, suite_path)
    elif entry.get("split") is None:
        raise fail("split", f"a Hugging Face dataset ({dataset!r}) needs a split, e.g. split: validation")
    if predictions_file:
        predictions_file = resolve_path(predictions_file, suite_path)

    limit = entry.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise fail("limit", f"must be a positive integer, received limit={limit!r}")
    if entry.get("slice") is not None:
        try:
            parse_slice(entry["slice"])
        except ValueError as e:
            raise fail("slice", str(e)) from None
    txt_rows = entry.get("txt_rows", "paragraph")
    if txt_rows not in ("paragraph", "line", "document"):
        raise fail("txt_rows", f"must be paragraph, line or document, received txt_rows={txt_rows!r}")
    ci = entry.get("confidence_interval", False)
    if not isinstance(ci, bool):
        raise fail("confidence_interval", f"must be true or false, received {ci!r}")
    seed = entry.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise fail("seed", f"must be a non-negative integer, received seed={seed!r}")
    examples = entry.get("examples", True)
    if not isinstance(examples, bool):
        raise fail("examples", f"must be true or false, received {examples!r}")
    privacy_operator = entry.get("privacy_operator", DEFAULT_PRIVACY_OPERATOR)
    if not isinstance(privacy_operator, str) or privacy_operator not in OPERATORS:
        raise fail("privacy_operator",
                   f"must be one of {list(OPERATORS)}, received privacy_operator={privacy_operator!r}")

    try:
        metrics = parse_metrics(entry["metrics"], task)
    except ValueError as e:
        raise fail("metrics", str(e)) from None
    return RunSpec(name=entry["name"], task=task, dataset=dataset, metrics=metrics, model=model,
                   predictions_column=predictions_column, predictions_file=predictions_file,
                   split=entry.get("split"), columns=columns, limit=limit, slice=entry.get("slice"), txt_rows=txt_rows,
                   confidence_interval=ci, seed=seed, suite_path=suite_path, examples=examples,
                   privacy_operator=privacy_operator)


def parse_metrics(value: Any, task: str) -> dict:
    """Normalize a ``metrics`` entry to ``{name: options}``.

    Accepts a list of names, a list of ``{name: {options}}`` mappings, or one mapping of names to
    options (``None`` meaning no options).

    Raises:
        ValueError: Unknown metric, a metric that does not fit the task, or options that are not a mapping.
    """
    if isinstance(value, str):
        value = [value]
    items: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and len(item) == 1:
                items.extend(item.items())
            elif isinstance(item, str):
                items.append((item, None))
            else:
                raise ValueError(f"each metric must be a name or {{name: options}}, received {item!r}")
    else:
        raise ValueError(f"must be a list of metric names, received {value!r}")
    if not items:
        raise ValueError("needs at least one metric")
    allowed = TASK_METRICS[task]
    metrics = {}
    for name, options in items:
        if name not in allowed:
            raise ValueError(f"metric {name!r} does not fit task {task!r}; choose from {list(allowed)}")
        if options is None:
            options = {}
        if not isinstance(options, dict):
            raise ValueError(f"options of metric {name!r} must be a mapping, received {options!r}")
        reserved = sorted({"confidence_interval", "seed"} & set(options))
        if reserved:
            raise ValueError(f"metric {name!r}: set {reserved[0]!r} on the run, not in metric options")
        metrics[name] = dict(options)
    return metrics


def parse_slice(text: str) -> tuple[float, float]:
    """Parse a fraction range ``"a:b"`` (either side optional) into ``(start, stop)`` in [0, 1].

    Example:
        >>> parse_slice("0.9:")
        (0.9, 1.0)
    """
    if not isinstance(text, str) or text.count(":") != 1:
        raise ValueError(f"must look like '0.9:' or '0:0.1' (fractions of the file), received slice={text!r}")
    parts = text.split(":")
    try:
        start = float(parts[0]) if parts[0].strip() else 0.0
        stop = float(parts[1]) if parts[1].strip() else 1.0
    except ValueError:
        raise ValueError(f"fractions must be numbers, received slice={text!r}") from None
    if not 0.0 <= start < stop <= 1.0:
        raise ValueError(f"need 0 <= start < stop <= 1, received slice={text!r}")
    return start, stop


def resolve_path(path: str, suite_path: str) -> str:
    """``path`` made absolute relative to the folder of ``suite_path`` (``~`` is expanded)."""
    path = os.path.expanduser(path)
    if not os.path.isabs(path):
        path = os.path.join(os.path.dirname(suite_path), path)
    return os.path.normpath(path)
