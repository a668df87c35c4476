"""Train a language model on any text: the function behind ``python -m lmdemo train``."""

import dataclasses
import math
import os
import platform
import time

import keras
import numpy as np

from lmdemo.config import preset_config
from lmdemo.data import load_text, split_text
from lmdemo.network_lm import NetworkLM
from lmdemo.recurrent_lm import LSTMLM, RNNLM
from lmdemo.tokenizers import BPETokenizer, CharTokenizer, WordTokenizer
from lmdemo.trainer import STATE_DIR, Trainer, TrainConfig
from lmdemo.transformer_lm import TransformerLM

MODEL_TYPES = ("transformer", "lstm", "rnn", "ngram")


def build_tokenizer(kind, text, bpe_vocab_size=1000):
    if kind == "char":
        return CharTokenizer.train(text)
    if kind == "bpe":
        return BPETokenizer.train(text, vocab_size=bpe_vocab_size)
    if kind == "word":
        return WordTokenizer.train(text)
    raise ValueError(f"tokenizer must be 'char', 'bpe' or 'word', received tokenizer={kind!r}")


def _new_model(model, tok, preset, overrides):
    if model == "transformer":
        return TransformerLM.create(tok, preset_config(preset, **overrides))
    return {"lstm": LSTMLM, "rnn": RNNLM}[model].create(tok, **overrides)


def train_language_model(data, out_dir, preset="small", init_from=None, tokenizer="char", bpe_vocab_size=1000,
                         val_data=None, val_fraction=0.1, train_config=None, model_overrides=None, resume=True,
                         command=None, progress=True, log_fn=None, model_name=None, pause_after=None,
                         encrypt=False, model="transformer", order=5, should_stop=None):
    """Train (or fine-tune) a language model on a text and write a checkpoint folder.

    Args:
        data: a UTF-8 text file (``.gz`` too) or ``"hf:NAME"`` for a Hugging Face dataset.
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
        encrypt: store the checkpoint encrypted, with the key or passphrase from the environment
            (``lmdemo.encryption``); a model loaded from an encrypted checkpoint stays encrypted.

    Returns:
        the trained model.
    """
    from lmdemo.models import load_model

    if model not in MODEL_TYPES:
        raise ValueError(f"model must be one of {MODEL_TYPES}, received model={model!r}")
    cfg = train_config or TrainConfig()
    text = load_text(data)
    if val_data:
        train_text, val_text = text, load_text(val_data)
    else:
        train_text, val_text = split_text(text, val_fraction)
    if model == "ngram":
        from lmdemo.ngram_lm import train_ngram

        return train_ngram(train_text, val_text, out_dir, order=order, tokenizer=tokenizer, data=data,
                           val_data=val_data, val_fraction=val_fraction, command=command, model_name=model_name,
                           encrypt=encrypt)
    state_dir = os.path.join(out_dir, STATE_DIR)
    resuming = resume and os.path.isfile(os.path.join(state_dir, "state.json"))
    if resuming:
        lm = load_model(out_dir)
    elif init_from:
        lm = load_model(init_from)
        if not isinstance(lm, NetworkLM):
            raise ValueError(f"init_from={init_from!r} is a {lm.kind} model; only neural models fine-tune")
    else:
        keras.utils.set_random_seed(cfg.seed)  # the same seed gives the same initial weights
        tok = build_tokenizer(tokenizer, train_text, bpe_vocab_size)
        lm = _new_model(model, tok, preset, model_overrides or {})
    if encrypt and lm.encryption is None:
        from lmdemo.encryption import for_saving

        lm.encryption = for_saving()
    train_ids = np.asarray(lm.tokenizer.encode(train_text), dtype=np.int32)
    val_ids = np.asarray(lm.tokenizer.encode(val_text), dtype=np.int32) if val_text else None
    context = lm.max_length or lm.train_length  # recurrent models train on windows of train_length
    if len(train_ids) <= context + 1:
        raise ValueError(
            f"the training text has {len(train_ids)} tokens; it needs more than the context of {context} "
            f"(use a longer text or a smaller preset)")

    info = {
        "model": lm.kind, "data": data, "val_data": val_data, "val_fraction": None if val_data else val_fraction,
        "init_from": init_from, "train_tokens": int(len(train_ids)), "val_tokens": int(0 if val_ids is None else len(val_ids)),
        "val_chars": len(val_text), "unk_in_train": int(np.sum(train_ids == getattr(lm.tokenizer, "unk_id", -1))),
    }
    started = time.time()
    previous_seconds = 0.0

    def write(seconds, extra=None):
        metrics = {**_metrics(lm, trainer, info, seconds), **(extra or {})}
        lm.save(out_dir, card=model_card(lm, metrics, cfg, command, model_name), metrics=metrics)

    def save(step, record):
        write(time.time() - started + previous_seconds)

    trainer = Trainer(lm.network, cfg, context, save_fn=save, state_dir=state_dir, log_fn=log_fn, progress=progress,
                      should_stop=should_stop)
    if resuming:
        trainer.load_state()
        previous_seconds = trainer.history[-1]["elapsed_s"] if trainer.history else 0.0
    trainer.fit(train_ids, val_ids, pause_after=pause_after)
    if val_text and not trainer.interrupted:
        # the final numbers: the validation text read as users score it (``lm.log_probs``: recurrent
        # models carry their state through the whole text instead of restarting every window)
        seconds = time.time() - started + previous_seconds  # training time, without the scoring below
        write(seconds, final_scores(lm, val_text))
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
        # per character: total nats over the validation characters (equal to per token for char models)
        total = nats * max(info["val_tokens"] - 1, 1)
        per_char = total / max(info["val_chars"] - 1, 1)
        metrics["val_nats_per_char"] = per_char
        metrics["val_bits_per_char"] = per_char / math.log(2)
    return metrics


