"""Training the PII tagger: the ``ner`` task of ``python -m lmdemo train-task``.

Data are JSON-lines files of tagged texts (``lmdemo.data.tagged_examples``; ``python -m lmdemo
pii-data`` writes the synthetic mix of ``lmdemo.data.pii_synthesis``). Each text is cut into words
and read in windows of ``max_words`` words, as ``TaggerModel.tag`` reads it; the network learns the
BIO tag of every word. When training ends, the entity-level scores on the validation file are
measured at several thresholds, the threshold with the best F2 whose precision is at least
``min_precision`` is stored in the checkpoint, and the card gives the whole table.
"""

import dataclasses

import keras

from lmdemo.config import TaggerConfig
from lmdemo.data.tagged_examples import read_tagged
from lmdemo.tasks.bio import bio_labels, spans_to_tags, split_words, windows
from lmdemo.tokenizers import CharTokenizer
from lmdemo.training.cards import loss_history, machine, with_section
from lmdemo.training.example_trainer import TaggerTrainer
from lmdemo.training import distributed
from lmdemo.training.run import TrainingRun
from lmdemo.training.trainer import TrainConfig

THRESHOLDS = (0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
BETA = 2.0  # F2: recall counts twice as much as precision, as a sanitizer needs


def entity_scores(gold, predicted, types):
    """Entity-level precision, recall and F2 per type and over all ``types`` (micro).

    A predicted span is correct when it overlaps a gold span of the same type that no other
    prediction matched already (the overlap rule of Presidio's evaluator and of "partial" matching in
    SemEval 2013's NER scoring).

    Args:
        gold, predicted: for each text, ``(start, end, type, ...)`` spans.
        types: the entity types scored.

    Returns:
        ``{type: {"precision", "recall", "f2", "gold", "predicted"}, "all": {...}}``.

    Example:
        >>> entity_scores([[(0, 3, "PERSON")]], [[(1, 3, "PERSON", 0.9), (5, 9, "PERSON", 0.8)]], ["PERSON"])["all"]
        {'precision': 0.5, 'recall': 1.0, 'f2': 0.8333, 'gold': 1, 'predicted': 2}
    """
    counts = {t: [0, 0, 0] for t in types}  # true positives, gold, predicted
    for g_spans, p_spans in zip(gold, predicted):
        for t in types:
            g = sorted(s[:2] for s in g_spans if s[2] == t)
            p = sorted(s[:2] for s in p_spans if s[2] == t)
            used = [False] * len(g)
            for start, end in p:
                for k, (gs, ge) in enumerate(g):
                    if not used[k] and gs < end and start < ge:
                        used[k] = True
                        counts[t][0] += 1
                        break
            counts[t][1] += len(g)
            counts[t][2] += len(p)
    counts["all"] = [sum(counts[t][i] for t in types) for i in range(3)]
    return {t: _prf(*c) for t, c in counts.items()}


def _prf(tp, n_gold, n_pred):
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = (1 + BETA ** 2) * p * r / (BETA ** 2 * p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f2": round(f, 4), "gold": n_gold, "predicted": n_pred}


def tagged_windows(examples, labels, width, overlap):
    """Tagged texts → ``(words, tag ids)`` windows of at most ``width`` words, as the tagger reads them."""
    out = []
    for text, spans in examples:
        words = split_words(text)
        if not words:
            continue
        tags = spans_to_tags(words, spans, labels)
        for s, e in windows(len(words), width, overlap)[0]:
            out.append(([text[a:b] for a, b in words[s:e]], tags[s:e]))
    return out


def threshold_table(model, examples, thresholds=THRESHOLDS):
    """``{threshold: entity_scores}`` of ``model`` on tagged ``examples`` at each threshold (one forward pass)."""
    texts = [t for t, _ in examples]
    gold = [s for _, s in examples]
    types = model.config.entity_types
    return {th: entity_scores(gold, found, types) for th, found in zip(thresholds, model.tag_thresholds(texts,
                                                                                                         thresholds))}


def choose_threshold(table, min_precision=0.85):
    """The threshold of the best overall F2 among those with precision ≥ ``min_precision`` (else the best F2)."""
    ok = [th for th, s in table.items() if s["all"]["precision"] >= min_precision] or list(table)
    return max(ok, key=lambda th: (table[th]["all"]["f2"], -th))


def train_ner(data, out_dir, val_data=None, train_config=None, model_overrides=None, resume=True, command=None,
              progress=True, log_fn=None, model_name=None, max_train_examples=None, pause_after=None,
              should_stop=None, encrypt=False, types=("PERSON", "ADDRESS"), min_precision=0.85):
    """Train a ``TaggerModel`` on tagged texts and write its checkpoint folder (see the module docstring).

    Args:
        data, val_data: JSON-lines files of tagged texts (``.gz`` ok).
        types: the entity types learned; spans of other types are left outside.
        model_overrides: ``TaggerConfig`` fields.
        min_precision: the least overall precision the stored threshold may give on ``val_data``.
        The rest: as ``lmdemo.training.task_training.train_task``.

    Returns:
        the trained model.
    """
    from lmdemo.registry import load_model
    from lmdemo.tasks.tagger_model import TaggerModel

    cfg = train_config or TrainConfig()
    run = TrainingRun(out_dir, resume, encrypt)
    train = read_tagged(data)
    if max_train_examples:
        train = train[:max_train_examples]
    val = read_tagged(val_data) if val_data else None
    if run.resuming:
        model = load_model(out_dir)
    else:
        keras.utils.set_random_seed(cfg.seed)
        tok = CharTokenizer.train(t for t, _ in train)
        config = TaggerConfig(**{**(model_overrides or {}), "labels": bio_labels(types), "vocab_size": tok.vocab_size})
        model = TaggerModel.create(tok, config)
    model.task = "ner"
    run.prepare(model)
    c = model.config
    train_windows = tagged_windows(train, c.labels, c.max_words, c.window_overlap)
    val_windows = tagged_windows(val, c.labels, c.max_words, c.window_overlap) if val else None
    info = {"task": "ner", "name": model_name, "data": data, "val_data": val_data, "train_examples": len(train),
            "train_windows": len(train_windows), "val_examples": len(val) if val else 0, "command": command,
            "entity_counts": _entity_counts(train, c.entity_types)}

    def write(seconds, extra=None):
        last = trainer.history[-1] if trainer.history else {}
        metrics = {"step": trainer.step, "train_seconds": round(seconds, 1), "params": model.num_params(),
                   "train_loss": last.get("train_loss"), "val_loss": last.get("val_loss"),
                   "history": trainer.history, **info, "train_config": dataclasses.asdict(trainer.config),
                   "model_config": model.config.to_dict(), "machine": machine(), **(extra or {})}
        card = with_section(model_card(model, metrics), "How to use", [
            "```python", "import lmdemo", f"model = lmdemo.load_model({(model_name or out_dir)!r})",
            'model.tag(["Why is Rebecca so impulsive?"])  # [(start, end, type, score), ...]', "```",
            "The evaluation harness's sanitizer (`evals.privacy`) runs it beside its patterns."])
        if distributed.is_main_process():  # one writer in a multi-process run
            model.save(out_dir, card=card, metrics=metrics)

    trainer = TaggerTrainer(model.network, cfg, layout=model.layout, max_words=c.max_words,
                            save_fn=lambda step, record: write(run.seconds()), state_dir=run.state_dir,
                            log_fn=log_fn, progress=progress, should_stop=should_stop)
    run.fit(trainer, train_windows, val_windows, pause_after=pause_after)
    if val and not trainer.interrupted:
        table = threshold_table(model, val)
        model.config.threshold = choose_threshold(table, min_precision)
        write(run.seconds(), {"final": {"threshold": model.config.threshold, "min_precision": min_precision,
                                        "thresholds": {str(k): v for k, v in table.items()}}})
    return model


def _entity_counts(examples, types):
    counts = {t: 0 for t in types}
    for _, spans in examples:
        for s in spans:
            if s[2] in counts:
                counts[s[2]] += 1
    return counts


def model_card(model, m):
    """The card of a tagger checkpoint: what it is, the data, the command, the measured scores."""
    c = model.config
    lines = [f"# {m.get('name') or 'pii tagger'}", "",
             f"{model.describe()}; {model.num_params():,} parameters, trained with lmdemo "
             f"(`python -m lmdemo train-task ner`).", "", "## Data",
             f"- training: `{m['data']}` ({m['train_examples']:,} texts, {m['train_windows']:,} windows; "
             + ", ".join(f"{n:,} {t}" for t, n in m["entity_counts"].items()) + ")"]
    if m.get("val_data"):
        lines.append(f"- validation: `{m['val_data']}` ({m['val_examples']:,} texts)")
    t = m["train_config"]
    lines += ["", "## How it was trained", "```", m.get("command") or "(called from Python)", "```",
              f"AdamW (peak learning rate {t['learning_rate']}, {t['warmup_steps']} warmup steps, cosine decay to {t['min_learning_rate']}, "
              f"weight decay {t['weight_decay']}), batches of {t['batch_size']} windows, dropout {c.dropout}, "
              f"seed {t['seed']}; {m['step']:,} steps in {m['train_seconds'] / 60:.1f} minutes on {m['machine']}."]
    final = m.get("final")
    if final:
        lines += ["", "## Measured", f"Entity-level scores on the validation file (a prediction is right when it "
                  f"overlaps a gold entity of its type); the stored threshold is **{final['threshold']}**, the best "
                  f"F2 with precision ≥ {final['min_precision']}:", "",
                  "| threshold | type | precision | recall | F2 | gold | predicted |", "|---|---|---|---|---|---|---|"]
        for th, scores in final["thresholds"].items():
            for typ, s in scores.items():
                lines.append(f"| {th} | {typ} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f2']:.3f} | "
                             f"{s['gold']:,} | {s['predicted']:,} |")
    if m.get("history"):
        lines += ["", "Validation loss during training:", ""] + loss_history(m["history"])
    return "\n".join(lines) + "\n"
