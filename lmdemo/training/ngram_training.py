"""Counting an n-gram model of a text: the ``--model ngram`` branch of ``python -m lmdemo train``."""

import time

from lmdemo.lm.ngram_lm import NGramLM
from lmdemo.training.cards import machine
from lmdemo.tokenizers.tokenizer import train_tokenizer
from lmdemo.training.lm_training import final_scores
from lmdemo.training.run import TrainingRun


def train_ngram(train_text, val_text, out_dir, order=5, tokenizer="word", data=None, val_data=None, val_fraction=None,
                command=None, model_name=None, encrypt=False, log_fn=None, task="lm"):
    """Count an n-gram model of ``train_text``, score ``val_text`` and write a checkpoint with its card.

    ``log_fn``, when given, receives one record as the neural trainers send theirs (``step``,
    ``elapsed_s``, ``train_loss``, ``val_loss`` in nats per token): the loss on the training text's first
    characters (as many as the validation text has) and on the validation text. Counting has no steps:
    the record is step 1.
    """
    run = TrainingRun(out_dir, resume=False, encrypt=encrypt)
    started = time.time()
    tok = train_tokenizer(tokenizer, train_text)
    ids = tok.encode(train_text)
    lm = NGramLM.train(tok, ids, order=order)
    lm.task = task  # "poem" for a model of poem records
    run.prepare(lm)
    run.fingerprint(lm, [train_text])
    seconds = time.time() - started
    metrics = {"task": task, "name": model_name, "command": command, "model": lm.kind, "data": data,
               "val_data": val_data, "val_fraction": None if val_data else val_fraction, "order": order,
               "train_tokens": len(ids), "train_seconds": round(seconds, 1), "params": lm.num_params(),
               "discounts": lm.discounts, "machine": machine()}
    if val_text:
        metrics.update(final_scores(lm, val_text))
        if log_fn is not None:
            seen = final_scores(lm, train_text[:len(val_text)])
            log_fn({"step": 1, "elapsed_s": round(time.time() - started, 1),
                    "train_loss": seen["final_val_nats_per_token"], "val_loss": metrics["final_val_nats_per_token"]})
    run.write(lm, metrics)
    return lm