def machine():
    return f"{platform.machine()}, {os.cpu_count()} CPU cores"


def storage_note(lm, files):
    half = (" Weights stored in half precision (float16; loaded back as float32)."
            if getattr(lm, "half_precision", False) else "")
    return _storage(lm, files) + half


def _storage(lm, files):
    if lm.encryption is not None:
        return (f"Stored **encrypted** at rest (AES-256-GCM: {', '.join(f'`{f}.enc`' for f in files)}); loading "
                f"needs the key or passphrase.")
    return f"Stored unencrypted ({', '.join(f'`{f}`' for f in files)}: arrays and JSON only; no code is loaded)."


def model_card(lm, metrics, cfg, command, name=None):
    """The Markdown model card: what the model is, the data, the exact command, measured numbers."""
    c = lm.config
    val = metrics.get("val_loss_nats_per_token")
    window = getattr(c, "max_length", None) or c.train_length
    lines = [
        f"# {name or f'lmdemo {lm.kind} language model'}",
        "",
        f"{lm.describe()}; {lm.tokenizer.type_name} tokenizer with {lm.tokenizer.vocab_size:,} tokens, "
        f"{metrics['params']:,} parameters, trained with lmdemo. "
        + storage_note(lm, ["model.weights.h5", "tokenizer.json"]),
        "",
        "## Data",
        f"- training text: `{metrics['data']}` ({metrics['train_tokens']:,} tokens)",
        (f"- validation text: `{metrics['val_data']}`" if metrics.get("val_data") else
         f"- validation: the last {metrics['val_fraction']:.0%} of the same text ({metrics['val_tokens']:,} tokens)"),
    ]
    if metrics.get("init_from"):
        lines.append(f"- fine-tuned from `{metrics['init_from']}`")
    lines += [
        "",
        "## How it was trained",
        "```",
        command or "(trained from Python; no command recorded)",
        "```",
        f"AdamW (peak learning rate {cfg.learning_rate:g}, {cfg.warmup_steps} warmup steps, cosine decay to "
        f"{cfg.min_learning_rate:g}, weight decay {cfg.weight_decay:g}, gradient norm clipped at {cfg.grad_clip:g}), "
        f"batch {cfg.batch_size} × {window} tokens, dropout {c.dropout:g}, seed {cfg.seed}.",
        "",
        "## Measured",
        f"On {metrics['machine']}, {metrics['step']:,} steps in {metrics['train_seconds'] / 60:.1f} minutes.",
        "",
        "| split | loss (nats per token) | nats per char | bits per char |",
        "|---|---|---|---|",
        f"| train (last steps' mean) | {metrics['train_loss']:.4f} | | |" if metrics.get("train_loss") is not None else "",
    ]
    if val is not None:
        lines.append(f"| validation (every token, disjoint windows of {window}"
                     f"{', state reset per window' if lm.max_length is None else ''}) | {val:.4f} | {metrics['val_nats_per_char']:.4f} | "
                     f"{metrics['val_bits_per_char']:.4f} |")
    if metrics.get("final_val_tokens"):
        lines += ["", f"Read whole with `lm.log_probs` (how the comparison table scores every model), the "
                  f"validation text has {metrics['final_val_tokens']:,} tokens: "
                  f"{metrics['final_val_nats_per_token']:.4f} nats per token (perplexity "
                  f"{metrics['final_val_perplexity']:.2f}), {metrics['final_val_bits_per_char']:.4f} bits per char."]
    lines += ["", "Validation loss during training:", "", "| step | minutes | train loss | val loss |", "|---|---|---|---|"]
    for r in metrics["history"]:
        v = f"{r['val_loss']:.4f}" if "val_loss" in r else ""
        lines.append(f"| {r['step']} | {r['elapsed_s'] / 60:.1f} | {r['train_loss']:.4f} | {v} |")
    lines += ["", "## Limitations",
              "A small model trained briefly on one text: it imitates the surface of that text and knows nothing "
              "else. Generated text is not factual and can repeat itself.", ""]
    return "\n".join(line for line in lines if line is not None)
