"""n-gram, RNN, LSTM and Transformer side by side on the same validation text.

Scores each shipped model with ``lm.log_probs`` on the held-out split it was trained beside,
times its generation, and writes the table as Markdown and JSON:

    python bench/compare_models.py --out docs/comparison      # docs/comparison.md + .json

- tinyshakespeare, characters: the last 10% of input.txt (nanoGPT's split); nats and bits
  per character.
- Penn Treebank, words: ptb.valid.txt (73,760 tokens with one <eos> per sentence);
  perplexity per word, the first word of the text conditioned on <eos>.

Training times are the ones the models' own ``metrics.json`` recorded when they were trained.
"""

import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SETS = {
    "shakespeare": {
        "title": "tinyshakespeare, characters (validation: last 10% of input.txt)",
        "models": ["shakespeare-5gram", "shakespeare-rnn", "shakespeare-lstm", "shakespeare-char"],
        "prompt": "ROMEO:\n",
    },
    "ptb": {
        "title": "Penn Treebank, words (validation: ptb.valid.txt)",
        "models": ["ptb-5gram", "ptb-lstm", "ptb-transformer"],
        "prompt": "the company said",
        # published validation-set anchors quoted by the issue (test-set numbers where marked)
        "anchors": {"ptb-5gram": "KN5: 141.2 (Mikolov 2011, test)", "ptb-lstm": "small LSTM: 120.7 (Zaremba 2014)",
                    "ptb-transformer": ""},
    },
}
KIND_NAMES = {"ngram": "5-gram (Kneser-Ney)", "rnn": "RNN (Elman)", "lstm": "LSTM", "transformer": "Transformer"}


def validation_text(name, data_dir):
    from lmdemo.data.text import read_text, split_text

    if name == "shakespeare":
        return split_text(read_text(os.path.join(data_dir, "tinyshakespeare", "input.txt")), 0.1)[1]
    return read_text(os.path.join(data_dir, "ptb", "ptb.valid.txt.gz"))


def generation_speed(lm, prompt, tokens, repeats=3):
    """Tokens per second of top-k sampling: the median of ``repeats`` runs after one identical warm-up
    (which compiles every shape the run needs, the window slides included)."""
    lm.generate(prompt, tokens, sampler="top_k", seed=0)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        lm.generate(prompt, tokens, sampler="top_k", seed=0)
        times.append(time.perf_counter() - start)
    return tokens / sorted(times)[len(times) // 2]


def score(model_name, text, prompt, gen_tokens):
    import lmdemo

    lm = lmdemo.load_model(model_name)
    started = time.perf_counter()
    lp = lm.log_probs(text)
    score_seconds = time.perf_counter() - started
    nats = -float(lp.sum())
    metrics_path = os.path.join(lmdemo.registry.MODELS_DIR, model_name, "metrics.json")
    with open(metrics_path, encoding="utf-8") as f:
        trained = json.load(f)
    return {
        "model": model_name, "kind": lm.kind, "params": lm.num_params(), "tokens": int(lp.size), "chars": len(text),
        "nats_per_token": nats / lp.size, "perplexity": math.exp(nats / lp.size),
        "nats_per_char": nats / len(text), "bits_per_char": nats / len(text) / math.log(2),
        "train_minutes": trained.get("train_seconds", float("nan")) / 60, "score_seconds": score_seconds,
        "generate_tokens_per_s": generation_speed(lm, prompt, gen_tokens),
    }


def markdown(results, command):
    lines = ["# Language models compared on the same data", "",
             f"Written by `{command}` on {results['machine']}.", ""]
    for name, rows in results["sets"].items():
        spec = SETS[name]
        lines += [f"## {spec['title']}", ""]
        if name == "shakespeare":
            lines += ["| model | kind | parameters | nats/char | bits/char | training (min) | generation (chars/s) |",
                      "|---|---|---|---|---|---|---|"]
            for r in rows:
                lines.append(f"| `{r['model']}` | {KIND_NAMES[r['kind']]} | {r['params']:,} | {r['nats_per_char']:.4f} | "
                             f"{r['bits_per_char']:.4f} | {r['train_minutes']:.1f} | {r['generate_tokens_per_s']:,.0f} |")
        else:
            lines += ["| model | kind | parameters | perplexity per word | nats/word | training (min) | "
                      "generation (words/s) | published anchor |", "|---|---|---|---|---|---|---|---|"]
            for r in rows:
                lines.append(f"| `{r['model']}` | {KIND_NAMES[r['kind']]} | {r['params']:,} | {r['perplexity']:.1f} | "
                             f"{r['nats_per_token']:.4f} | {r['train_minutes']:.1f} | {r['generate_tokens_per_s']:,.0f} | "
                             f"{spec['anchors'].get(r['model'], '')} |")
        missing = results["missing"].get(name)
        if missing:
            lines += ["", f"Not shipped, so not scored: {', '.join(f'`{m}`' for m in missing)}."]
        lines.append("")
    lines += ["For n-gram models \"parameters\" are the stored counts. Every model reads the validation text with "
              "`lm.log_probs`: the first token is conditioned on the start token, the Transformer in disjoint windows "
              "of its context, the RNN and LSTM in one pass carrying their state, the n-gram with its last n-1 tokens. "
              "Generation speed: top-k sampling of `gen_tokens` tokens (see the JSON), the median of 3 runs after an "
              "identical warm-up run, batch 1, one process.", ""]
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    p.add_argument("--data-dir", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                      "..", "shared", "data"))
    p.add_argument("--gen-tokens", type=int, default=200)
    p.add_argument("--out", default="docs/comparison", help="writes OUT.md and OUT.json")
    args = p.parse_args(argv)

    import platform

    import lmdemo

    results = {"machine": f"{platform.machine()}, {os.cpu_count()} CPU cores", "gen_tokens": args.gen_tokens,
               "sets": {}, "missing": {}}
    present = set(lmdemo.available_models())
    for name in args.sets:
        spec = SETS[name]
        text = validation_text(name, args.data_dir)
        rows = []
        for model in spec["models"]:
            if model not in present:
                results["missing"].setdefault(name, []).append(model)
                continue
            rows.append(score(model, text, spec["prompt"], args.gen_tokens))
            r = rows[-1]
            print(f"{name:12s} {model:20s} {r['kind']:12s} ppl/token {r['perplexity']:9.2f}  bits/char "
                  f"{r['bits_per_char']:.4f}  gen {r['generate_tokens_per_s']:.0f} tok/s", flush=True)
        results["sets"][name] = rows
    command = "python bench/compare_models.py " + " ".join(argv if argv is not None else sys.argv[1:])
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out + ".md", "w", encoding="utf-8") as f:
        f.write(markdown(results, command.strip()))
    with open(args.out + ".json", "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2)
    print(f"wrote {args.out}.md and {args.out}.json")


if __name__ == "__main__":
    main()
