"""Training the applications' models: the function behind ``python -m lmdemo train-task``.

- ``translation`` and ``summarization``: an encoder–decoder (``Seq2SeqModel``) on
  (source, target) pairs, one byte-level BPE vocabulary for both sides;
- ``sentiment``: a Transformer-encoder classifier (``SentimentModel``) on (text, label) pairs,
  with a bag-of-n-grams baseline trained on the same data for the card.

Each run writes a checkpoint folder with a model card holding the exact command, the
training time and the validation scores measured at the end (BLEU, ROUGE or accuracy, by
the evaluation harness's own scorers).
"""

import dataclasses
import os
import re
import time

import keras
import numpy as np

from lmdemo.checkpoint import read_metrics
from lmdemo.config import ClassifierConfig, EncoderDecoderConfig
from lmdemo.example_trainer import ClassifierTrainer, Seq2SeqTrainer
from lmdemo.task_data import TASKS, load_examples
from lmdemo.tokenizers import BPETokenizer, WordTokenizer
from lmdemo.trainer import STATE_DIR, TrainConfig
from lmdemo.training import machine, storage_note


def train_task(task, data, out_dir, val_data=None, train_config=None, model_overrides=None, bpe_vocab_size=8000,
               label_smoothing=0.1, resume=True, command=None, progress=True, log_fn=None, model_name=None,
               max_train_examples=None, pause_after=None, final_beams=4, should_stop=None, encrypt=False,
               init_from=None, tokenizer="bpe", word_vocab_size=None, ngram_expert=False):
    """Train the model of ``task`` on ``data`` and write a checkpoint folder to ``out_dir``.

    Args:
        task: ``"translation"``, ``"summarization"``, ``"sentiment"``, or ``"masked-lm"``
            (pre-training an encoder for ``sentiment``'s ``init_from``).
        data, val_data: training and validation files (see ``lmdemo.task_data``); for
            ``masked-lm``, text files joined by commas (``load_texts``).
        init_from: a checkpoint to start from, with its tokenizer. Sentiment: a ``masked-lm`` or
            ``encoder-decoder`` checkpoint whose encoder the classifier starts from (its size
            comes from there). Translation, summarization: an ``encoder-decoder`` checkpoint
            whose weights this run continues from (a second stage, with a fresh schedule); only
            ``dropout`` and ``copy_attention`` may differ, and layers it lacks start fresh.
        train_config: a ``TrainConfig`` (batch size counts examples).
        model_overrides: ``EncoderDecoderConfig`` or ``ClassifierConfig`` fields.
        bpe_vocab_size: the BPE vocabulary learned from the training data.
        label_smoothing: for the sequence-to-sequence models.
        resume: continue from ``out_dir/train_state`` if a previous run left one.
        command: the command line recorded in the card.
        max_train_examples: use only the first N training examples (smoke tests).
        pause_after, should_stop: stop early, resumably (as ``lmdemo.trainer.Trainer``).
        final_beams: the beam width of the final translation/summary scores (greedy is scored too).
        encrypt: store the checkpoint encrypted (key or passphrase from the environment).
        tokenizer: ``"bpe"`` (byte-level BPE of ``bpe_vocab_size`` tokens) or, for sentiment and
            masked-lm, ``"word"``: the training words, lower-cased and split as the Penn Treebank does.
        word_vocab_size: with ``tokenizer="word"``, keep only the most frequent words (None: all).
        ngram_expert: sentiment: when training ends, add a bag-of-n-grams expert fitted on ``data``
            (``add_ngram_expert``), whose probabilities multiply the Transformer's.

    Returns:
        the trained model.
    """
    from lmdemo.models import load_model

    if tokenizer not in ("bpe", "word") or (tokenizer == "word" and task not in ("sentiment", "masked-lm")):
        raise ValueError(f"tokenizer must be 'bpe' (or 'word' for sentiment and masked-lm), received "
                         f"tokenizer={tokenizer!r} for task={task!r}")
    if word_vocab_size is not None and (isinstance(word_vocab_size, bool) or not isinstance(word_vocab_size, int)
                                        or word_vocab_size < 3):
        raise ValueError(f"word_vocab_size must be an int ≥ 3 (the words and <unk>, <eos>) or None, received "
                         f"word_vocab_size={word_vocab_size!r}")
    if ngram_expert and task != "sentiment":
        raise ValueError(f"ngram_expert is for task='sentiment', received task={task!r}")
    if task == "masked-lm":
        return _pretrain(data, out_dir, val_data, train_config or TrainConfig(), model_overrides or {}, bpe_vocab_size,
                         resume, command, progress, log_fn, model_name, pause_after, should_stop, encrypt, tokenizer,
                         word_vocab_size, init_from)
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS + ('masked-lm',)}, received task={task!r}")
    cfg = train_config or TrainConfig()
    loaded, earlier = {}, []
    train = load_examples(task, data, skip_empty=True, report=loaded)
    if max_train_examples:
        train = train[:max_train_examples]
    val = load_examples(task, val_data) if val_data else None
    state_dir = os.path.join(out_dir, STATE_DIR)
    resuming = resume and os.path.isfile(os.path.join(state_dir, "state.json"))
    if resuming:
        model, earlier = load_model(out_dir), _earlier_stages(out_dir, include_own=False)
    elif init_from:
        model, earlier = _from_pretrained(init_from, task, model_overrides or {}, cfg.seed)
    else:
        keras.utils.set_random_seed(cfg.seed)
        texts = [x for x, _ in train] + ([y for _, y in train] if task != "sentiment" else [])
        tok = _train_tokenizer(texts, tokenizer, bpe_vocab_size, word_vocab_size)
        model = _new_model(task, tok, model_overrides or {})
    if encrypt and model.encryption is None:
        from lmdemo.encryption import for_saving

        model.encryption = for_saving()
    c = model.config
    if task == "sentiment":
        encode = lambda pairs: [(model.tokenizer.encode(x)[:c.max_length], y) for x, y in pairs]  # noqa: E731
        trainer_args = dict(max_length=c.max_length)
        trainer_class = ClassifierTrainer
    else:
        encode = lambda pairs: [(model.tokenizer.encode(x)[:c.max_source_length],  # noqa: E731
                                 model.tokenizer.encode(y)[:c.max_target_length - 1]) for x, y in pairs]
        trainer_args = dict(start_id=model.start_id, max_source_length=c.max_source_length,
                            max_target_length=c.max_target_length, label_smoothing=label_smoothing)
        trainer_class = Seq2SeqTrainer
    train_ids = encode(train)
    val_ids = encode(val) if val else None
    info = {"task": task, "data": data, "val_data": val_data, "train_examples": len(train), "init_from": init_from,
            "command": command, "earlier_stages": earlier,
            "skipped_empty_train": loaded["skipped_empty"],
            "val_examples": len(val) if val else 0,
            "truncated_train_inputs": int(sum(len(model.tokenizer.encode(x)) > _input_cap(c) for x, _ in train[:2000])),
            "truncated_sample": min(2000, len(train))}
    started = time.time()
    previous = 0.0

    def write(seconds, extra=None):
        last = trainer.history[-1] if trainer.history else {}
        metrics = {"task": task, "step": trainer.step, "train_seconds": round(seconds, 1), "params": model.num_params(),
                   "train_loss": last.get("train_loss"), "val_loss": last.get("val_loss"), "history": trainer.history,
                   **info, "train_config": dataclasses.asdict(cfg), "model_config": c.to_dict(), "machine": machine(),
                   "label_smoothing": label_smoothing if task != "sentiment" else None, **(extra or {})}
        model.save(out_dir, card=task_card(model, metrics, cfg, command, model_name), metrics=metrics)

    trainer = trainer_class(model.network, cfg, save_fn=lambda step, record: write(time.time() - started + previous),
                            state_dir=state_dir, log_fn=log_fn, progress=progress, should_stop=should_stop,
                            **trainer_args)
    if resuming:
        trainer.load_state()
        previous = trainer.history[-1]["elapsed_s"] if trainer.history else 0.0
    trainer.fit(train_ids, val_ids, pause_after=pause_after)
    if val and not trainer.interrupted:
        seconds = time.time() - started + previous
        write(seconds, final_task_scores(task, model, val, train, final_beams))
    if ngram_expert and not trainer.interrupted:
        model = add_ngram_expert(out_dir, data, val_data, command=command)
    return model


