"""Train a language model on any text: the function behind ``python -m lmdemo train``."""

import dataclasses
import math

import keras
import numpy as np

from lmdemo.config import preset_config
from lmdemo.data.poems import poems_text
from lmdemo.data.text import load_text, split_text
from lmdemo.data.token_file import is_token_folder, read_token_folder
from lmdemo.lm.language_model import NetworkLM
from lmdemo.lm.recurrent_lm import LSTMLM, RNNLM
from lmdemo.tokenizers.tokenizer import train_tokenizer
from lmdemo.training.cards import machine
from lmdemo.training.run import TrainingRun
from lmdemo.training.trainer import Trainer, TrainConfig
from lmdemo.lm.transformer_lm import TransformerLM
from lmdemo.registry import LM_KINDS, LM_TASKS


def _new_model(model, tok, preset, overrides):
    if model == "transformer":
        return TransformerLM.create(tok, preset_config(preset, **overrides))
    return {"lstm": LSTMLM, "rnn": RNNLM}[model].create(tok, **overrides)


def train_language_model(data, out_dir, preset="small", init_from=None, tokenizer="char", bpe_vocab_size=1000,
                         val_data=None, val_fraction=0.1, train_config=None, model_overrides=None, resume=True,
                         command=None, progress=True, log_fn=None, model_name=None, pause_after=None,
                         encrypt=False, model="transformer", order=5, should_stop=None, window=None, task="lm"):
    """Train (or fine-tune) a language model on a text and write a checkpoint folder.

    Args:
        data: a UTF-8 text file (``.gz`` too), ``"hf:NAME"`` for a Hugging Face dataset, or a token folder
            (``lmdemo.data.token_file``, ``python -m lmdemo prepare``): token ids memory-mapped from disk, with
            their tokenizer and validation split, for texts too big for memory.
        out_dir: the checkpoint folder; it is rewritten at every evaluation.
        model: ``"transformer"``, ``"lstm"``, ``"rnn"`` or ``"ngram"`` (counted, not trained
            by gradient descent: ``train_config`` and ``model_overrides`` do not apply).
        order: the n of the n-gram model.
        preset: a Transformer size from ``lmdemo.config.PRESETS`` (new models only).
        init_from: a shipped model name or checkpoint folder to fine-tune from; its tokenizer
            and size are kept (characters it has not seen become ``<unk>``).
        tokenizer: ``"char"`` or ``"bpe"`` (new models only).
        val_data: a separate validation text; otherwise the last ``val_fraction`` of ``data``.
        train_config: a ``TrainConfig``.
        model_overrides: ``TransformerConfig`` fields to change from the preset, or
            ``RecurrentConfig`` fields for the LSTM and RNN.
        resume: continue from ``out_dir/train_state`` if a previous run left one.
        command: the command line to record in the model card.
        log_fn: called with each evaluation record.
        model_name: the title of the model card.
        pause_after: stop after this many steps; running again with ``resume`` continues.
        should_stop: ``f() -> bool`` asked after every step; True stops there (as ``pause_after``).
        window: train on windows of this many tokens (at most the model's context; default: the context).
            Shorter windows make fine-tuning a large model affordable on a CPU (GPT-2 reads 1,024 tokens).
        task: ``"lm"`` (the data is text) or ``"poem"`` (the data is a table of titles and poems, read as
            poem records, ``lmdemo.data.poems``; the checkpoint then serves ``lmdemo.pipeline("poem")``).
        encrypt: store the checkpoint encrypted, with the key or passphrase from the environment
            (``lmdemo.storage.encryption``); a model loaded from an encrypted checkpoint stays encrypted.

    Returns:
        the trained model.
    """
    from lmdemo.registry import load_model

    if model not in LM_KINDS:
        raise ValueError(f"model must be one of {LM_KINDS}, received model={model!r}")
    if task not in LM_TASKS:
        raise ValueError(f"task must be one of {LM_TASKS}, received task={task!r}")
    read = load_text if task == "lm" else (lambda path: poems_text(path)[0])
    cfg = train_config or TrainConfig()
    folder = None
    if is_token_folder(data):
        if task != "lm":
            raise ValueError(f"data={data!r} is a token folder; task={task!r} reads a table of titles and poems")
        if model == "ngram" or val_data:
            raise ValueError(f"data={data!r} is a token folder: it holds its own validation split and trains neural "
                             f"models; give the n-gram model the text file (received model={model!r}, "
                             f"val_data={val_data!r})")
        folder = read_token_folder(data)
        train_text = val_text = None
    else:
        text = read(data)
        if val_data:
            train_text, val_text = text, read(val_data)
        else:
            train_text, val_text = split_text(text, val_fraction)
    if model == "ngram":
        from lmdemo.training.ngram_training import train_ngram

        return train_ngram(train_text, val_text, out_dir, order=order, tokenizer=tokenizer, data=data,
                           val_data=val_data, val_fraction=val_fraction, command=command, model_name=model_name,
                           encrypt=encrypt, log_fn=log_fn, task=task)
    run = TrainingRun(out_dir, resume, encrypt)
    if run.resuming:
        lm = load_model(out_dir)
    elif init_from:
        lm = load_model(init_from)
        if not isinstance(lm, NetworkLM):
            raise ValueError(f"init_from={init_from!r} is a {lm.kind} model; only neural models fine-tune")
    else:
        keras.utils.set_random_seed(cfg.seed)  # the same seed gives the same initial weights
        tok = folder[0] if folder else train_tokenizer(tokenizer, train_text, bpe_vocab_size)
        lm = _new_model(model, tok, preset, model_overrides or {})
    lm.task = task
    run.prepare(lm)
    run.fingerprint(lm, [train_text] if train_text else [])
    if folder:
        tok, train_ids, val_ids, meta = folder
        if lm.tokenizer.get_config() != tok.get_config():
            raise ValueError(f"data={data!r} was tokenized with another tokenizer than the model's; write the token "
                             f"folder with the model's tokenizer, or start a new model")
    else:
        train_ids = np.asarray(lm.tokenizer.encode(train_text), dtype=np.int32)
        val_ids = np.asarray(lm.tokenizer.encode(val_text), dtype=np.int32) if val_text else None
    context = lm.max_length or lm.train_length  # recurrent models train on windows of train_length
    if window is not None:
        if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= context:
            raise ValueError(f"window must be an int in [1, {context}] (the model's context), received window={window!r}")
        context = window
    if len(train_ids) <= context + 1:
        raise ValueError(
            f"the training text has {len(train_ids)} tokens; it needs more than the context of {context} "
            f"(use a longer text or a smaller preset)")

    info = {
        "task": task, "name": model_name, "command": command, "model": lm.kind, "data": data, "val_data": val_data,
        "val_fraction": None if val_data else val_fraction, "init_from": init_from, "window": context,
        "train_tokens": int(len(train_ids)), "val_tokens": int(0 if val_ids is None else len(val_ids)),
        "val_chars": len(val_text) if val_text else None,
        "unk_in_train": (folder[3]["unknown_tokens"] if folder else
                         int(np.sum(train_ids == getattr(lm.tokenizer, "unk_id", -1)))),
    }

    def write(extra=None):
        run.write(lm, {**_metrics(lm, trainer, info, run.seconds()), **(extra or {})})

    trainer = Trainer(lm.network, cfg, context, save_fn=lambda step, record: write(), state_dir=run.state_dir,
                      log_fn=log_fn, progress=progress, should_stop=should_stop)
    run.fit(trainer, train_ids, val_ids, pause_after=pause_after)
    if val_text and not trainer.interrupted:
        # the final numbers: the validation text read as users score it (``lm.log_probs``: recurrent
        # models carry their state through the whole text instead of restarting every window);
        # the time recorded is the training time, without this scoring
        seconds = run.seconds()
        scores = final_scores(lm, val_text)
        run.write(lm, {**_metrics(lm, trainer, info, seconds), **scores})
    elif folder and val_ids is not None and not trainer.interrupted:  # a token folder: its ids, in disjoint windows
        nats = trainer.evaluate(val_ids)
        run.write(lm, {**_metrics(lm, trainer, info, run.seconds()), "final_val_nats_per_token": nats,
                       "final_val_perplexity": math.exp(nats), "final_val_tokens": int(len(val_ids) - 1)})
    return lm


