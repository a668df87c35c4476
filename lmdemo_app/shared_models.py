"""The shipped models, each loaded once on first use and shared by every visitor, and the Hugging Face
models visitors type in (``hf:openai-community/gpt2``).

Only ``config.json`` is read to list the shipped models and their kinds, so the app starts without
loading a single weight; the first request for a model pays its loading time. A Hub model is checked
from its ``config.json`` alone (a type lmdemo reads, at most ``MAX_HUB_PARAMS`` weights) before its
weights are downloaded, and at most ``HUB_MODELS_KEPT`` of them stay in memory (the least recently used
one is dropped).
"""

import collections
import functools
import os
import threading
import warnings

import gradio as gr

import lmdemo
from lmdemo_app.checks import UserError, check_choice, inputs_checked, rehearsing
from lmdemo_app.i18n import current_language, text
from lmdemo.registry import LM_TASKS, TASKS, config_task, model_path
from lmdemo.storage.checkpoint import read_checkpoint_config
from lmdemo.storage.hf_checkpoint import SUPPORTED, estimate_params
from lmdemo.storage.hub import hub_config, is_hub_id
from lmdemo.tasks.pipeline import EXTRACTIVE

_lock = threading.Lock()
_hub_lock = threading.Lock()  # a download may take minutes: shipped models do not wait for it
_hub = collections.OrderedDict()  # hf id → loaded model, least recently used first
HUB_MODELS_KEPT = 2
UNSEEN_LIMIT = 0.3  # above this share of unknown tokens an answer is flagged: the model never learned such text
MAX_HUB_PARAMS = int(os.environ.get("LMDEMO_APP_MAX_HUB_PARAMS", 400_000_000))
WEIGHTS_VARIABLE = "LMDEMO_APP_WEIGHTS"  # "bf16": Transformers read bfloat16 weights (TransformerLM.use_weights)


def model_names():
    """The shipped language models present now (the task models: ``task_models``)."""
    return task_models("lm")


def task_models(task):
    """What can do ``task`` (a name of ``lmdemo.registry.TASKS``): the shipped models present now whose
    checkpoint says it does that task (for ``"lm"``: every language model, the poem models too), plus for
    summarization the extractive methods that need no model."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {list(TASKS)}, received task={task!r}")
    tasks = LM_TASKS if task == "lm" else (task,)  # a poem model continues any text too
    names = [n for n in lmdemo.available_models() if model_task(n) in tasks]
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


def check_model_name(name, task="lm", kinds=None, field="model_name"):
    """``name`` if it is a shipped model present now that does ``task`` (and, with ``kinds``, is of one of
    them), or a Hub id of such a model (loaded now if it is not yet, except in a rehearsal: loading is the
    call's work); an error naming ``field`` and the choices otherwise."""
    if is_hub_id(name):
        if rehearsing():
            return name
        model = hub_model(name, notify=lambda message: gr.Info(message, duration=30))
        if model.task != task or (kinds is not None and model.kind not in kinds):
            wanted = text("wanted_kinds" if kinds else "wanted_task", task=task, kinds=" or ".join(kinds or ()))
            raise UserError(text("err_hub_wrong_task", name=name, task=model.task, kind=model.kind, wanted=wanted),
                            field=field)
        return name
    names = [n for n in task_models(task) if n not in EXTRACTIVE and (kinds is None or model_kind(n) in kinds)]
    return check_choice(name, field, names)


@functools.lru_cache(maxsize=None)
def _load(name):
    return with_app_weights(lmdemo.load_model(name))


def with_app_weights(model):
    """``model`` reading the weights ``$LMDEMO_APP_WEIGHTS`` names (a server's setting: ``bf16`` doubles GPT-2's
    tokens/s on a CPU, docs/speed.md); where the bfloat16 kernel cannot be built here, float32 as before, with a
    warning in the server's log."""
    weights = os.environ.get(WEIGHTS_VARIABLE, "f32")
    if weights != "f32" and hasattr(model, "use_weights"):
        try:
            model.use_weights(weights)
        except ValueError as error:
            warnings.warn(f"{WEIGHTS_VARIABLE}={weights!r} not applied, the model reads float32 weights: {error}",
                          stacklevel=2)
    return model


def get_model(name, task="lm", kinds=None):
    """The shared model ``name`` (one that does ``task``, as ``check_model_name`` checks), loaded on first
    use; one load even when requests arrive together."""
    check_model_name(name, task, kinds)
    if is_hub_id(name):
        if rehearsing() and name not in _hub:
            inputs_checked()  # a rehearsal does not download: the call checks what depends on the model
        return hub_model(name)
    with _lock:
        return _load(name)


def hub_model(name, notify=None):
    """The Hub model ``name`` (``hf:...``), downloaded and loaded on first use.

    Args:
        notify: called with a message before a download starts (the UI shows it).

    Raises:
        ValueError: a malformed or unknown id, no way to reach the Hub, a model type lmdemo does not read, or
            a model over ``MAX_HUB_PARAMS`` weights (each message names the id).
    """
    with _hub_lock:
        if name in _hub:
            _hub.move_to_end(name)
            return _hub[name]
        config = hub_config(name)
        kind = config.get("model_type") if isinstance(config, dict) else None
        if kind not in SUPPORTED:
            raise UserError(text("err_hub_kind", name=name, kind=repr(kind), supported=", ".join(SUPPORTED)))
        size = estimate_params(config)
        if size > MAX_HUB_PARAMS:
            raise UserError(text("err_hub_size", name=name, size=size, limit=MAX_HUB_PARAMS))
        if notify is not None:
            notify(text("hub_downloading", name=name, megabytes=4 * size / 1e6))
        model = with_app_weights(lmdemo.load_model(name))
        _hub[name] = model
        while len(_hub) > HUB_MODELS_KEPT:
            _hub.popitem(last=False)
        return model


def model_style(name):
    """The kind of text model ``name`` learned from, by its name: ``"ptb"`` (Penn Treebank news, lower-cased,
    numbers as N), ``"shakespeare"``, ``"tang"`` (Tang poems, traditional characters), or ``"english"``
    (anything else, e.g. a Hub GPT-2)."""
    lowered = str(name or "").lower()
    return next((style for style in ("ptb", "shakespeare", "tang") if style in lowered), "english")


def model_summary(name):
    """One Markdown line about model ``name``: its description and parameter count, in the visitor's
    language (``lm.describe()`` is English: a Chinese page gets the same facts from the model's config)."""
    lm = get_model(name)
    return text("model_summary", name=name, kind=lm.kind, about=describe(lm), params=lm.num_params())


def describe(lm):
    """``lm.describe()`` in the visitor's language."""
    if current_language() == "en":
        return lm.describe()
    c = lm.config
    if lm.kind == "transformer":
        return text("about_transformer", norm="RMSNorm" if c.norm == "rms" else "LayerNorm", layers=c.num_layers,
                    heads=c.num_heads, width=c.d_model, hidden=c.hidden_dim, activation=c.activation,
                    position=c.position, context=c.max_length)
    if lm.kind in ("lstm", "rnn"):
        return text("about_recurrent", cell="LSTM" if lm.kind == "lstm" else "Elman RNN", layers=c.num_layers,
                    width=c.hidden_dim)
    if lm.kind == "ngram":
        return text("about_ngram", order=lm.order)
    return lm.describe()