def _from_pretrained(init_from, task, overrides, seed):
    """The model a run starts from, and the training stages behind it (see ``train_task``'s ``init_from``)."""
    from lmdemo.models import load_model

    pretrained = load_model(init_from)
    if task == "sentiment":
        return _classifier_from(init_from, pretrained, overrides, seed), []
    if pretrained.kind != "encoder-decoder":
        raise ValueError(f"init_from={init_from!r} is a {pretrained.kind!r} model; {task} continues from an "
                         f"'encoder-decoder' checkpoint")
    from lmdemo.seq2seq_model import Seq2SeqModel

    shape = pretrained.config.to_dict()
    clash = sorted(k for k in overrides if k not in ("dropout", "copy_attention") and overrides[k] != shape[k])
    if clash:
        raise ValueError(f"init_from={init_from!r} fixes {', '.join(clash)}; leave them out")
    keras.utils.set_random_seed(seed)
    model = Seq2SeqModel.create(pretrained.tokenizer, EncoderDecoderConfig(**{**shape, **overrides}))
    inner = lambda v: v.path.split("/", 1)[1]  # noqa: E731  (the path without the network's own name)
    weights = {inner(v): v for v in pretrained.network.variables}
    for v in model.network.variables:
        if inner(v) in weights:
            v.assign(np.array(weights[inner(v)].numpy()))  # a fresh buffer per variable (the trainer donates them)
    return model, _earlier_stages(init_from)


