"""What reading the weights as bfloat16 costs in perplexity: a text scored with float32 and with bfloat16 weights.

    python bench/weights_perplexity.py --model shakespeare-char --file ../shared/data/tinyshakespeare/input.txt \
        --last-fraction 0.1
    python bench/weights_perplexity.py --model ptb-transformer --file ../shared/data/ptb/ptb.valid.txt.gz
    python bench/weights_perplexity.py --model random-gpt2 --file ../shared/data/tinyshakespeare/input.txt \
        --last-fraction 0.1 --max-chars 20000

``TransformerLM.use_weights("bf16")`` makes the model read every matrix rounded to bfloat16 (activations
and sums stay float32); this scores the same text both ways with ``log_probs`` (rolling windows) and prints
the mean negative log-likelihood per token, the perplexity, their relative change and the largest change of
one token's log-probability. ``random-gpt2`` is GPT-2 124M's shape (12 layers × 12 heads, width 768,
context 1,024, a tied output layer) with random weights and a 50,257-symbol character vocabulary: no
pretrained GPT-2 can be downloaded here, so its perplexity (near the vocabulary size) says only how much the
rounding moves the scores of a model of that size.
"""

import argparse
import gzip
import math
import os
import sys
import time
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import random_char_lm, report  # noqa: E402


def read_text(path, last_fraction, max_chars):
    with (gzip.open if path.endswith(".gz") else open)(path, "rt", encoding="utf-8") as f:
        text = f.read()
    if last_fraction:
        text = text[int(len(text) * (1 - last_fraction)):]
    return text[:max_chars] if max_chars else text


def load(name):
    import lmdemo

    if name == "random-gpt2":
        shape = SimpleNamespace(model="transformer", layers=12, heads=12, d_model=768, context=1024, vocab=50257,
                                activation="gelu", tie_embeddings=True)
        return random_char_lm(shape)
    return lmdemo.load_model(name)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="a shipped name, a checkpoint folder, hf:ID, or random-gpt2")
    p.add_argument("--file", required=True, help="the text to score (.gz read as gzip)")
    p.add_argument("--last-fraction", type=float, default=0.0, help="score only the last part (a validation split)")
    p.add_argument("--max-chars", type=int, default=0, help="score only the first N characters (0: all)")
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = p.parse_args()

    lm = load(args.model)
    text = read_text(args.file, args.last_fraction, args.max_chars)
    scores = {}
    for weights in ("f32", "bf16"):
        lm.use_weights(weights)
        lm.log_probs(text[:200])  # compile
        t0 = time.perf_counter()
        scores[weights] = (np.asarray(lm.log_probs(text), np.float64), time.perf_counter() - t0)
    nll = {w: -s.mean() for w, (s, _) in scores.items()}
    ppl = {w: math.exp(v) for w, v in nll.items()}
    result = {"model": args.model, "file": os.path.basename(args.file), "chars": len(text),
              "tokens": int(scores["f32"][0].size), "nll_f32": nll["f32"], "nll_bf16": nll["bf16"],
              "ppl_f32": ppl["f32"], "ppl_bf16": ppl["bf16"], "ppl_change": ppl["bf16"] / ppl["f32"] - 1,
              "max_token_logprob_change": float(np.abs(scores["bf16"][0] - scores["f32"][0]).max()),
              "score_s_f32": scores["f32"][1], "score_s_bf16": scores["bf16"][1]}
    rows = [("tokens scored", f"{result['tokens']:,} ({len(text):,} chars)"),
            ("mean NLL per token, f32 / bf16", f"{nll['f32']:.5f} / {nll['bf16']:.5f} nats"),
            ("perplexity, f32 / bf16", f"{ppl['f32']:.4f} / {ppl['bf16']:.4f}"),
            ("perplexity change", f"{100 * result['ppl_change']:+.3f}%"),
            ("largest change of one token's log-prob", f"{result['max_token_logprob_change']:.2e} nats"),
            ("scoring seconds, f32 / bf16", f"{scores['f32'][1]:.1f} / {scores['bf16'][1]:.1f}")]
    report(f"bfloat16 weights: {args.model} on {os.path.basename(args.file)}", rows, result, args.json)


if __name__ == "__main__":
    main()
