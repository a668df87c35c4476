"""Generation throughput (new tokens/s, batch 1, greedy) with and without the KV cache.

    python bench/generate_speed.py --layers 4 --heads 4 --d-model 256 --context 256 --vocab 65 --new-tokens 200 --json

With ``--hf-python PYTHON`` (an interpreter with torch and transformers) Hugging Face transformers' greedy
``generate`` at the same shape runs in the same bench, in turns with lmdemo (``bench/hf_generate.py``):

    python bench/generate_speed.py --layers 12 --heads 12 --d-model 768 --context 1024 --vocab 50257 \
        --tie-embeddings --new-tokens 100 --rounds 2 --hf-python /path/to/venv/bin/python --json

``--weights bf16`` times generation reading bfloat16 copies of the weights (``TransformerLM.use_weights``).
"""

import json
import os
import subprocess
import time

from common import model_args, random_char_lm, report

from lmdemo.config import WEIGHTS


def timed(fn, repeats):
    fn()  # compile
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    p = model_args(__doc__)
    p.add_argument("--new-tokens", type=int, default=200)
    p.add_argument("--prompt-tokens", type=int, default=8)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--rounds", type=int, default=1, help="turns of lmdemo (then transformers, with --hf-python)")
    p.add_argument("--hf-python", default=None, help="a Python with torch and transformers: time them too")
    p.add_argument("--hf-dtype", default="float32", choices=["float32", "bfloat16"],
                   help="transformers' model dtype (bfloat16: weights and activations)")
    p.add_argument("--weights", choices=WEIGHTS, default="f32",
                   help="the weights the model reads (TransformerLM.use_weights; bf16: weight-only bfloat16)")
    args = p.parse_args()

    lm = random_char_lm(args).use_weights(args.weights)
    prompt = "".join(lm.tokenizer.chars[i % len(lm.tokenizer.chars)] for i in range(args.prompt_tokens))
    t0 = time.perf_counter()
    lm.generate(prompt, args.new_tokens, seed=0)
    first_call_s = time.perf_counter() - t0
    cached, hf = [], []
    for _ in range(args.rounds):
        cached.append(args.new_tokens / timed(lambda: lm.generate(prompt, args.new_tokens, seed=0), args.repeats))
        if args.hf_python:
            hf.append(hf_tokens_per_s(args))
    uncached = timed(lambda: lm.generate(prompt, args.new_tokens, seed=0, use_cache=False), 1)
    first_token = timed(lambda: next(iter(lm.stream(prompt, args.new_tokens, seed=0))), args.repeats)
    same = lm.generate(prompt, args.new_tokens, seed=0) == lm.generate(prompt, args.new_tokens, seed=0, use_cache=False)
    result = {"tok_per_s": max(cached), "tok_per_s_rounds": cached, "tok_per_s_uncached": args.new_tokens / uncached,
              "speedup": max(cached) * uncached / args.new_tokens, "first_stream_chunk_s": first_token,
              "first_call_s": first_call_s, "cached_equals_uncached": same, "params": lm.num_params(),
              "new_tokens": args.new_tokens, "weights": args.weights}
    rows = [("cached tokens/s (best round)", f"{result['tok_per_s']:,.1f}"),
            ("cached tokens/s, each round", ", ".join(f"{v:,.1f}" for v in cached))]
    if hf:
        result["hf"] = {**hf[-1], "tok_per_s_rounds": [h["tok_per_s"] for h in hf]}
        result["vs_hf"] = max(cached) / max(h["tok_per_s"] for h in hf)
        rows += [(f"transformers {hf[-1]['transformers']} (torch {hf[-1]['torch']}, {args.hf_dtype}) tokens/s, each round",
                  ", ".join(f"{h['tok_per_s']:,.1f}" for h in hf)),
                 ("lmdemo / transformers (best rounds)", f"{result['vs_hf']:.2f}x")]
    rows += [("uncached tokens/s", f"{result['tok_per_s_uncached']:,.1f}"),
             ("speed-up from the KV cache", f"{result['speedup']:.1f}x"),
             ("first streamed chunk (s, warm)", f"{first_token:.3f}"),
             ("first call incl. compile (s)", f"{first_call_s:.1f}"),
             ("greedy cached == uncached", str(same))]
    report(f"generation: {lm.num_params():,} params, context {args.context}, {args.new_tokens} new tokens, batch 1, "
           f"{args.weights} weights",
           rows, result, args.json)


def hf_tokens_per_s(args):
    """transformers' greedy generation at the same shape, in a process of ``args.hf_python``."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hf_generate.py")
    command = [args.hf_python, script, "--layers", str(args.layers), "--heads", str(args.heads), "--d-model",
               str(args.d_model), "--context", str(args.context), "--vocab", str(args.vocab), "--new-tokens",
               str(args.new_tokens), "--prompt-tokens", str(args.prompt_tokens), "--repeats", str(args.repeats),
               "--dtype", args.hf_dtype]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
