"""Summarization ROUGE on SAMSum val when the PII sanitizer runs first, per operator.

Every dialogue and its reference summary are sanitized the same way (nothing for ``raw``; ``[PERSON]``
placeholders; realistic ``surrogate`` fakes, one `Surrogates` for the dialogues and the references,
so "Jane" in a dialogue and in its summary becomes the same fake), the shipped ``samsum-summarization``
model summarizes the sanitized dialogue, and ROUGE-1/2/L (F-measure ×100, Porter-stemmed, as the
model card reports) compares the summary with the equally sanitized reference. The question it
answers: how much does an operator cost the score the harness reports, against the raw data?

    python bench/operator_scores.py --limit 50          # a quick check
    python bench/operator_scores.py --json              # all 818 dialogues

Decoding is greedy with no repeated 3-gram (``--beams 1``; the model card's row "greedy, no repeated
3-gram" is the raw score it should reproduce); ``--beams 4`` decodes as the pipeline does by default.
A surrogate row is printed per ``--seeds`` value: the salt is the one the harness gives a run with that
seed, so another seed draws other fakes.

The sanitizer finds few of SAMSum's names (speaker names such as "Jackie:" have no cue), so
``--speakers`` adds rows where every speaker name of a dialogue is replaced too, wherever it occurs in
the dialogue and its summary: a stand-in for a name recognizer with high recall, not the sanitizer.
"""

import argparse
import json
import os
import platform
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SAMSUM = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "shared", "data",
                      "samsum", "val.json.gz")
TYPES = ("rouge1", "rouge2", "rougeL")
_SPEAKER = re.compile(r"^([^\W\d_][^\n:]{0,39}):", re.M)


def speaker_findings(dialogue, text):
    """PERSON findings for every occurrence in ``text`` of a speaker name of ``dialogue`` (and of each of
    its capitalized words, "Tom" of "Tom Smith")."""
    from evals.privacy import Finding

    names = set()
    for name in _SPEAKER.findall(dialogue):
        names |= {name.strip()} | {w for w in name.split() if w[:1].isupper() and len(w) > 1}
    return [Finding(m.start(), m.end(), "PERSON", 1.0) for name in names
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]


def sanitized(dialogues, summaries, operator, seed, speakers=False):
    """Dialogues and summaries after ``operator`` (None: untouched), the entities replaced, and seconds.

    With ``speakers``, the speaker names of each dialogue are replaced as well (see the module docstring).
    """
    from evals.privacy import Surrogates, analyze_batch, count_by_type, resolve_overlaps
    from evals.privacy.operators import apply_operator

    if operator is None:
        return dialogues, summaries, {}, 0.0
    t0 = time.perf_counter()
    texts = dialogues + summaries
    found = analyze_batch(texts)
    if speakers:
        owners = dialogues + dialogues  # the dialogue whose speakers each text may name
        found = [resolve_overlaps(f + speaker_findings(d, t)) for f, d, t in zip(found, owners, texts)]
    # one object for both columns, as the harness shares one per run: a name gets one fake everywhere
    shared = Surrogates(f"lmdemo-evals-seed-{seed}") if operator == "surrogate" else None
    clean = [apply_operator(t, f, operator, surrogates=shared) for t, f in zip(texts, found)]
    return clean[:len(dialogues)], clean[len(dialogues):], count_by_type(found), time.perf_counter() - t0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=SAMSUM, help="SAMSum's val.json.gz")
    p.add_argument("--limit", type=int, default=None, help="the first N dialogues only")
    p.add_argument("--operators", nargs="+", default=["raw", "placeholder", "surrogate"],
                   help="raw (no sanitizing) and any of evals.privacy.OPERATORS")
    p.add_argument("--seeds", type=int, nargs="+", default=[0], help="one surrogate row per seed")
    p.add_argument("--beams", type=int, default=1, help="beam width (1: greedy)")
    p.add_argument("--batch", type=int, default=64, help="dialogues per pipeline call")
    p.add_argument("--speakers", action="store_true",
                   help="also rows with every speaker name replaced (a stand-in for a high-recall name recognizer)")
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = p.parse_args(argv)

    import lmdemo
    from evals.privacy import OPERATORS
    from evals.scoring.rouge import rouge
    from lmdemo.data.examples import load_examples

    for op in args.operators:
        if op != "raw" and op not in OPERATORS:
            p.error(f"--operators must be raw or one of {list(OPERATORS)}, received {op!r}")
    examples = load_examples("summarization", args.data)[:args.limit]
    dialogues, summaries = [d for d, _ in examples], [s for _, s in examples]
    pipe = lmdemo.pipeline("summarization", num_beams=args.beams, no_repeat_ngram_size=3)
    rows = []
    started = time.perf_counter()
    runs = [(op, seed, False) for op in args.operators for seed in (args.seeds if op == "surrogate" else [None])]
    if args.speakers:
        runs += [(op, seed, True) for op, seed, _ in runs if op != "raw"]
    for op, seed, speakers in runs:
        sources, references, counts, sanitize_s = sanitized(dialogues, summaries, None if op == "raw" else op,
                                                            seed or 0, speakers)
        t0 = time.perf_counter()
        predictions = []
        for i in range(0, len(sources), args.batch):
            predictions += [r["summary_text"] for r in pipe(sources[i:i + args.batch])]
        scores = rouge(predictions, references, rouge_types=TYPES, use_stemmer=True)
        name = op if seed is None else f"surrogate (seed {seed})"
        rows.append({"operator": name + (" + speakers" if speakers else ""),
                     **{t: round(100 * scores[t], 2) for t in TYPES},
                     "entities": sum(counts.values()), "by_type": counts, "sanitize_s": round(sanitize_s, 1),
                     "summarize_s": round(time.perf_counter() - t0, 1)})
        print(f"  done: {rows[-1]['operator']}", file=sys.stderr, flush=True)
    wall = time.perf_counter() - started

    print(f"SAMSum val, {len(examples)} dialogues; samsum-summarization, "
          f"{'greedy' if args.beams == 1 else f'beam {args.beams}'}, no repeated 3-gram; "
          f"ROUGE F1 x100, stemmed, against the equally sanitized reference")
    print("| operator | ROUGE-1 | ROUGE-2 | ROUGE-L | entities replaced | sanitize s | summarize s |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['operator']} | {r['rouge1']:.2f} | {r['rouge2']:.2f} | {r['rougeL']:.2f} | {r['entities']} | "
              f"{r['sanitize_s']} | {r['summarize_s']} |")
    for r in rows:
        if r["by_type"]:
            print(f"{r['operator']}: " + ", ".join(f"{k} {v}" for k, v in r["by_type"].items()))
    print(f"wall time {wall:.0f} s on {platform.machine()}, {os.cpu_count()} cores")
    if args.json:
        print(json.dumps({"dialogues": len(examples), "beams": args.beams, "rows": rows, "seconds": round(wall, 1)}))


if __name__ == "__main__":
    main()
