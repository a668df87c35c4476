"""Command line: ``python -m lmdemo {train,train-task,generate,poem,score,models}``."""

import argparse
import json
import math
import shlex
import sys

from lmdemo.config import TAGGER_CONTEXTS, WEIGHTS
from lmdemo.registry import LM_KINDS, TRAIN_TASKS


def _add_generation_args(p):
    p.add_argument("--max-new-tokens", type=int, default=200)
    p.add_argument("--sampler", default="top_k", choices=["greedy", "temperature", "top_k", "top_p", "beam"])
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--top-k", type=int, default=None)
    p.add_argument("--top-p", type=float, default=None)
    p.add_argument("--num-beams", type=int, default=4)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--stop", action="append", default=None, help="stop before this string (repeatable)")
    p.add_argument("--no-cache", action="store_true", help="re-read the whole window every step (slow)")


def _add_weights_arg(p):
    p.add_argument("--weights", default="f32", choices=WEIGHTS,
                   help="Transformer models: read the weights as bfloat16 (about 2x faster generation on a CPU; "
                        "TransformerLM.use_weights)")


def _add_train_loop_args(p):
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--min-lr", type=float, default=1e-4)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--grad-clip", type=float, default=1.0)
    p.add_argument("--eval-interval", type=int, default=250)
    p.add_argument("--eval-tokens", type=int, default=0, help="validation tokens per evaluation (0: all)")
    p.add_argument("--max-minutes", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=1337)
    p.add_argument("--optimizer", default="adamw", choices=["adamw", "muon"],
                   help="muon: Muon for the blocks' weight matrices, AdamW (--lr) for the rest")
    p.add_argument("--muon-lr", type=float, default=0.02, help="Muon's peak learning rate")
    p.add_argument("--schedule", default="cosine", choices=["cosine", "wsd"],
                   help="after the warmup: cosine decay, or warmup-stable-decay (linear decay at the end)")
    p.add_argument("--decay-fraction", type=float, default=0.2, help="wsd: the part of the run spent decaying")
    p.add_argument("--no-resume", action="store_true")
    p.add_argument("--coordinator-address", default=None,
                   help="HOST:PORT of process 0: train data-parallel over several processes or machines "
                        "(jax.distributed; run the same command on each with its --process-id)")
    p.add_argument("--num-processes", type=int, default=None, help="processes in the run (with --coordinator-address)")
    p.add_argument("--process-id", type=int, default=None, help="this process's number, 0 … N-1")
    p.add_argument("--encrypt", action="store_true",
                   help="store the checkpoint encrypted (AES-256-GCM) with the key in $LMDEMO_CHECKPOINT_KEY "
                        "or a passphrase in $LMDEMO_CHECKPOINT_PASSPHRASE; loading reads the same variables")


