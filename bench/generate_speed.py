"""Generation throughput (new tokens/s, batch 1, greedy) with and without the KV cache.

    python bench/generate_speed.py --layers 4 --heads 4 --d-model 256 --context 256 --vocab 65 --new-tokens 200 --json
"""

import time

from common import model_args, random_char_lm, report


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
    args = p.parse_args()

    lm = random_char_lm(args)
    prompt = "".join(lm.tokenizer.chars[i % len(lm.tokenizer.chars)] for i in range(args.prompt_tokens))
    t0 = time.perf_counter()
    lm.generate(prompt, args.new_tokens, seed=0)
    first_call_s = time.perf_counter() - t0
    cached = timed(lambda: lm.generate(prompt, args.new_tokens, seed=0), args.repeats)
    uncached = timed(lambda: lm.generate(prompt, args.new_tokens, seed=0, use_cache=False), 1)
    first_token = timed(lambda: next(iter(lm.stream(prompt, args.new_tokens, seed=0))), args.repeats)
    same = lm.generate(prompt, args.new_tokens, seed=0) == lm.generate(prompt, args.new_tokens, seed=0, use_cache=False)
    result = {"tok_per_s": args.new_tokens / cached, "tok_per_s_uncached": args.new_tokens / uncached,
              "speedup": uncached / cached, "first_stream_chunk_s": first_token, "first_call_s": first_call_s,
              "cached_equals_uncached": same, "params": lm.num_params(), "new_tokens": args.new_tokens}
    report(f"generation: {lm.num_params():,} params, context {args.context}, {args.new_tokens} new tokens, batch 1", [
        ("cached tokens/s", f"{result['tok_per_s']:,.0f}"),
        ("uncached tokens/s", f"{result['tok_per_s_uncached']:,.0f}"),
        ("speed-up from the KV cache", f"{result['speedup']:.1f}x"),
        ("first streamed chunk (s, warm)", f"{first_token:.3f}"),
        ("first call incl. compile (s)", f"{first_call_s:.1f}"),
        ("greedy cached == uncached", str(same)),
    ], result, args.json)


if __name__ == "__main__":
    main()
