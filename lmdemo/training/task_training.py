"""Training the applications' models: the function behind ``python -m lmdemo train-task``.

- ``translation`` and ``summarization``: an encoder–decoder (``Seq2SeqModel``) on
  (source, target) pairs, one byte-level BPE vocabulary for both sides;
- ``sentiment``: a Transformer-encoder classifier (``SentimentModel``) on (text, label) pairs,
  with a bag-of-n-grams baseline trained on the same data for the card;
- ``masked-lm``: BERT's pre-training of an encoder on plain texts, the starting point of a classifier.

Each run writes a checkpoint folder with a model card holding the exact command, the training
time and the validation scores measured at the end (``lmdemo.training.task_scores``).
"""

import dataclasses

import keras
import numpy as np

from lmdemo.config import ClassifierConfig, EncoderConfig, EncoderDecoderConfig
from lmdemo.data.examples import load_examples, load_texts
from lmdemo.registry import TRAIN_TASKS
from lmdemo.storage.checkpoint import read_metrics
from lmdemo.tokenizers import BPETokenizer, WordTokenizer
from lmdemo.training.cards import machine, sentiment_rows, with_section
from lmdemo.training.example_trainer import ClassifierTrainer, MaskedLMTrainer, Seq2SeqTrainer
from lmdemo.training.run import TrainingRun
from lmdemo.training.task_scores import final_task_scores
from lmdemo.training.trainer import TrainConfig

