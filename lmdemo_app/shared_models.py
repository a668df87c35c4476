"""The shipped models, each loaded once on first use and shared by every visitor.

Only ``config.json`` is read to list the models and their kinds, so the app starts without loading
a single weight; the first request for a model pays its loading time.
"""

import functools
import threading

import lmdemo
from lmdemo.registry import TASKS, config_task, model_path
from lmdemo.storage.checkpoint import read_checkpoint_config
from lmdemo.tasks.pipeline import EXTRACTIVE

_lock = threading.Lock()


def model_names():
    """The shipped language models present now (the task models: ``task_models``)."""
    return task_models("lm")


def task_models(task):
    """What can do ``task`` (a name of ``lmdemo.registry.TASKS``): the shipped models present now whose
    checkpoint says it does that task, plus for summarization the extractive methods that need no model."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {list(TASKS)}, received task={task!r}")
    names = [n for n in lmdemo.available_models() if model_task(n) == task]
    return names + list(EXTRACTIVE) if task == "summarization" else names


def model_task(name):
    """The task shipped model ``name`` does, from its checkpoint's config alone (no weights are read)."""
    return config_task(checkpoint_config(name))


@functools.lru_cache(maxsize=None)
def checkpoint_config(name):
    """The ``config.json`` of shipped model ``name`` (kind and hyperparameters; no weights are read)."""
    return read_checkpoint_config(model_path(name))


def model_kind(name):
    """``"transformer"``, ``"lstm"``, ``"rnn"``, ``"ngram"``, ``"classifier"`` or ``"encoder-decoder"``,
    from the checkpoint's config alone."""
    return checkpoint_config(name)["kind"]


def transformer_names():
    """The shipped Transformer models (the ones ``inspect`` can look inside)."""
    return [n for n in model_names() if model_kind(n) == "transformer"]


def check_model_name(name, task="lm", kinds=None):
    """``name`` if it is a shipped model present now that does ``task`` (and, with ``kinds``, is of one of
    them); ValueError naming the choices otherwise."""
    names = [n for n in task_models(task) if n not in EXTRACTIVE and (kinds is None or model_kind(n) in kinds)]
    if name not in names:
        raise ValueError(f"model must be one of {names}, received model={name!r}")
    return name


@functools.lru_cache(maxsize=None)
def _load(name):
    return lmdemo.load_model(name)


def get_model(name, task="lm", kinds=None):
    """The shared model ``name`` (one that does ``task``, as ``check_model_name`` checks), loaded on first
    use; one load even when requests arrive together."""
    check_model_name(name, task, kinds)
    with _lock:
        return _load(name)


def model_summary(name):
    """One Markdown line about model ``name``: its description and parameter count."""
    lm = get_model(name)
    return f"**{name}** ({lm.kind}): {lm.describe()}; {lm.num_params():,} parameters."
