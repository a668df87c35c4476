"""Training throughput (tokens/s) of lmdemo's jitted train step on random data.

    python bench/train_speed.py --layers 4 --heads 4 --d-model 256 --context 256 --vocab 65 --batch 32 --json
"""

import time

import numpy as np

from common import model_args, random_char_lm, report


def main():
    p = model_args(__doc__)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=20, help="timed steps (after 2 warm-up steps)")
    args = p.parse_args()

    from lmdemo.data.batching import random_windows
    from lmdemo.training.trainer import Trainer, TrainConfig

    lm = random_char_lm(args)
    trainer = Trainer(lm.network, TrainConfig(steps=1000, batch_size=args.batch), args.context, progress=False)
    ids = np.random.default_rng(0).integers(0, args.vocab, 1_000_000).astype(np.int32)
    rng = np.random.default_rng(0)
    state = trainer._state()
    t0 = time.perf_counter()
    for _ in range(2):
        x, y = random_windows(ids, args.batch, args.context, rng)
        *state, loss = trainer._train_step(*state, x, y)
    float(loss)
    warmup_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(args.steps):
        x, y = random_windows(ids, args.batch, args.context, rng)
        *state, loss = trainer._train_step(*state, x, y)
    float(loss)
    seconds = time.perf_counter() - t0
    tokens = args.steps * args.batch * args.context
    result = {"tok_per_s": tokens / seconds, "step_ms": 1000 * seconds / args.steps, "params": lm.num_params(),
              "compile_and_warmup_s": warmup_s, "batch": args.batch, "context": args.context}
    report(f"train step: {lm.num_params():,} params, batch {args.batch} x {args.context}", [
        ("tokens/s", f"{result['tok_per_s']:,.0f}"),
        ("ms/step", f"{result['step_ms']:.1f}"),
        ("compile + 2 warm-up steps (s)", f"{warmup_s:.1f}"),
    ], result, args.json)


if __name__ == "__main__":
    main()