def _train_config(args):
    from lmdemo.training.trainer import TrainConfig

    return TrainConfig(steps=args.steps, batch_size=args.batch_size, learning_rate=args.lr,
                       min_learning_rate=args.min_lr, warmup_steps=args.warmup, weight_decay=args.weight_decay,
                       grad_clip=args.grad_clip, eval_interval=args.eval_interval, eval_tokens=args.eval_tokens,
                       max_minutes=args.max_minutes, seed=args.seed, optimizer=args.optimizer,
                       muon_learning_rate=args.muon_lr, schedule=args.schedule, decay_fraction=args.decay_fraction)


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m lmdemo", description="lmdemo language models")
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train or fine-tune a language model on a text file")
    t.add_argument("--model", default="transformer", choices=LM_KINDS)
    t.add_argument("--task", default="lm", choices=["lm", "poem"],
                   help="poem: --data is a table of titles and poems (TSV/CSV with title and poem columns), read as "
                        "poem records; the model then writes poems (python -m lmdemo poem)")
    t.add_argument("--order", type=int, default=5, help="n of the n-gram model")
    t.add_argument("--data", required=True, help="UTF-8 text file (.gz ok) or hf:NAME[:CONFIG] when online")
    t.add_argument("--out", required=True, help="checkpoint folder to write (resumed if it has train_state/)")
    t.add_argument("--val-data", default=None, help="separate validation text (default: last --val-fraction)")
    t.add_argument("--val-fraction", type=float, default=0.1)
    t.add_argument("--preset", default="small", help="Transformer size: tiny, small, base")
    t.add_argument("--init-from", default=None,
                   help="fine-tune from a shipped model name, a checkpoint folder, a Hugging Face GPT-2 folder or "
                        "hf:OWNER/NAME")
    t.add_argument("--window", type=int, default=None,
                   help="train on windows of this many tokens (default: the model's context; shorter windows make "
                        "fine-tuning GPT-2 affordable on a CPU)")
    t.add_argument("--tokenizer", default="char", choices=["char", "bpe", "word"])
    t.add_argument("--bpe-vocab-size", type=int, default=1000)
    t.add_argument("--name", default=None, help="model name for the card")
    for flag, field, help in [
            ("--layers", "num_layers", None), ("--heads", "num_heads", None),
            ("--d-model", "d_model", "Transformer width; for the LSTM/RNN the state width"),
            ("--context", "max_length", "Transformer context window; for the LSTM/RNN the training window"),
            ("--hidden-dim", "hidden_dim", "Transformer feed-forward width")]:
        t.add_argument(flag, type=int, default=None, dest=field, help=help)
    t.add_argument("--tie-embeddings", action=argparse.BooleanOptionalAction, default=None,
                   help="the output layer reuses the token embeddings (default: yes for LSTM/RNN, no for Transformer)")
    t.add_argument("--activation", choices=["gelu", "relu", "relu2", "swiglu"], default=None)
    t.add_argument("--position", choices=["learned", "sinusoidal", "rope"], default=None)
    t.add_argument("--norm", choices=["layer", "rms"], default=None, help="LayerNorm or RMSNorm")
    t.add_argument("--qk-norm", action=argparse.BooleanOptionalAction, default=None,
                   help="RMS-normalize queries and keys before Q Kᵀ")
    t.add_argument("--dropout", type=float, default=None)
    _add_train_loop_args(t)

    r = sub.add_parser("prepare", help="tokenize a text too big for memory (or a streamed Hub dataset) once into a "
                                       "token folder that train --data reads memory-mapped")
    r.add_argument("--data", required=True, help="UTF-8 text file (.gz ok) or hf:NAME[:CONFIG] (streamed)")
    r.add_argument("--out", required=True, help="the token folder to write")
    r.add_argument("--tokenizer", default="char", choices=["char", "bpe", "word"])
    r.add_argument("--bpe-vocab-size", type=int, default=1000)
    r.add_argument("--val-fraction", type=float, default=0.01, help="the last part of the tokens, for validation")
    r.add_argument("--sample-chars", type=int, default=10_000_000, help="characters the tokenizer is trained on")
    r.add_argument("--max-chars", type=int, default=None, help="stop after this many characters")
    r.add_argument("--split", default="train", help="Hub datasets: the split")
    r.add_argument("--text-column", default="text", help="Hub datasets: the column holding the text")

    g = sub.add_parser("generate", help="continue a prompt")
    g.add_argument("model", help="shipped model name, checkpoint folder, Hugging Face folder or hf:OWNER/NAME")
    g.add_argument("prompt")
    _add_generation_args(g)
    _add_weights_arg(g)

    p = sub.add_parser("poem", help="write a poem of a form to a title (a model trained with train --task poem)")
    p.add_argument("title")
    p.add_argument("--model", default="tang-poems-char")
    p.add_argument("--form", default="五言絕句", help="五言絕句, 七言絕句, 五言律詩 or 七言律詩 (simplified names too)")
    p.add_argument("--temperature", type=float, default=0.8)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--script", choices=["simplified", "traditional"], default=None,
                   help="write the poem in this script (default: the model's own)")
    p.add_argument("--unconstrained", action="store_true", help="let the model end lines itself (no form mask)")

    s = sub.add_parser("score", help="log-likelihood of a text: loss per token, bits per character")
    s.add_argument("model")
    src = s.add_mutually_exclusive_group(required=True)
    src.add_argument("--text")
    src.add_argument("--file")
    s.add_argument("--stride", type=int, default=None)
    _add_weights_arg(s)

    k = sub.add_parser("train-task", help="train the model of an application: translation, summarization, sentiment")
    k.add_argument("task", choices=TRAIN_TASKS)
    k.add_argument("--data", required=True, help="training file (TSV, CSV, JSON, JSON lines; .gz ok) or hf:NAME; "
                                                 "for masked-lm, text files joined by commas")
    k.add_argument("--init-from", default=None,
                   help="sentiment: start from the encoder of this masked-lm, encoder-decoder or classifier "
                        "checkpoint, or of a Hugging Face BERT folder or hf:OWNER/NAME; translation, summarization, "
                        "masked-lm: continue from a checkpoint of the same kind")
    k.add_argument("--val-data", default=None, help="validation file; scored at the end for the model card")
    k.add_argument("--out", required=True, help="checkpoint folder to write (resumed if it has train_state/)")
    k.add_argument("--name", default=None, help="model name for the card")
    k.add_argument("--bpe-vocab-size", type=int, default=8000)
    k.add_argument("--tokenizer", choices=["bpe", "word"], default="bpe",
                   help="sentiment: 'word' = the training words, lower-cased and split as the Penn Treebank does")
    k.add_argument("--word-vocab-size", type=int, default=None,
                   help="with --tokenizer word: keep the most frequent words")
    k.add_argument("--pooling", choices=["mean", "max", "first"], default=None,
                   help="sentiment: how the encoder output becomes one vector (first: the [CLS] position, as BERT)")
    for flag, field in [("--encoder-layers", "encoder_layers"), ("--decoder-layers", "decoder_layers"),
                        ("--layers", "num_layers"), ("--heads", "num_heads"), ("--d-model", "d_model"),
                        ("--hidden-dim", "hidden_dim"), ("--max-source-length", "max_source_length"),
                        ("--max-target-length", "max_target_length"), ("--max-length", "max_length")]:
        k.add_argument(flag, type=int, default=None, dest=field)
    k.add_argument("--activation", choices=["gelu", "gelu_exact", "relu"], default=None,
                   help="gelu: the tanh approximation (GPT-2); gelu_exact: x·Φ(x) with erf (BERT)")
    k.add_argument("--dropout", type=float, default=None)
    k.add_argument("--copy-attention", action=argparse.BooleanOptionalAction, default=None,
                   help="translation, summarization: a pointer-generator decoder that can copy source tokens")
    k.add_argument("--label-smoothing", type=float, default=0.1)
    k.add_argument("--final-beams", type=int, default=4, help="beam width of the final scores")
    k.add_argument("--max-train-examples", type=int, default=None)
    k.add_argument("--ngram-expert", action="store_true",
                   help="sentiment: then add a bag-of-n-grams expert (as `python -m lmdemo ngram-expert` does)")
    k.add_argument("--context", choices=TAGGER_CONTEXTS, default=None,
                   help="ner: what reads the words in context")
    k.add_argument("--max-words", type=int, default=None, help="ner: the window, in words")
    k.add_argument("--word-buckets", type=int, default=None,
                   help="ner: buckets of the hashed word embedding (0: words are read from their characters only)")
    k.add_argument("--min-precision", type=float, default=0.85,
                   help="ner: the least precision on --val-data the stored threshold may give")
    _add_train_loop_args(k)

    d = sub.add_parser("pii-data", help="write the PII tagger's data: a synthetic training mix and a dev set "
                       "from templates kept apart (JSON lines of texts and entity spans)")
    d.add_argument("--out", required=True, help="folder for train.jsonl.gz and dev.jsonl.gz")
    d.add_argument("--examples", type=int, default=60000, help="training texts")
    d.add_argument("--dev-examples", type=int, default=2000, help="dev texts from the dev templates")
    d.add_argument("--samsum", default=None, help="SAMSum train file: speaker names as weak labels")
    d.add_argument("--samsum-dev", default=None, help="SAMSum val file: its dialogues join the dev set (names as weak labels)")
    d.add_argument("--samsum-dev-examples", type=int, default=300)
    d.add_argument("--tatoeba", action="append", default=[], help="Tatoeba pair file (repeatable): names as weak labels")
    d.add_argument("--prose", action="append", default=[],
                   help="name-free prose (JSON lines with 'source' sentences or 'text', or one paragraph per line; "
                        "repeatable): examples are put between its sentences")
    d.add_argument("--seed", type=int, default=0)

    c = sub.add_parser("half-precision", help="rewrite a checkpoint folder with float16 weights (half the size)")
    c.add_argument("path", help="a checkpoint folder (rewritten in place)")

    e = sub.add_parser("ngram-expert", help="store a bag-of-n-grams expert in a sentiment classifier checkpoint "
                       "(its probabilities multiply the Transformer's)")
    e.add_argument("path", help="a classifier checkpoint folder (rewritten in place)")
    e.add_argument("--data", required=True, help="the training file the expert is fitted on (text, label)")
    e.add_argument("--val-data", default=None, help="measure the accuracy of the product and of each expert alone")
    e.add_argument("--C", type=float, default=1.0, help="inverse L2 strength of the logistic regression")

    f = sub.add_parser("fingerprint", help="add the training text's hashed 13-grams to a checkpoint (for "
                       "contamination checks; the weights are not touched)")
    f.add_argument("path", help="a checkpoint folder")
    f.add_argument("--data", default=None, help="the training data (default: the one its metrics.json records)")

    sub.add_parser("models", help="list the shipped models")
    return parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    try:
        return _run(args, argv)
    except (ValueError, TypeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


def _recurrent_overrides(overrides, args):
    """Map the shared flags to ``RecurrentConfig`` fields; refuse the Transformer-only ones."""
    names = {"num_layers": "num_layers", "d_model": "hidden_dim", "max_length": "train_length", "dropout": "dropout",
             "tie_embeddings": "tie_embeddings"}
    unused = sorted(set(overrides) - set(names))
    if unused:
        raise ValueError(f"--model {args.model} has no {', '.join(unused)} (Transformer options)")
    return {names[k]: v for k, v in overrides.items()}


def _run(args, argv):
    import lmdemo  # noqa: F401  (selects the JAX backend)
    from lmdemo.backend import enable_compile_cache

    if getattr(args, "coordinator_address", None) or getattr(args, "num_processes", None) is not None:
        from lmdemo.training.distributed import initialize

        initialize(args.coordinator_address, args.num_processes, args.process_id)  # before any use of JAX
    enable_compile_cache()
    if args.command == "train":
        from lmdemo.training.lm_training import train_language_model

        overrides = {k: getattr(args, k) for k in ("num_layers", "num_heads", "d_model", "max_length", "hidden_dim",
                                                   "activation", "position", "dropout", "tie_embeddings", "norm",
                                                   "qk_norm")
                     if getattr(args, k) is not None}
        if args.model in ("lstm", "rnn"):
            overrides = _recurrent_overrides(overrides, args)
        cfg = _train_config(args)
        command = "python -m lmdemo " + " ".join(shlex.quote(a) for a in argv)
        lm = train_language_model(args.data, args.out, preset=args.preset, init_from=args.init_from,
                                  tokenizer=args.tokenizer, bpe_vocab_size=args.bpe_vocab_size, val_data=args.val_data,
                                  val_fraction=args.val_fraction, train_config=cfg, model_overrides=overrides,
                                  resume=not args.no_resume, command=command, model_name=args.name,
                                  encrypt=args.encrypt, model=args.model, order=args.order, window=args.window,
                                  task=args.task)
        print(f"saved {args.out} ({lm.num_params():,} parameters)")
        return 0
    if args.command == "poem":
        from lmdemo.tasks.pipeline import pipeline

        result = pipeline("poem", model=args.model)(args.title, form=args.form, temperature=args.temperature,
                                                    seed=args.seed, script=args.script,
                                                    constrained=not args.unconstrained)
        print("\n".join([f"{result['form']}《{result['title']}》"] + result["lines"]))
        return 0
    if args.command == "prepare":
        from lmdemo.data.token_file import prepare_token_folder

        meta = prepare_token_folder(args.data, args.out, tokenizer=args.tokenizer, bpe_vocab_size=args.bpe_vocab_size,
                                    val_fraction=args.val_fraction, sample_chars=args.sample_chars,
                                    max_chars=args.max_chars, split=args.split, text_column=args.text_column)
        print(f"wrote {args.out}: {meta['tokens']:,} tokens ({meta['dtype']}) from {meta['chars']:,} characters, "
              f"validation from token {meta['val_start']:,}; {meta['unknown_tokens']:,} unknown")
        return 0
    if args.command == "pii-data":
        from lmdemo.data.pii_synthesis import write_datasets

        sizes = write_datasets(args.out, args.examples, args.dev_examples, samsum=args.samsum, tatoeba=args.tatoeba,
                               samsum_dev=args.samsum_dev, samsum_dev_examples=args.samsum_dev_examples, seed=args.seed,
                               prose=args.prose)
        print(", ".join(f"{name}: {n:,} texts" for name, n in sizes.items()) + f" written to {args.out}")
        return 0
    if args.command == "train-task" and args.task == "ner":
        from lmdemo.training.ner_training import train_ner

        fields = ("num_layers", "num_heads", "d_model", "hidden_dim", "dropout", "activation", "context", "max_words",
                  "word_buckets")
        overrides = {k: getattr(args, k) for k in fields if getattr(args, k) is not None}
        command = "python -m lmdemo " + " ".join(shlex.quote(a) for a in argv)
        model = train_ner(args.data, args.out, val_data=args.val_data, train_config=_train_config(args),
                          model_overrides=overrides, resume=not args.no_resume, command=command, model_name=args.name,
                          max_train_examples=args.max_train_examples, encrypt=args.encrypt,
                          min_precision=args.min_precision)
        print(f"saved {args.out} ({model.num_params():,} parameters, threshold {model.config.threshold})")
        return 0
    if args.command == "train-task":
        from lmdemo.training.task_training import train_task

        fields = ("encoder_layers", "decoder_layers", "num_layers", "num_heads", "d_model", "hidden_dim",
                  "max_source_length", "max_target_length", "max_length", "activation", "dropout", "copy_attention",
                  "pooling")
        overrides = {k: getattr(args, k) for k in fields if getattr(args, k) is not None}
        seq2seq = {"encoder_layers", "decoder_layers", "max_source_length", "max_target_length", "copy_attention"}
        own = {"sentiment": {"num_layers", "max_length", "pooling"},
               "masked-lm": {"num_layers", "max_length"}}.get(args.task, seq2seq)
        other = ({"num_layers", "max_length", "pooling"} | seq2seq) - own
        wrong = sorted(set(overrides) & other)
        if wrong:
            raise ValueError(f"train-task {args.task} has no {', '.join(wrong)}")
        command = "python -m lmdemo " + " ".join(shlex.quote(a) for a in argv)
        model = train_task(args.task, args.data, args.out, val_data=args.val_data, train_config=_train_config(args),
                           model_overrides=overrides, bpe_vocab_size=args.bpe_vocab_size,
                           label_smoothing=args.label_smoothing, resume=not args.no_resume, command=command,
                           model_name=args.name, max_train_examples=args.max_train_examples,
                           final_beams=args.final_beams, encrypt=args.encrypt, init_from=args.init_from,
                           tokenizer=args.tokenizer, word_vocab_size=args.word_vocab_size,
                           ngram_expert=args.ngram_expert)
        print(f"saved {args.out} ({model.num_params():,} parameters)")
        return 0
    if args.command == "half-precision":
        from lmdemo.registry import load_model
        from lmdemo.storage.checkpoint import read_metrics
        from lmdemo.training.cards import with_section

        model = load_model(args.path)
        if not model.float_weights:
            raise ValueError(f"path={args.path!r} holds a {model.kind!r} model, which has no weights to convert")
        card = with_section(model.card, "Half precision", [
            f"Stored in half precision after training, with `python -m lmdemo half-precision {args.path}`: "
            f"float16 weights, loaded back as float32."])
        model.save(args.path, card=card, metrics=read_metrics(args.path), half_precision=True)
        print(f"rewrote {args.path} in float16")
        return 0
    if args.command == "ngram-expert":
        from lmdemo.storage.checkpoint import read_metrics
        from lmdemo.training.task_training import add_ngram_expert

        command = "python -m lmdemo " + " ".join(shlex.quote(a) for a in argv)
        model = add_ngram_expert(args.path, args.data, val_data=args.val_data, C=args.C, command=command)
        final = read_metrics(args.path).get("final", {})
        scores = ", ".join(f"{k} {v:.4f}" for k, v in final.items() if k.endswith("accuracy"))
        print(f"rewrote {args.path} with {model.ngram_expert.describe()}" + (f"; {scores}" if args.val_data else ""))
        return 0
    if args.command == "fingerprint":
        from lmdemo.data.fingerprint import fingerprint_checkpoint

        fp = fingerprint_checkpoint(args.path, data=args.data)
        print(f"wrote the fingerprint of {fp.count:,} distinct {fp.n}-grams into {args.path} "
              f"({fp.bits.size:,} bytes, false positives ~{fp.false_positive_rate():.2%})")
        return 0
    if args.command == "models":
        from lmdemo.registry import SHIPPED, available_models

        present = set(available_models())
        for name, what in SHIPPED.items():
            print(f"{name:24s} {what}{'' if name in present else '  (missing)'}")
        return 0
    from lmdemo.registry import load_model

    lm = load_model(args.model)
    if getattr(args, "weights", "f32") != "f32":
        if not hasattr(lm, "use_weights"):
            raise ValueError(f"--weights {args.weights} is for Transformer language models; {args.model} is of "
                             f"kind {lm.kind!r}")
        lm.use_weights(args.weights)
    if args.command == "generate":
        for piece in lm.stream(args.prompt, args.max_new_tokens, args.sampler, args.temperature, args.top_k,
                               args.top_p, args.num_beams, args.seed, args.stop, not args.no_cache):
            print(piece, end="", flush=True)
        print()
        return 0
    if args.command == "score":
        from lmdemo.data.text import read_text

        text = args.text if args.text is not None else read_text(args.file)
        lp = lm.log_probs(text, stride=args.stride)
        nats = -float(lp.sum())
        print(json.dumps({
            "tokens": int(lp.size), "chars": len(text), "nats_per_token": nats / lp.size,
            "perplexity_per_token": math.exp(nats / lp.size), "bits_per_char": nats / len(text) / math.log(2),
        }, indent=2))
        return 0
    raise AssertionError(args.command)
