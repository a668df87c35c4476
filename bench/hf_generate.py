"""Hugging Face transformers' greedy generation at a GPT-2 shape, random weights: the reference for
``bench/generate_speed.py --hf-python``. Needs torch and transformers (not lmdemo), so it can run from another
environment; prints one JSON line.

    python bench/hf_generate.py --layers 12 --heads 12 --d-model 768 --context 1024 --vocab 50257 --new-tokens 100
"""

import argparse
import json
import time


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--layers", type=int, default=12)
    p.add_argument("--heads", type=int, default=12)
    p.add_argument("--d-model", type=int, default=768)
    p.add_argument("--context", type=int, default=1024)
    p.add_argument("--vocab", type=int, default=50257)
    p.add_argument("--new-tokens", type=int, default=100)
    p.add_argument("--prompt-tokens", type=int, default=8)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's own)")
    p.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"],
                   help="the model's dtype (bfloat16: weights and activations, as transformers runs it)")
    args = p.parse_args()

    import torch
    import transformers

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    config = transformers.GPT2Config(n_layer=args.layers, n_head=args.heads, n_embd=args.d_model,
                                     n_positions=args.context, vocab_size=args.vocab)
    model = transformers.GPT2LMHeadModel(config).to(getattr(torch, args.dtype)).eval()
    prompt = torch.arange(args.prompt_tokens, dtype=torch.long)[None] % args.vocab

    def run():
        with torch.inference_mode():
            return model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=args.new_tokens,
                                  min_new_tokens=args.new_tokens, do_sample=False, pad_token_id=0)

    run()  # warm-up
    best = float("inf")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - t0)
    assert out.shape[1] == args.prompt_tokens + args.new_tokens
    print(json.dumps({"tok_per_s": args.new_tokens / best, "torch": torch.__version__,
                      "transformers": transformers.__version__, "threads": torch.get_num_threads(),
                      "dtype": args.dtype}))


if __name__ == "__main__":
    main()