def _earlier_stages(path, include_own=True):
    """The training stages recorded in a checkpoint's ``metrics.json``: its own earlier ones, then
    (unless ``include_own`` is False: a resumed run is that run) the run that wrote it."""
    metrics = read_metrics(path)
    if metrics is None:
        return []
    own = {k: metrics.get(k) for k in ("command", "step", "train_seconds")}
    return list(metrics.get("earlier_stages") or []) + ([own] if include_own else [])


def _classifier_from(init_from, pretrained, overrides, seed):
    """A sentiment classifier whose tokenizer and encoder come from a pre-trained checkpoint: a
    masked language model (BERT's recipe) or a translation model's encoder (CoVe's, McCann et al., 2017)."""
    from lmdemo.sentiment_model import SentimentModel

    c = pretrained.config
    if pretrained.kind == "masked-lm":
        shape = c.to_dict()
        encoder = pretrained.network.encoder
    elif pretrained.kind == "encoder-decoder":
        shape = dict(vocab_size=c.vocab_size, max_length=c.max_source_length, num_layers=c.encoder_layers,
                     num_heads=c.num_heads, d_model=c.d_model, hidden_dim=c.hidden_dim, activation=c.activation,
                     dropout=c.dropout, layer_norm_epsilon=c.layer_norm_epsilon)
        encoder = pretrained.network.encoder
    else:
        raise ValueError(f"init_from={init_from!r} is a {pretrained.kind!r} model; give a 'masked-lm' or an "
                         f"'encoder-decoder' checkpoint")
    fixed = {"vocab_size", "max_length", "num_layers", "num_heads", "d_model", "hidden_dim", "activation"}
    clash = sorted(k for k in set(overrides) & fixed if overrides[k] != shape.get(k))
    if clash:
        raise ValueError(f"init_from={init_from!r} fixes {', '.join(clash)}; leave them out")
    keras.utils.set_random_seed(seed)
    config = ClassifierConfig(**{**shape, **overrides})
    model = SentimentModel.create(pretrained.tokenizer, config)
    model.network.encoder.set_weights(encoder.get_weights())
    return model


