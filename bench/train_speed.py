"""Training throughput (tokens/s) of lmdemo's jitted train step on random data, against the same step in plain
JAX with no Keras (``bench/jax_reference.py``): their ratio is the trainer's overhead.

    python bench/train_speed.py --layers 4 --heads 4 --d-model 256 --context 256 --vocab 65 --batch 32 --json

The two are timed in turns (``--rounds``), so a slow moment of the machine falls on both.
"""

import time

import numpy as np

from common import model_args, random_char_lm, report


def time_steps(step, state, batches):
    """Seconds for ``step`` over ``batches``: ``state`` is threaded through, the last loss waited for."""
    t0 = time.perf_counter()
    for x, y in batches:
        *state, loss = step(*state, x, y)
    float(loss)
    return time.perf_counter() - t0, state


def main():
    p = model_args(__doc__)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=20, help="timed steps per round (after 2 warm-up steps)")
    p.add_argument("--rounds", type=int, default=3, help="turns of lmdemo then plain JAX")
    args = p.parse_args()

    from lmdemo.data.batching import random_windows
    from lmdemo.training.trainer import Trainer, TrainConfig

    import jax

    import jax_reference

    lm = random_char_lm(args)
    trainer = Trainer(lm.network, TrainConfig(steps=1000, batch_size=args.batch), args.context, progress=False)
    ids = np.random.default_rng(0).integers(0, args.vocab, 1_000_000).astype(np.int32)
    rng = np.random.default_rng(0)
    batches = lambda n: [random_windows(ids, args.batch, args.context, rng) for _ in range(n)]  # noqa: E731
    ours = trainer._state()
    hidden = lm.config.hidden_dim
    params = jax_reference.init(jax.random.key(0), args.vocab, args.context, args.layers, args.d_model, hidden)
    zeros = lambda: jax.tree.map(jax.numpy.zeros_like, params)  # noqa: E731
    ref_step = jax_reference.make_step(args.heads, args.activation)
    ref = [params, zeros(), zeros(), jax.numpy.float32(0)]
    warmup_s, ours = time_steps(trainer._train_step, ours, batches(2))
    ref_warmup_s, ref = time_steps(ref_step, ref, batches(2))
    seconds, ref_seconds = 0.0, 0.0
    for _ in range(args.rounds):
        s, ours = time_steps(trainer._train_step, ours, batches(args.steps))
        r, ref = time_steps(ref_step, ref, batches(args.steps))
        seconds, ref_seconds = seconds + s, ref_seconds + r
    tokens = args.rounds * args.steps * args.batch * args.context
    ref_params = sum(a.size for a in jax.tree.leaves(params))
    result = {"tok_per_s": tokens / seconds, "step_ms": 1000 * seconds / (args.rounds * args.steps),
              "jax_tok_per_s": tokens / ref_seconds, "ratio": ref_seconds / seconds, "params": lm.num_params(),
              "jax_params": int(ref_params), "compile_and_warmup_s": warmup_s, "jax_compile_and_warmup_s": ref_warmup_s,
              "batch": args.batch, "context": args.context}
    report(f"train step: {lm.num_params():,} params, batch {args.batch} x {args.context}", [
        ("lmdemo tokens/s", f"{result['tok_per_s']:,.0f}"),
        ("plain JAX tokens/s (bench/jax_reference.py)", f"{result['jax_tok_per_s']:,.0f} ({ref_params:,} params)"),
        ("lmdemo / plain JAX", f"{result['ratio']:.3f}"),
        ("lmdemo ms/step", f"{result['step_ms']:.1f}"),
        ("compile + 2 warm-up steps (s), lmdemo / JAX", f"{warmup_s:.1f} / {ref_warmup_s:.1f}"),
    ], result, args.json)


if __name__ == "__main__":
    main()
