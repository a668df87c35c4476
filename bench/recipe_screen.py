"""Each training-recipe change alone, at equal wall-clock minutes, on tinyshakespeare: the validation loss in
nats per character (the last 10% of the text) after ``--minutes`` of training.

Runs ``python -m lmdemo train`` once per variant, one after the other (run it with nothing else on the
machine), then prints one table. Each variant's step count is chosen so that its schedule ends at the
time limit: ``--minutes`` × 60 × 0.95 / its seconds per step (``--step-seconds``, measured beforehand).

    python bench/recipe_screen.py --minutes 10 --out runs/screen --json
    python bench/recipe_screen.py --minutes 10 --variants baseline muon --out runs/screen
"""

import argparse
import json
import os
import subprocess
import sys
import time

from common import REPO, report

DATA = os.path.join(os.path.dirname(REPO), "shared", "data", "tinyshakespeare", "input.txt")
# the shipped shakespeare-char recipe, with a warmup sized for short runs
BASE = ["--preset", "small", "--activation", "relu", "--context", "128", "--batch-size", "64", "--lr", "2e-3",
        "--min-lr", "1e-4", "--warmup", "30", "--eval-interval", "100", "--seed", "1337", "--no-resume"]
ARCH = ["--position", "rope", "--norm", "rms", "--qk-norm", "--activation", "relu2"]
VARIANTS = {  # name: (flags, seconds per step measured here, batch 64 × 128)
    "baseline": ([], 1.75),
    "muon": (["--optimizer", "muon", "--muon-lr", "0.02"], 1.97),
    "arch": (ARCH, 1.72),
    "dropout": (["--dropout", "0.1"], 1.75),
    "wsd": (["--schedule", "wsd", "--decay-fraction", "0.3"], 1.75),
    "combined": (["--optimizer", "muon", "--muon-lr", "0.02", *ARCH, "--dropout", "0.1", "--schedule", "wsd",
                  "--decay-fraction", "0.3"], 1.85),
}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    p.add_argument("--data", default=DATA)
    p.add_argument("--out", default=os.path.join(REPO, "runs", "screen"))
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = p.parse_args()

    rows, result = [], {"minutes": args.minutes, "variants": {}}
    for name in args.variants:
        flags, step_seconds = VARIANTS[name]
        steps = int(args.minutes * 60 * 0.95 / step_seconds)
        out = os.path.join(args.out, name)
        command = [sys.executable, "-m", "lmdemo", "train", "--data", args.data, "--out", out, *BASE, *flags,
                   "--steps", str(steps), "--max-minutes", str(args.minutes)]
        t0 = time.time()
        subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONPATH": REPO})
        with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
            m = json.load(f)
        result["variants"][name] = {"flags": " ".join(flags), "steps": m["step"], "planned_steps": steps,
                                    "train_minutes": round(m["train_seconds"] / 60, 2),
                                    "val_nats_per_char": m.get("final_val_nats_per_char"),
                                    "wall_minutes": round((time.time() - t0) / 60, 2)}
        r = result["variants"][name]
        rows.append((name, f"{r['val_nats_per_char']:.4f} nats/char after {r['steps']}/{steps} steps, "
                           f"{r['train_minutes']:.1f} min  {r['flags']}"))
    report(f"recipe screen: tinyshakespeare, {args.minutes:g} minutes of training each", rows, result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
