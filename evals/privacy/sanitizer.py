"""`sanitize`: find PII in text and replace it, offline and in linear time; batch and DataFrame forms.

Every recognizer proposes findings; `resolve_overlaps` keeps a non-overlapping subset (higher score
first, then the longer span, then the earlier start, then the type name, so the result never depends
on recognizer order); an operator rewrites the kept spans (a placeholder, a mask, a pseudonym, nothing,
or a realistic surrogate). Findings carry type, span and score only, so the caller can count and
report them without ever holding the values.

The batch forms can share a large batch among worker processes (``processes=2``): the recognizers
are pure Python, which one process runs on one core at a time, whatever the number of threads.
"""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from evals.privacy.addresses import find_addresses
from evals.privacy.dates import find_dates_of_birth
from evals.privacy.finding import ENTITY_TYPES, Finding, count_by_type
from evals.privacy.learned import finish_learned, set_tagger, start_learned, tagger_name
from evals.privacy.names import find_persons
from evals.privacy.operators import Pseudonymizer, apply_operator, check_operator
from evals.privacy.recognizers import (find_cn_ids, find_credit_cards, find_emails, find_ibans, find_ip_addresses,
                                       find_phones, find_urls, find_us_ssns)
from evals.privacy.secret_keys import find_secrets
from evals.privacy.surrogates import Surrogates

RECOGNIZERS = {
    "EMAIL": find_emails,
    "PHONE": find_phones,
    "CREDIT_CARD": find_credit_cards,
    "IBAN": find_ibans,
    "IP_ADDRESS": find_ip_addresses,
    "URL": find_urls,
    "US_SSN": find_us_ssns,
    "CN_ID": find_cn_ids,
    "DATE_OF_BIRTH": find_dates_of_birth,
    "ADDRESS": find_addresses,
    "PERSON": find_persons,
    "SECRET": find_secrets,
}
assert tuple(RECOGNIZERS) == ENTITY_TYPES
_ALL_RECOGNIZERS = tuple(RECOGNIZERS.values())

DEFAULT_MIN_SCORE = 0.5


def check_types(types):
    """The entity types to look for, in `ENTITY_TYPES` order; raises for unknown names."""
    if types is None:
        return ENTITY_TYPES
    if isinstance(types, str):
        types = [types]
    try:
        types = [t.upper() for t in types]
    except (TypeError, AttributeError):
        raise TypeError(f"types must be None, a str or a list of str, received {types!r}") from None
    unknown = [t for t in types if t not in RECOGNIZERS]
    if unknown:
        raise ValueError(f"types must be a subset of {list(ENTITY_TYPES)}, received unknown types={unknown!r}")
    return tuple(t for t in ENTITY_TYPES if t in types)


def check_min_score(min_score):
    """Raise ValueError unless ``min_score`` is a number in [0, 1]."""
    if isinstance(min_score, bool) or not isinstance(min_score, (int, float)) or not 0.0 <= min_score <= 1.0:
        raise ValueError(f"min_score must be a number in [0, 1], received min_score={min_score!r}")