def _pretrain(data, out_dir, val_data, cfg, overrides, bpe_vocab_size, resume, command, progress, log_fn, model_name,
              pause_after, should_stop, encrypt, tokenizer="bpe", word_vocab_size=None, init_from=None):
    """Masked-LM pre-training of an encoder on plain texts (one per line); ``init_from`` continues a
    ``masked-lm`` checkpoint (a second stage with a fresh schedule, its tokenizer and size)."""
    from lmdemo.example_trainer import MaskedLMTrainer
    from lmdemo.masked_lm import MaskedLMModel
    from lmdemo.models import load_model
    from lmdemo.task_data import load_texts

    texts = load_texts(data)
    val = load_texts(val_data) if val_data else None
    state_dir = os.path.join(out_dir, STATE_DIR)
    resuming = resume and os.path.isfile(os.path.join(state_dir, "state.json"))
    if resuming:
        model, earlier = load_model(out_dir), _earlier_stages(out_dir, include_own=False)
    elif init_from:
        model = load_model(init_from)
        if model.kind != "masked-lm":
            raise ValueError(f"init_from={init_from!r} is a {model.kind!r} model; masked-lm continues a 'masked-lm' "
                             f"checkpoint")
        earlier = _earlier_stages(init_from)
    else:
        earlier = []
        keras.utils.set_random_seed(cfg.seed)
        tok = _train_tokenizer(texts, tokenizer, bpe_vocab_size, word_vocab_size)
        model = MaskedLMModel.create(tok, ClassifierConfig(**{**overrides, "vocab_size": tok.vocab_size}))
    if encrypt and model.encryption is None:
        from lmdemo.encryption import for_saving

        model.encryption = for_saving()
    c = model.config
    encode = lambda rows: [ids for ids in (model.tokenizer.encode(t)[:c.max_length] for t in rows) if ids]  # noqa: E731
    train_ids = encode(texts)
    val_ids = encode(val) if val else None
    started, previous = time.time(), 0.0

    def write(seconds):
        last = trainer.history[-1] if trainer.history else {}
        metrics = {"task": "masked-lm", "step": trainer.step, "train_seconds": round(seconds, 1),
                   "params": model.num_params(), "train_loss": last.get("train_loss"), "val_loss": last.get("val_loss"),
                   "history": trainer.history, "data": data, "val_data": val_data, "train_examples": len(train_ids),
                   "val_examples": len(val_ids or []), "init_from": init_from, "command": command,
                   "earlier_stages": earlier, "train_config": dataclasses.asdict(cfg),
                   "model_config": c.to_dict(), "machine": machine()}
        model.save(out_dir, card=task_card(model, metrics, cfg, command, model_name), metrics=metrics)

    trainer = MaskedLMTrainer(model.network, cfg, mask_id=model.mask_id, max_length=c.max_length,
                              vocab_size=c.vocab_size, save_fn=lambda step, record: write(time.time() - started + previous),
                              state_dir=state_dir, log_fn=log_fn, progress=progress, should_stop=should_stop)
    if resuming:
        trainer.load_state()
        previous = trainer.history[-1]["elapsed_s"] if trainer.history else 0.0
    trainer.fit(train_ids, val_ids, pause_after=pause_after)
    return model


def _train_tokenizer(texts, tokenizer, bpe_vocab_size, word_vocab_size):
    """A byte-level BPE (``"bpe"``) or a normalized word tokenizer (``"word"``) learned from ``texts``."""
    if tokenizer == "word":
        return WordTokenizer.train("\n".join(texts), max_vocab=word_vocab_size, normalize=True)
    return BPETokenizer.train(texts, vocab_size=bpe_vocab_size)


def _input_cap(config):
    return getattr(config, "max_source_length", None) or config.max_length


def _new_model(task, tok, overrides):
    if task == "sentiment":
        from lmdemo.sentiment_model import SentimentModel

        return SentimentModel.create(tok, ClassifierConfig(**{**overrides, "vocab_size": tok.vocab_size}))
    from lmdemo.seq2seq_model import Seq2SeqModel

    defaults = {"summarization": dict(max_source_length=384, max_target_length=96)}.get(task, {})
    return Seq2SeqModel.create(tok, EncoderDecoderConfig(**{**defaults, **overrides, "vocab_size": tok.vocab_size}))


