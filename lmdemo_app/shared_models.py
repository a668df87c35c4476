"""The shipped models, each loaded once on first use and shared by every visitor.

Only ``config.json`` is read to list the models and their kinds, so the app starts without loading
a single weight; the first request for a model pays its loading time.
"""

import functools
import os
import threading

import lmdemo
from evals.suite import TASK_METRICS
from lmdemo.checkpoint import read_checkpoint_config
from lmdemo.models import MODELS_DIR
from lmdemo.pipeline import EXTRACTIVE

_lock = threading.Lock()


LM_KINDS = ("transformer", "lstm", "rnn", "ngram")
# the model kinds that can do each task (the two encoder-decoder tasks are told apart by name)
TASK_KINDS = {"lm": LM_KINDS, "translation": ("encoder-decoder",), "summarization": ("encoder-decoder",),
              "sentiment": ("classifier",)}


def model_names():
    """The shipped language models present now (the task models: ``task_models``)."""
    return [n for n in lmdemo.available_models() if model_kind(n) in LM_KINDS]


def task_models(task):
    """What can do ``task`` (``"lm"``, ``"translation"``, ``"summarization"`` or ``"sentiment"``): the
    shipped models present now, plus for summarization the extractive methods that need no model.

    The two encoder–decoders share a kind; which task each was trained for is in its name, as shipped.
    """
    if task not in TASK_KINDS:
        raise ValueError(f"task must be one of {list(TASK_METRICS)}, received task={task!r}")
    names = [n for n in lmdemo.available_models() if model_kind(n) in TASK_KINDS[task]]
    if task == "translation":
        return [n for n in names if "translation" in n]
    if task == "summarization":
        return [n for n in names if "summar" in n] + list(EXTRACTIVE)
    return names


@functools.lru_cache(maxsize=None)
def checkpoint_config(name):
    """The ``config.json`` of shipped model ``name`` (kind and hyperparameters; no weights are read)."""
    return read_checkpoint_config(os.path.join(MODELS_DIR, name))


def model_kind(name):
    """``"transformer"``, ``"lstm"``, ``"rnn"``, ``"ngram"``, ``"classifier"`` or ``"encoder-decoder"``,
    from the checkpoint's config alone."""
    return checkpoint_config(name)["kind"]


def transformer_names():
    """The shipped Transformer models (the ones ``inspect`` can look inside)."""
    return [n for n in model_names() if model_kind(n) == "transformer"]


def check_model_name(name, kinds=None):
    """``name`` if it is a shipped model present now of one of ``kinds`` (default: the language
    models); ValueError otherwise."""
    kinds = LM_KINDS if kinds is None else kinds
    names = [n for n in lmdemo.available_models() if model_kind(n) in kinds]
    if name not in names:
        raise ValueError(f"model must be one of {names}, received model={name!r}")
    return name


@functools.lru_cache(maxsize=None)
def _load(name):
    return lmdemo.load_model(name)


def get_model(name, kinds=None):
    """The shared model ``name`` (of one of ``kinds``, default the language models), loaded on first
    use; one load even when requests arrive together."""
    check_model_name(name, kinds)
    with _lock:
        return _load(name)


def model_summary(name):
    """One Markdown line about model ``name``: its description and parameter count."""
    lm = get_model(name)
    return f"**{name}** ({lm.kind}): {lm.describe()}; {lm.num_params():,} parameters."
