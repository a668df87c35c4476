"""Does any XLA:CPU setting move the train step? Runs ``bench/train_speed.py`` once per setting, each in its
own process (flags are read when jaxlib starts), and prints tokens/s for lmdemo and the plain-JAX step.

    python bench/xla_cpu_settings.py --steps 10 --rounds 2 --json

Settings tried: the default; Eigen's thread pool off (one thread per op); the older (non-thunk) CPU runtime; tcmalloc instead of glibc malloc (when the library is
installed); float32 matmuls at bfloat16 precision (``jax_default_matmul_precision``). Run it alone.
"""

import argparse
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPE = ["--layers", "4", "--heads", "4", "--d-model", "256", "--context", "256", "--vocab", "65", "--batch", "32"]


def tcmalloc():
    """The path of a tcmalloc shared library, or None (Debian: ``apt-get install libgoogle-perftools4``)."""
    found = sorted(glob.glob("/usr/lib/*/libtcmalloc*.so*") + glob.glob("/usr/lib/libtcmalloc*.so*"))
    return found[0] if found else None


def settings():
    """``[(name, extra environment)]``: the default first."""
    out = [("default", {}),
           ("Eigen thread pool off", {"XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false"}),
           ("older CPU runtime (no thunks)", {"XLA_FLAGS": "--xla_cpu_use_thunk_runtime=false"}),
           ("matmul precision bfloat16", {"JAX_DEFAULT_MATMUL_PRECISION": "bfloat16"})]
    lib = tcmalloc()
    if lib:
        out.append(("tcmalloc", {"LD_PRELOAD": lib}))
    return out


def run(extra, steps, rounds):
    """train_speed.py's JSON line under ``extra`` environment variables (or the error it printed)."""
    env = {**os.environ, **extra}
    command = [sys.executable, os.path.join(HERE, "train_speed.py"), *SHAPE, "--steps", str(steps),
               "--rounds", str(rounds), "--json"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=os.path.dirname(HERE))
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1][:200]}
    return json.loads(lines[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--json", action="store_true", help="also print one JSON line")
    args = p.parse_args()
    rows = []
    for name, extra in settings():
        result = run(extra, args.steps, args.rounds)
        rows.append({"setting": name, **{k: result.get(k) for k in ("tok_per_s", "jax_tok_per_s", "ratio", "error")}})
    base = rows[0]["tok_per_s"] or 1.0
    print(f"{'setting':32} {'lmdemo tok/s':>12} {'vs default':>10} {'plain JAX tok/s':>15}")
    for r in rows:
        if r["error"]:
            print(f"{r['setting']:32} failed: {r['error']}")
            continue
        print(f"{r['setting']:32} {r['tok_per_s']:>12,.0f} {r['tok_per_s'] / base:>10.3f} {r['jax_tok_per_s']:>15,.0f}")
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