def final_task_scores(task, model, val, train, beams):
    """The validation scores the card reports, measured by the evaluation harness's scorers."""
    from evals.scoring.bleu import corpus_bleu
    from evals.scoring.rouge import rouge

    started = time.time()
    if task == "sentiment":
        from lmdemo.bag_of_ngrams import BagOfNgrams

        texts, labels = [x for x, _ in val], np.asarray([y for _, y in val])
        results = model.classify(texts)
        scores = {"accuracy": float(np.mean([r["label_id"] for r in results] == labels))}
        for name in results[0].get("experts", ()):  # each expert alone, when the model has two
            scores[f"{name}_accuracy"] = _accuracy([r["experts"][name] for r in results], labels)
        baseline = BagOfNgrams.train([x for x, _ in train], [y for _, y in train])
        base_pred = baseline.predict(texts)
        return {"final": {**scores, "baseline_accuracy": float(np.mean(base_pred == labels)),
                          "baseline": baseline.describe(), "seconds": round(time.time() - started, 1)}}
    if task == "translation":
        grouped = {}
        for src, ref in val:
            grouped.setdefault(src, []).append(ref)
        sources = list(grouped)
        refs = [grouped[s] for s in sources]
        out = {"sources": len(sources), "references": len(val)}
        for name, n in (("greedy", 1), (f"beam{beams}", beams)):
            t = time.time()
            hyps = [r["text"] for r in model.generate(sources, num_beams=n)]
            out[name] = {"bleu": corpus_bleu(hyps, refs)["score"], "seconds": round(time.time() - t, 1)}
        return {"final": out}
    from lmdemo.extractive import lead_k

    docs, refs = [x for x, _ in val], [y for _, y in val]
    from lmdemo.extractive import textrank

    out = {"documents": len(docs), "lead-3": _rouge_row(rouge, [lead_k(d, 3) for d in docs], refs),
           "textrank-3": _rouge_row(rouge, [textrank(d, 3) for d in docs], refs)}
    # repeated phrases are the abstractive summarizer's commonest fault: also decode without them
    for name, n, no_repeat in (("greedy", 1, 0), (f"beam{beams}", beams, 0), ("greedy, no repeated 3-gram", 1, 3),
                               (f"beam{beams}, no repeated 3-gram", beams, 3)):
        t = time.time()
        results = model.generate(docs, num_beams=n, no_repeat_ngram_size=no_repeat)
        out[name] = {**_rouge_row(rouge, [r["text"] for r in results], refs), "seconds": round(time.time() - t, 1),
                     "truncated_inputs": sum(r["truncated"] for r in results)}
    return {"final": out}


def _accuracy(probabilities, labels):
    """Accuracy of the most probable label of each ``{label name: probability}`` dict (in label order)."""
    return float(np.mean(np.argmax([list(p.values()) for p in probabilities], axis=1) == labels))