def check_text(text, name="text"):
    """Raise TypeError, naming the argument and the type received, unless ``text`` is a str."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, received {type(text).__name__}")


def _outer_key(f):
    return f[0], -f[1], -f[3], f[2]


def resolve_overlaps(findings):
    """Keep a non-overlapping subset of findings, deterministically.

    First, a finding inside another one is dropped: the outer span is replaced whole, so nothing of
    it leaks ("https://x.org/?ip=10.0.0.1" stays one URL, "rue Victor Hugo" one address). Then, of
    partly overlapping findings, the higher score wins, then the longer span, then the earlier start,
    then the type name, so the result never depends on the order recognizers ran in.

    Args:
        findings: Any iterable of `Finding`.

    Returns:
        The kept findings, sorted by start.

    Example:
        >>> resolve_overlaps([Finding(0, 12, "PHONE", 0.6), Finding(8, 24, "CREDIT_CARD", 0.9),
        ...                   Finding(30, 35, "PERSON", 0.7), Finding(30, 33, "PERSON", 0.9)])
        [Finding(start=8, end=24, type='CREDIT_CARD', score=0.9), Finding(start=30, end=35, type='PERSON', score=0.7)]
    """
    # Sorted by start, then longest first: a finding is inside an earlier one iff it ends no later
    # than the furthest end seen so far.
    outer, reach, disjoint = [], -1, True
    for f in sorted(set(findings), key=_outer_key):
        end = f[1]
        if end > reach:
            if f[0] < reach:
                disjoint = False
            outer.append(f)
            reach = end
    if disjoint:
        return outer  # the common case: nothing left to resolve
    ranked = sorted(outer, key=lambda f: (-f.score, -(f.end - f.start), f.start, f.type))
    # One byte per character marks what is taken: checking and marking a span cost its length, so
    # the whole pass is linear in the text even with many overlapping candidates.
    lo = outer[0].start
    taken = bytearray(reach - lo)
    kept = []
    for f in ranked:
        if taken.find(1, f.start - lo, f.end - lo) == -1:
            taken[f.start - lo:f.end - lo] = b"\x01" * (f.end - f.start)
            kept.append(f)
    return sorted(kept)


def _recognizers(types):
    """The recognizer functions of ``types`` (None: all), in `ENTITY_TYPES` order."""
    if types is None or types == ENTITY_TYPES:
        return _ALL_RECOGNIZERS
    return [RECOGNIZERS[t] for t in check_types(types)]


def _kept(found, min_score):
    """The non-empty findings scoring at least ``min_score``, overlaps resolved."""
    # Findings are (start, end, type, score) tuples: index them instead of going through properties.
    return resolve_overlaps([f for f in found if f[3] >= min_score and f[1] > f[0]])


def analyze(text, types=None, min_score=DEFAULT_MIN_SCORE):
    """Find PII without changing the text.

    Args:
        text: The text to scan.
        types: Entity types to look for (see `ENTITY_TYPES`); ``None`` means all.
        min_score: Findings scoring below this are dropped before overlaps are resolved.

    Returns:
        Non-overlapping `Finding` objects sorted by start.
    """
    check_text(text)
    check_min_score(min_score)
    return _analyze_texts([text], check_types(types), min_score)[0]


def analyze_batch(texts, types=None, min_score=DEFAULT_MIN_SCORE, processes=1):
    """`analyze` for a list of texts: the same findings, faster on many short texts.

    Each recognizer runs over every text before the next one starts, so its patterns and code stay
    in the processor's caches instead of being evicted by the eleven others at every text.

    Args:
        texts: A list (or tuple) of str.
        types, min_score: As for `analyze`.
        processes: How many processes share the texts: 1 (this one only), an int > 1, or None
            (one per CPU core). Text ``i`` goes to worker ``i % processes``, so every worker gets the
            same mix of long and short texts. The workers are started once, with the "spawn" method
            (a forked copy of a process running JAX's threads may deadlock), and kept for later
            calls; like any spawned process they import the main script, so a script must keep its
            work under ``if __name__ == "__main__":``. Worth it for large batches: on this project's
            2-core machine 2 processes search the benchmark's 0.38 MB batch 1.8 times as fast as one
            (`bench/privacy_bench.py`); the first call also pays for starting the workers (0.1 s for
            a small script, more when the main script imports much).

    Returns:
        A list with one list of findings per text, each as `analyze` returns it, in order.

    Raises:
        TypeError: ``texts`` is not a list of str (the bad item's index is named).
        ValueError: a bad ``types``, ``min_score`` or ``processes``.
        RuntimeError: a worker process died (out of memory, killed); nothing is returned.
    """
    if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
        raise TypeError(f"texts must be a list of str, received {type(texts).__name__}")
    for i, t in enumerate(texts):
        check_text(t, f"texts[{i}]")
    check_min_score(min_score)
    types = check_types(types)
    processes = check_processes(processes)
    if processes == 1 or len(texts) < 2:
        return _analyze_texts(texts, types, min_score)
    pool = _worker_pool(processes)
    try:
        parts = [pool.submit(_analyze_in_worker, texts[i::processes], types, min_score, tagger_name())
                 for i in range(processes)]
        out = [None] * len(texts)
        for i, part in enumerate(parts):
            out[i::processes] = [[Finding._make(f) for f in row] for row in part.result()]
    except BrokenProcessPool as e:
        _POOLS.pop(processes, None)
        pool.shutdown(wait=False, cancel_futures=True)
        raise RuntimeError(f"a sanitizer worker process died (processes={processes}); no findings returned. "
                           f"Run again, or with processes=1") from e
    return out


def check_processes(processes):
    """The number of processes to use (None: one per CPU core); raises ValueError unless an int ≥ 1."""
    if processes is None:
        return os.cpu_count() or 1
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        raise ValueError(f"processes must be an int ≥ 1 or None, received processes={processes!r}")
    return processes


def _analyze_texts(texts, types, min_score):
    # The tagger's network runs in native code in the background (JAX dispatches it and returns): start
    # it first, so that the patterns below (pure Python) and the network use the two cores at once.
    learned = start_learned(texts, types)
    found = [[] for _ in texts]
    for find in _recognizers(types):
        for row, text in zip(found, texts):
            row += find(text)
    for row, more in zip(found, finish_learned(learned)):
        row += more
    return [_kept(row, min_score) for row in found]


def _analyze_in_worker(texts, types, min_score, tagger):
    """A worker's share: findings as plain tuples, which pickle several times faster than `Finding`s.
    The worker uses the parent's tagger (``tagger``: its name, or None)."""
    if tagger_name() != tagger:
        set_tagger(tagger)
    return [[tuple(f) for f in row] for row in _analyze_texts(texts, types, min_score)]


_POOLS = {}


def _worker_pool(processes):
    pool = _POOLS.get(processes)
    if pool is None:
        pool = _POOLS[processes] = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
    return pool


def sanitize(text, operator="placeholder", types=None, salt=None, min_score=DEFAULT_MIN_SCORE, *,
             pseudonymizer=None, surrogates=None):
    """Replace the PII in ``text`` and say what was replaced (type, span, score), never the values.

    Args:
        text: The text to sanitize.
        operator: ``"placeholder"`` (``[EMAIL]``), ``"mask"`` (``*****``), ``"pseudonym"``
            (``[PERSON_1a2b3c]``, equal values get equal pseudonyms), ``"remove"`` or ``"surrogate"``
            (a realistic fake of the same kind and shape, equal values get equal fakes).
        types: Entity types to replace (see `ENTITY_TYPES`); ``None`` means all.
        salt: Key for pseudonyms and surrogates: ``None`` draws a random one per call; pass the same
            salt to get the same pseudonyms or surrogates across calls and runs.
        min_score: Findings scoring below this are kept in the text.
        pseudonymizer: A `Pseudonymizer` to share across calls (overrides ``salt``).
        surrogates: A `Surrogates` to share across calls (overrides ``salt``).

    Returns:
        ``(clean_text, findings)``; each `Finding` gives the span in the original ``text``.

    Example:
        >>> sanitize("Mail ann.lee@example.com or call +1 415 555 0100.")[0]
        'Mail [EMAIL] or call [PHONE].'
        >>> sanitize("Dear Jennifer, call 415-555-0100.", "surrogate", salt="k")[0]
        'Dear Mary, call 228-961-4800.'
    """
    check_operator(operator)
    findings = analyze(text, types, min_score)
    pseudonymizer, surrogates = _shared(operator, salt, pseudonymizer, surrogates)
    return apply_operator(text, findings, operator, pseudonymizer, surrogates=surrogates), findings


def _shared(operator, salt, pseudonymizer, surrogates):
    """The `Pseudonymizer` or `Surrogates` the operator needs: the one given, else a new one keyed by ``salt``."""
    if operator == "pseudonym" and pseudonymizer is None:
        pseudonymizer = Pseudonymizer(salt)
    if operator == "surrogate" and surrogates is None:
        surrogates = Surrogates(salt)
    return pseudonymizer, surrogates


def sanitize_batch(texts, operator="placeholder", types=None, salt=None, min_score=DEFAULT_MIN_SCORE, processes=1, *,
                   pseudonymizer=None, surrogates=None):
    """`sanitize` for a list of texts; pseudonyms and surrogates are consistent across the whole batch.

    Args:
        texts: A list (or tuple) of str.
        operator, types, salt, min_score: As for `sanitize`.
        processes: Processes that share the search, as for `analyze_batch`.
        pseudonymizer, surrogates: As for `sanitize`: pass one to keep several batches consistent (the
            columns of one evaluation run, say).

    Returns:
        ``(clean_texts, findings)``: two lists aligned with ``texts``.

    Example:
        >>> clean, found = sanitize_batch(["ann@x.org", "no pii", "ann@x.org"], operator="pseudonym", salt="k")
        >>> clean[0] == clean[2], clean[1], count_by_type(found)
        (True, 'no pii', {'EMAIL': 2})
    """
    check_operator(operator)
    found = analyze_batch(texts, types, min_score, processes)
    pseudonymizer, surrogates = _shared(operator, salt, pseudonymizer, surrogates)
    return [apply_operator(t, f, operator, pseudonymizer, surrogates=surrogates) for t, f in zip(texts, found)], found


def sanitize_column(df, column, operator="placeholder", types=None, salt=None, min_score=DEFAULT_MIN_SCORE,
                    processes=1, *, pseudonymizer=None, surrogates=None):
    """Sanitize one text column of a pandas DataFrame.

    Missing values (None, NaN) stay missing; any other non-str cell is a TypeError, since silently
    converting numbers to text would change the column's meaning.

    Args:
        df: A pandas DataFrame (left unchanged).
        column: Name of the column to sanitize.
        operator, types, salt, min_score, processes: As for `sanitize_batch`.
        pseudonymizer, surrogates: As for `sanitize`: share one between columns (a dialogue and its
            summary) so the same value gets the same replacement in both.

    Returns:
        ``(new_df, counts)``: a copy of ``df`` with the column sanitized, and the number of
        replaced entities per type (`count_by_type`).

    Example:
        >>> import pandas as pd
        >>> out, counts = sanitize_column(pd.DataFrame({"t": ["ann@x.org", "hi"]}), "t")
        >>> out["t"].tolist(), counts
        (['[EMAIL]', 'hi'], {'EMAIL': 1})
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, received {type(df).__name__}")
    if column not in df.columns:
        raise ValueError(f"column must be one of {list(df.columns)}, received column={column!r}")
    values = df[column].tolist()
    present = []
    for i, v in enumerate(values):
        if isinstance(v, str):
            present.append(i)
        elif not (v is None or v is pd.NA or (isinstance(v, float) and v != v)):
            raise TypeError(f"column {column!r} must hold str or missing values, "
                            f"received {type(v).__name__} at row {df.index[i]!r}")
    clean, found = sanitize_batch([values[i] for i in present], operator, types, salt, min_score, processes,
                                  pseudonymizer=pseudonymizer, surrogates=surrogates)
    for i, c in zip(present, clean):
        values[i] = c
    out = df.copy()
    out[column] = pd.Series(values, index=df.index, dtype=df[column].dtype)
    return out, count_by_type(found)
