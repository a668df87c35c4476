"""Metric speed: our BLEU and ROUGE against sacrebleu and rouge_score called directly, and perplexity chars/s.

    python bench/metrics_speed.py --pairs 10000 --repeats 5 --json

BLEU and ROUGE: ``--pairs`` English sentences (multi30k train.en from ../shared/data, or generated
sentences when it is absent) as references, and seeded edits of them (a word dropped, two words
swapped, a word replaced) as predictions. Each scorer runs ``--repeats`` times, interleaved with
the others so background load hits all alike; the best CPU time counts. Targets: our functions and
our ``evaluate`` modules cost at most 1.1x the direct call, and give the same numbers.

Perplexity: when ``models/shakespeare-char`` is present, characters per second of scoring the
tinyshakespeare validation split (the last 10%, 111,540 characters) with disjoint windows,
after one warm-up call that compiles. Target: at least 20,000 chars/s.
"""

import argparse
import gzip
import os
import time

from common import report

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared", "data")
SENTENCES = os.path.join(SHARED, "multi30k_en_de", "train.en.gz")
SHAKESPEARE = os.path.join(SHARED, "tinyshakespeare", "input.txt")
MODEL = os.path.join(REPO, "models", "shakespeare-char")
ROUGE_TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


def sentence_pairs(n, seed=0):
    """(predictions, references): ``n`` references and a seeded edit of each as its prediction."""
    rng = np.random.default_rng(seed)
    if os.path.isfile(SENTENCES):
        with gzip.open(SENTENCES, "rt", encoding="utf-8") as f:
            refs = [line.strip() for line, _ in zip(f, range(n)) if line.strip()]
        source = "multi30k train.en"
    else:
        words = "a the man woman dog child runs sits on in with red blue street park ball water near".split()
        refs = [" ".join(rng.choice(words, size=rng.integers(5, 20))) + "." for _ in range(n)]
        source = "generated sentences"
    vocab = sorted({w for r in refs[:2000] for w in r.split()})
    preds = []
    for ref in refs:
        w = ref.split()
        edit = rng.integers(0, 4)
        i = int(rng.integers(0, len(w)))
        if edit == 0 and len(w) > 1:
            del w[i]
        elif edit == 1 and len(w) > 1:
            j = min(i + 1, len(w) - 1)
            w[i], w[j] = w[j], w[i]
        elif edit == 2:
            w[i] = vocab[int(rng.integers(0, len(vocab)))]
        preds.append(" ".join(w))  # edit 3: unchanged
    return preds, refs, source


def best_times(fns, repeats):
    """Run each function ``repeats`` times, interleaved, and keep its best CPU and wall times.

    CPU time (``time.process_time``, all threads of this process) is what the ratios use: on
    a shared machine the wall time also counts the waits for a core.

    Returns:
        ({name: best CPU seconds}, {name: best wall seconds}, {name: last result}).
    """
    cpu = {name: float("inf") for name in fns}
    wall = dict(cpu)
    results = {}
    for repeat in range(repeats):
        order = list(fns.items())
        for name, fn in order if repeat % 2 == 0 else order[::-1]:  # alternate: no scorer always runs first
            c0, w0 = time.process_time(), time.perf_counter()
            results[name] = fn()
            cpu[name] = min(cpu[name], time.process_time() - c0)
            wall[name] = min(wall[name], time.perf_counter() - w0)
    return cpu, wall, results


def bench_bleu_rouge(preds, refs, repeats):
    import sacrebleu
    from rouge_score import rouge_scorer

    import evals
    from evals.scoring.bleu import corpus_bleu
    from evals.scoring.rouge import rouge

    bleu_module = evals.load_metric("bleu", keep_in_memory=True)
    rouge_module = evals.load_metric("rouge", keep_in_memory=True)

    def rouge_direct():
        scorer = rouge_scorer.RougeScorer(ROUGE_TYPES)
        scores = [scorer.score(r, p) for r, p in zip(refs, preds)]
        return {t: sum(s[t].fmeasure for s in scores) / len(scores) for t in ROUGE_TYPES}

    times, wall, results = best_times({
        "bleu_direct": lambda: sacrebleu.corpus_bleu(preds, [refs]).score,
        "bleu_ours": lambda: corpus_bleu(preds, refs)["score"],
        "bleu_module": lambda: bleu_module.compute(predictions=preds, references=refs)["score"],
        "rouge_direct": rouge_direct,
        "rouge_ours": lambda: rouge(preds, refs),
        "rouge_module": lambda: rouge_module.compute(predictions=preds, references=refs),
    }, repeats)
    same_bleu = results["bleu_direct"] == results["bleu_ours"] == results["bleu_module"]
    same_rouge = all(abs(results["rouge_direct"][t] - results[k][t]) < 1e-12
                     for t in ROUGE_TYPES for k in ("rouge_ours", "rouge_module"))
    return times, wall, results, same_bleu, same_rouge