def train_task(task, data, out_dir, val_data=None, train_config=None, model_overrides=None, bpe_vocab_size=8000,
               label_smoothing=0.1, resume=True, command=None, progress=True, log_fn=None, model_name=None,
               max_train_examples=None, pause_after=None, final_beams=4, should_stop=None, encrypt=False,
               init_from=None, tokenizer="bpe", word_vocab_size=None, ngram_expert=False):
    """Train the model of ``task`` on ``data`` and write a checkpoint folder to ``out_dir``.

    Args:
        task: ``"translation"``, ``"summarization"``, ``"sentiment"``, or ``"masked-lm"``
            (pre-training an encoder for ``sentiment``'s ``init_from``).
        data, val_data: training and validation files (see ``lmdemo.data.examples``); for
            ``masked-lm``, text files joined by commas (``load_texts``).
        init_from: a checkpoint to start from, with its tokenizer. Sentiment: a ``masked-lm`` or
            ``encoder-decoder`` checkpoint whose encoder the classifier starts from (its size
            comes from there), or a ``classifier`` (a Hugging Face BERT folder) whose encoder and
            pooler it starts from, with a new label head. Translation, summarization: an
            ``encoder-decoder`` checkpoint whose weights this run continues from (a second stage,
            with a fresh schedule); only ``dropout`` and ``copy_attention`` may differ, and layers
            it lacks start fresh.
        train_config: a ``TrainConfig`` (batch size counts examples).
        model_overrides: ``EncoderDecoderConfig``, ``ClassifierConfig`` or (masked-lm) ``EncoderConfig`` fields.
        bpe_vocab_size: the BPE vocabulary learned from the training data.
        label_smoothing: for the sequence-to-sequence models.
        resume: continue from ``out_dir/train_state`` if a previous run left one.
        command: the command line recorded in the card.
        max_train_examples: use only the first N training examples (smoke tests).
        pause_after, should_stop: stop early, resumably (as ``lmdemo.training.trainer.Trainer``).
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
    from lmdemo.registry import load_model

    if task not in TRAIN_TASKS:
        raise ValueError(f"task must be one of {TRAIN_TASKS}, received task={task!r}")
    if tokenizer not in ("bpe", "word") or (tokenizer == "word" and task not in ("sentiment", "masked-lm")):
        raise ValueError(f"tokenizer must be 'bpe' (or 'word' for sentiment and masked-lm), received "
                         f"tokenizer={tokenizer!r} for task={task!r}")
    if word_vocab_size is not None and (isinstance(word_vocab_size, bool) or not isinstance(word_vocab_size, int)
                                        or word_vocab_size < 3):
        raise ValueError(f"word_vocab_size must be an int ≥ 3 (the words and <unk>, <eos>) or None, received "
                         f"word_vocab_size={word_vocab_size!r}")
    if ngram_expert and task != "sentiment":
        raise ValueError(f"ngram_expert is for task='sentiment', received task={task!r}")
    cfg = train_config or TrainConfig()
    run = TrainingRun(out_dir, resume, encrypt)
    if task == "masked-lm":
        return _pretrain(run, data, val_data, cfg, model_overrides or {}, bpe_vocab_size, command, progress, log_fn,
                         model_name, pause_after, should_stop, tokenizer, word_vocab_size, init_from)
    loaded, earlier = {}, []
    train = load_examples(task, data, skip_empty=True, report=loaded)
    if max_train_examples:
        train = train[:max_train_examples]
    val = load_examples(task, val_data) if val_data else None
    if run.resuming:
        model, earlier = load_model(out_dir), _earlier_stages(out_dir, include_own=False)
    elif init_from:
        model, earlier = _from_pretrained(init_from, task, model_overrides or {}, cfg.seed)
    else:
        keras.utils.set_random_seed(cfg.seed)
        texts = [x for x, _ in train] + ([y for _, y in train] if task != "sentiment" else [])
        tok = _train_tokenizer(texts, tokenizer, bpe_vocab_size, word_vocab_size)
        model = _new_model(task, tok, model_overrides or {})
    model.task = task
    run.prepare(model)
    run.fingerprint(model, [x for x, _ in train] + [y for _, y in train if isinstance(y, str)])
    c = model.config
    if task == "sentiment":
        encode = lambda pairs: [(model.input_ids(model.tokenizer.encode(x)), y) for x, y in pairs]  # noqa: E731
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
    info = {"task": task, "name": model_name, "data": data, "val_data": val_data, "train_examples": len(train),
            "init_from": init_from, "command": command, "earlier_stages": earlier,
            "skipped_empty_train": loaded["skipped_empty"], "val_examples": len(val) if val else 0,
            "truncated_train_inputs": int(sum(len(model.tokenizer.encode(x)) > _input_cap(c) for x, _ in train[:2000])),
            "truncated_sample": min(2000, len(train)),
            "label_smoothing": label_smoothing if task != "sentiment" else None}

    def write(seconds, extra=None):
        run.write(model, {**_metrics(model, trainer, info, seconds), **(extra or {})})

    trainer = trainer_class(model.network, cfg, save_fn=lambda step, record: write(run.seconds()),
                            state_dir=run.state_dir, log_fn=log_fn, progress=progress, should_stop=should_stop,
                            **trainer_args)
    run.fit(trainer, train_ids, val_ids, pause_after=pause_after)
    if val and not trainer.interrupted:
        seconds = run.seconds()
        write(seconds, final_task_scores(task, model, val, train, final_beams))
    if ngram_expert and not trainer.interrupted:
        model = add_ngram_expert(out_dir, data, val_data, command=command)
    return model


def _metrics(model, trainer, info, seconds):
    last = trainer.history[-1] if trainer.history else {}
    return {"step": trainer.step, "train_seconds": round(seconds, 1), "params": model.num_params(),
            "train_loss": last.get("train_loss"), "val_loss": last.get("val_loss"), "history": trainer.history,
            **info, "train_config": dataclasses.asdict(trainer.config), "model_config": model.config.to_dict(),
            "machine": machine()}


def _from_pretrained(init_from, task, overrides, seed):
    """The model a run starts from, and the training stages behind it (see ``train_task``'s ``init_from``)."""
    from lmdemo.registry import load_model

    pretrained = load_model(init_from)
    if task == "sentiment":
        return _classifier_from(init_from, pretrained, overrides, seed), []
    if pretrained.kind != "encoder-decoder":
        raise ValueError(f"init_from={init_from!r} is a {pretrained.kind!r} model; {task} continues from an "
                         f"'encoder-decoder' checkpoint")
    from lmdemo.tasks.seq2seq_model import Seq2SeqModel

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
    masked language model (BERT's recipe), a translation model's encoder (CoVe's, McCann et al., 2017),
    or another classifier, such as a Hugging Face BERT (its pooler too, as BERT's fine-tuning does; the
    label head is new, for this run's labels)."""
    from lmdemo.tasks.sentiment_model import SentimentModel

    c = pretrained.config
    pooler = None
    if pretrained.kind == "masked-lm":
        shape = c.to_dict()
        encoder = pretrained.network.encoder
    elif pretrained.kind == "classifier":
        shape = {k: v for k, v in c.to_dict().items() if k not in ("labels", "ngram_expert")}
        encoder, pooler = pretrained.network.encoder, pretrained.network.pooler
    elif pretrained.kind == "encoder-decoder":
        shape = dict(vocab_size=c.vocab_size, max_length=c.max_source_length, num_layers=c.encoder_layers,
                     num_heads=c.num_heads, d_model=c.d_model, hidden_dim=c.hidden_dim, activation=c.activation,
                     dropout=c.dropout, layer_norm_epsilon=c.layer_norm_epsilon)
        encoder = pretrained.network.encoder
    else:
        raise ValueError(f"init_from={init_from!r} is a {pretrained.kind!r} model; give a 'masked-lm', "
                         f"'encoder-decoder' or 'classifier' checkpoint")
    fixed = {"vocab_size", "max_length", "num_layers", "num_heads", "d_model", "hidden_dim", "activation",
             "normalize_first", "num_segments"}
    clash = sorted(k for k in set(overrides) & fixed if overrides[k] != shape.get(k))
    if clash:
        raise ValueError(f"init_from={init_from!r} fixes {', '.join(clash)}; leave them out")
    keras.utils.set_random_seed(seed)
    config = ClassifierConfig(**{**shape, **overrides})
    model = SentimentModel.create(pretrained.tokenizer, config)
    model.network.encoder.set_weights(encoder.get_weights())
    if pooler is not None:
        model.network.pooler.set_weights(pooler.get_weights())
    return model


def _pretrain(run, data, val_data, cfg, overrides, bpe_vocab_size, command, progress, log_fn, model_name,
              pause_after, should_stop, tokenizer="bpe", word_vocab_size=None, init_from=None):
    """Masked-LM pre-training of an encoder on plain texts (one per line); ``init_from`` continues a
    ``masked-lm`` checkpoint (a second stage with a fresh schedule, its tokenizer and size)."""
    from lmdemo.registry import load_model
    from lmdemo.tasks.masked_lm_model import MaskedLMModel

    texts = load_texts(data)
    val = load_texts(val_data) if val_data else None
    if run.resuming:
        model, earlier = load_model(run.out_dir), _earlier_stages(run.out_dir, include_own=False)
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
        model = MaskedLMModel.create(tok, EncoderConfig(**{**overrides, "vocab_size": tok.vocab_size}))
    run.prepare(model)
    run.fingerprint(model, texts)
    c = model.config
    encode = lambda rows: [ids for ids in (model.tokenizer.encode(t)[:c.max_length] for t in rows) if ids]  # noqa: E731
    train_ids = encode(texts)
    val_ids = encode(val) if val else None
    info = {"task": "masked-lm", "name": model_name, "data": data, "val_data": val_data,
            "train_examples": len(train_ids), "val_examples": len(val_ids or []), "init_from": init_from,
            "command": command, "earlier_stages": earlier}
    trainer = MaskedLMTrainer(model.network, cfg, mask_id=model.mask_id, max_length=c.max_length,
                              vocab_size=c.vocab_size,
                              save_fn=lambda step, record: run.write(model, _metrics(model, trainer, info, run.seconds())),
                              state_dir=run.state_dir, log_fn=log_fn, progress=progress, should_stop=should_stop)
    run.fit(trainer, train_ids, val_ids, pause_after=pause_after)
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
        from lmdemo.tasks.sentiment_model import SentimentModel

        return SentimentModel.create(tok, ClassifierConfig(**{**overrides, "vocab_size": tok.vocab_size}))
    from lmdemo.tasks.seq2seq_model import Seq2SeqModel

    defaults = {"summarization": dict(max_source_length=384, max_target_length=96)}.get(task, {})
    return Seq2SeqModel.create(tok, EncoderDecoderConfig(**{**defaults, **overrides, "vocab_size": tok.vocab_size}))


def add_ngram_expert(path, data, val_data=None, C=1.0, command=None):
    """Fit a bag-of-n-grams expert on ``data`` and store it in the classifier checkpoint at ``path``.

    The classifier's probabilities are then the renormalized product of its Transformer's and the
    expert's (see ``lmdemo.tasks.sentiment_model``). With ``val_data``, the accuracy of the product, of
    each expert alone and of the baseline are measured, written to ``metrics.json["final"]`` and to
    a section of the card. The checkpoint keeps its encryption and precision.

    Returns:
        the model, with its expert.
    """
    import time

    from lmdemo.registry import load_model
    from lmdemo.tasks.bag_of_ngrams import BagOfNgrams

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
    section = [f"Added after training: {expert.describe()}, fitted on `{data}` ({len(train):,} examples) in "
               f"{time.time() - started:.0f} seconds, with", "```", command or "(added from Python)", "```",
               "The classifier's label probabilities are the renormalized product of the Transformer's and this "
               "expert's."]
    metrics["ngram_expert"] = {"data": data, "examples": len(train), "C": expert.C, "features": len(expert.ngrams),
                               "command": command}
    card = model.card or ""
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
    model.save(path, card=with_section(card, "The n-gram expert", section), metrics=metrics)
    return model