def final_scores(lm, val_text):
    """Validation scores read with ``lm.log_probs``: per token, per character, perplexity."""
    lp = lm.log_probs(val_text)
    nats = -float(lp.sum())
    return {"final_val_tokens": int(lp.size), "final_val_nats_per_token": nats / lp.size,
            "final_val_perplexity": math.exp(nats / lp.size), "final_val_nats_per_char": nats / len(val_text),
            "final_val_bits_per_char": nats / len(val_text) / math.log(2)}


def _metrics(lm, trainer, info, seconds):
    last = trainer.history[-1] if trainer.history else {}
    metrics = {
        "step": trainer.step, "train_seconds": round(seconds, 1), "params": lm.num_params(),
        "train_loss": last.get("train_loss"), "history": trainer.history, **info,
        "train_config": dataclasses.asdict(trainer.config), "model_config": lm.config.to_dict(),
        "machine": machine(),
    }
    if "val_loss" in last:
        nats = last["val_loss"]
        metrics["val_loss_nats_per_token"] = nats
        if info["val_chars"]:  # per character: total nats over the validation characters (a token folder has none)
            total = nats * max(info["val_tokens"] - 1, 1)
            per_char = total / max(info["val_chars"] - 1, 1)
            metrics["val_nats_per_char"] = per_char
            metrics["val_bits_per_char"] = per_char / math.log(2)
    return metrics