def _rouge_row(rouge, predictions, references):
    scores = rouge(predictions, references, rouge_types=["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    return {k: 100 * float(scores[k]) for k in ("rouge1", "rouge2", "rougeL")}


def _all_stages(stages, metrics):
    """The card's note on the total of several training stages; empty for a single stage."""
    if not stages:
        return ""
    steps = sum(s.get("step") or 0 for s in stages) + metrics["step"]
    minutes = (sum(s.get("train_seconds") or 0 for s in stages) + metrics["train_seconds"]) / 60
    return f" (this stage; all {len(stages) + 1} stages: {steps:,} steps in {minutes:.1f} minutes)"


def _tokenizer_phrase(tok):
    if tok.type_name == "word":
        return (f"word tokenizer ({tok.vocab_size:,} words" + (", lower-cased and split as the Penn Treebank does"
                                                              if tok.normalize else "") + ")")
    return f"byte-level BPE tokenizer with {tok.vocab_size:,} tokens"


def sentiment_rows(final):
    """The card's accuracy table: the model, each of its experts alone (if it has two), the baseline."""
    rows = ["| validation | accuracy |", "|---|---|", f"| this model | {final['accuracy']:.4f} |"]
    if "ngrams_accuracy" in final:
        rows += [f"| its Transformer alone | {final['transformer_accuracy']:.4f} |",
                 f"| its n-gram expert alone | {final['ngrams_accuracy']:.4f} |"]
    return rows + [f"| baseline: {final['baseline']} | {final['baseline_accuracy']:.4f} |"]


def add_ngram_expert(path, data, val_data=None, C=1.0, command=None):
    """Fit a bag-of-n-grams expert on ``data`` and store it in the classifier checkpoint at ``path``.

    The classifier's probabilities are then the renormalized product of its Transformer's and the
    expert's (see ``lmdemo.sentiment_model``). With ``val_data``, the accuracy of the product, of
    each expert alone and of the baseline are measured, written to ``metrics.json["final"]`` and to
    a section of the card. The checkpoint keeps its encryption and precision.

    Returns:
        the model, with its expert.
    """
    from lmdemo.bag_of_ngrams import BagOfNgrams
    from lmdemo.models import load_model

    model = load_model(path)
    if model.kind != "classifier":
        raise ValueError(f"path={path!r} holds a {model.kind!r} model; an n-gram expert joins a 'classifier'")
    if isinstance(C, bool) or not isinstance(C, (int, float)) or not C > 0:
        raise ValueError(f"C must be a positive number, received C={C!r}")
    train = load_examples("sentiment", data)
    val = load_examples("sentiment", val_data) if val_data else None
    started = time.time()
    expert = BagOfNgrams.train([x for x, _ in train], [y for _, y in train], C=C)
    model.ngram_expert = expert
    metrics = read_metrics(path) or {}
    section = ["## The n-gram expert", "",
               f"Added after training: {expert.describe()}, fitted on `{data}` ({len(train):,} examples) in "
               f"{time.time() - started:.0f} seconds, with", "```", command or "(added from Python)", "```",
               "The classifier's label probabilities are the renormalized product of the Transformer's and this "
               "expert's."]
    metrics["ngram_expert"] = {"data": data, "examples": len(train), "C": expert.C, "features": len(expert.ngrams),
                               "command": command}
    card = re.sub(r"\n*## The n-gram expert\n.*?(?=\n## |\Z)", "", model.card or "", flags=re.S).rstrip("\n")
    if val:
        old_rows = "\n".join(sentiment_rows(metrics["final"])) if "accuracy" in metrics.get("final", {}) else None
        metrics["final"] = final_task_scores("sentiment", model, val, train, beams=1)["final"]
        new_rows = sentiment_rows(metrics["final"])
        if old_rows and old_rows in card:  # the card's own table now measures the model with its expert
            card = card.replace(old_rows, "\n".join(new_rows))
        section += ["", f"On `{val_data}` ({len(val):,} examples):", ""] + new_rows
    else:
        if "final" in metrics:  # scores of the model before this expert: not this model's any more
            metrics["final_before_ngram_expert"] = metrics.pop("final")
        section += ["", "Not measured with this expert (no validation data given): any scores above are those "
                        "of the model before it."]
    model.save(path, card=card + "\n\n" + "\n".join(section) + "\n", metrics=metrics)
    return model


def task_card(model, metrics, cfg, command, name=None):
    """The Markdown card of a task model: what it is, the data, the exact command, measured scores."""
    task = metrics["task"]
    lines = [f"# {name or f'lmdemo {task} model'}", "",
             f"{model.describe()}; {_tokenizer_phrase(model.tokenizer)}, "
             f"{metrics['params']:,} parameters, trained with lmdemo. " + storage_note(model, ["model.weights.h5", "tokenizer.json"]),
             "", "## Data",
             f"- training: `{metrics['data']}` ({metrics['train_examples']:,} examples"
             + (f"; {metrics['skipped_empty_train']} with an empty text left out" if metrics.get("skipped_empty_train")
                else "") + ")"]
    if metrics.get("val_data"):
        lines.append(f"- validation: `{metrics['val_data']}` ({metrics['val_examples']:,} examples)")
    if metrics.get("init_from") and task == "sentiment":
        lines.append(f"- started from the pre-trained encoder of `{metrics['init_from']}` (its tokenizer too)")
    elif metrics.get("init_from"):
        lines.append(f"- continued from the weights of `{metrics['init_from']}` (its tokenizer too; layers it lacks "
                     f"started fresh)")
    lines += ["", "## How it was trained"]
    stages = metrics.get("earlier_stages") or []
    for i, stage in enumerate(stages, 1):
        seconds = stage.get("train_seconds")
        minutes = "time not recorded" if seconds is None else f"{seconds / 60:.1f} minutes"
        lines += [f"Stage {i} ({stage.get('step') or 0:,} steps, {minutes}):", "```",
                  stage.get("command") or "(no command recorded)", "```"]
    if stages:
        lines.append(f"Stage {len(stages) + 1}, this run:")
    lines += ["```", command or "(trained from Python; no command recorded)", "```",
              f"AdamW (peak learning rate {cfg.learning_rate:g}, {cfg.warmup_steps} warmup steps, cosine decay to "
              f"{cfg.min_learning_rate:g}, weight decay {cfg.weight_decay:g}, gradient norm clipped at {cfg.grad_clip:g}), "
              f"batches of {cfg.batch_size} examples of similar length, dropout {model.config.dropout:g}"
              + (f", label smoothing {metrics['label_smoothing']:g}" if metrics.get("label_smoothing") else "")
              + f", seed {cfg.seed}.", "", "## Measured",
              f"On {metrics['machine']}, {metrics['step']:,} steps in {metrics['train_seconds'] / 60:.1f} minutes"
              + _all_stages(stages, metrics) + ".", ""]
    final = metrics.get("final")
    if final and task == "sentiment":
        lines += sentiment_rows(final) + [""]
    elif final and task == "translation":
        lines += [f"BLEU (sacrebleu, 13a tokenization) on the {final['sources']:,} distinct validation sources, "
                  f"each with all its references ({final['references']:,} in all):", "",
                  "| decoding | BLEU | seconds |", "|---|---|---|"]
        lines += [f"| {k} | {v['bleu']:.2f} | {v['seconds']:.0f} |" for k, v in final.items() if isinstance(v, dict)]
        lines.append("")
    elif final:
        lines += [f"ROUGE F1 (×100; the evaluation harness's `rouge`, Porter-stemmed) on {final['documents']:,} validation "
                  f"dialogues:", "", "| method | ROUGE-1 | ROUGE-2 | ROUGE-L |", "|---|---|---|---|"]
        lines += [f"| {k} | {v['rouge1']:.2f} | {v['rouge2']:.2f} | {v['rougeL']:.2f} |" for k, v in final.items()
                  if isinstance(v, dict)]
        lines.append("")
    lines += ["Validation loss during training:", "", "| step | minutes | train loss | val loss |", "|---|---|---|---|"]
    for r in metrics["history"]:
        v = f"{r['val_loss']:.4f}" if "val_loss" in r else ""
        lines.append(f"| {r['step']} | {r['elapsed_s'] / 60:.1f} | {r['train_loss']:.4f} | {v} |")
    if task == "masked-lm":
        lines.append("Loss: cross-entropy of the original token at the masked positions (15% of tokens).")
        lines.append("")
    lines += ["", "## Limitations", LIMITS[task], ""]
    return "\n".join(lines)


LIMITS = {
    "masked-lm": "Pre-trained briefly on a few million words; a starting point for fine-tuning, not a model to use "
                 "on its own.",
    "translation": "Trained on short Tatoeba sentence pairs only: long, technical or idiomatic text translates poorly. "
                   "Inputs longer than the source window are cut (the result says so).",
    "summarization": "Trained on 14,732 invented messenger dialogues: it writes summaries in that style, names people "
                     "from the dialogue and can state things the dialogue does not say. Check every summary.",
    "sentiment": "Trained on movie-review phrases (SST-2): other domains, sarcasm and negation over long spans are "
                 "often misread. Labels are positive/negative only.",
}