def bench_perplexity(stride):
    """chars/s of perplexity on the tinyshakespeare validation split, or a reason it was skipped."""
    if not os.path.isfile(os.path.join(MODEL, "config.json")):
        return None, f"skipped: {MODEL} not found (the model is not trained yet)"
    if not os.path.isfile(SHAKESPEARE):
        return None, f"skipped: {SHAKESPEARE} not found"
    import lmdemo
    from evals.scoring.perplexity import perplexity
    from lmdemo.data.text import split_text

    try:
        lm = lmdemo.load_model(MODEL)
    except (ValueError, OSError) as e:
        return None, f"skipped: could not load {MODEL}: {e}"
    with open(SHAKESPEARE, encoding="utf-8") as f:
        val = split_text(f.read(), 0.1)[1]
    t0 = time.perf_counter()
    perplexity([val], lm, stride=stride, per_text=False)  # compiles
    first = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    r = perplexity([val], lm, stride=stride, per_text=False)
    warm, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"ppl_chars": len(val), "ppl_chars_per_s": len(val) / warm, "ppl_first_call_s": first,
            "ppl_warm_s": warm, "ppl_warm_cpu_s": cpu, "ppl_stride": stride, "bits_per_char": r["bits_per_char"],
            "perplexity_per_token": r["perplexity_per_token"]}, None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pairs", type=int, default=10_000, help="sentence pairs for BLEU and ROUGE")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--stride", type=int, default=None, help="perplexity window stride (default: disjoint)")
    p.add_argument("--skip-perplexity", action="store_true")
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = p.parse_args()

    preds, refs, source = sentence_pairs(args.pairs)
    times, wall, results, same_bleu, same_rouge = bench_bleu_rouge(preds, refs, args.repeats)
    result = {"pairs": len(refs), "source": source, "repeats": args.repeats,
              **{f"{k}_cpu_s": v for k, v in times.items()}, **{f"{k}_wall_s": v for k, v in wall.items()},
              "bleu_ours_ratio": times["bleu_ours"] / times["bleu_direct"],
              "bleu_module_ratio": times["bleu_module"] / times["bleu_direct"],
              "rouge_ours_ratio": times["rouge_ours"] / times["rouge_direct"],
              "rouge_module_ratio": times["rouge_module"] / times["rouge_direct"],
              "bleu_score": results["bleu_direct"], "bleu_identical": same_bleu, "rouge_identical": same_rouge}
    rows = [("pairs", f"{len(refs):,} ({source}), best of {args.repeats}"),
            ("", "CPU s (ratio to direct) | wall s")]
    for metric, direct in (("bleu", "sacrebleu.corpus_bleu"), ("rouge", "rouge_score RougeScorer loop")):
        for key, label in (("direct", direct), ("ours", "evals.scoring"), ("module", "evaluate module")):
            name = f"{metric}_{key}"
            ratio = "" if key == "direct" else f" ({times[name] / times[f'{metric}_direct']:.3f}x)"
            rows.append((f"{metric}: {label}", f"{times[name]:.3f}{ratio} | {wall[name]:.3f}"))
    rows += [("same BLEU / ROUGE values", f"{same_bleu} / {same_rouge}")]
    if args.skip_perplexity:
        rows.append(("perplexity", "skipped (--skip-perplexity)"))
    else:
        ppl, reason = bench_perplexity(args.stride)
        if ppl is None:
            rows.append(("perplexity", reason))
            result["perplexity"] = reason
        else:
            result.update(ppl)
            rows += [
                ("perplexity: validation chars", f"{ppl['ppl_chars']:,}"),
                ("perplexity: chars/s (warm)", f"{ppl['ppl_chars_per_s']:,.0f}  (target >= 20,000)"),
                ("perplexity: warm wall / CPU s", f"{ppl['ppl_warm_s']:.1f} / {ppl['ppl_warm_cpu_s']:.1f}"),
                ("perplexity: first call incl. compile (s)", f"{ppl['ppl_first_call_s']:.1f}"),
                ("perplexity: bits per char", f"{ppl['bits_per_char']:.4f}"),
            ]
    report("metric speed (lower ratio is better; target <= 1.1x)", rows, result, args.json)


if __name__ == "__main__":
    main()
