"""The poem model on held-out poems: form kept at temperature 0.8, and nats per character beside a 5-gram.

    python bench/poem_form.py --model tang-poems-char --ngram runs/tang5 --poems 200 --json

For the first ``--poems`` poems of the validation split, the model writes a poem to each title in that poem's
form (read off it), once constrained (``lmdemo.tasks.poem.FormConstraint``) and once left to itself, at
temperature 0.8 with seed = the row number; ``evals.scoring.poem_form`` scores both. Then every model named
(the poem model, and with ``--ngram`` a Kneser-Ney model counted on the same training poems) scores the
whole validation split read as records (``lmdemo.data.poems``) with ``lm.log_probs``: nats per character,
the form and title included.
"""

import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "shared", "data",
                    "tang_poems", "valid.tsv.gz")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tang-poems-char")
    parser.add_argument("--ngram", default=None, help="an n-gram checkpoint counted on the same training poems")
    parser.add_argument("--data", default=DATA, help="the validation poems (title, poem)")
    parser.add_argument("--poems", type=int, default=200, help="titles to write poems for")
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args(argv)

    import lmdemo
    from evals.scoring.poem_form import poem_form_scores
    from lmdemo.data.poem_form import detect_form
    from lmdemo.data.poems import poems_text, read_poems

    poems = [(title, poem) for title, poem in read_poems(args.data) if detect_form(poem)][:args.poems]
    titles = [title or "無題" for title, _ in poems]
    forms = [detect_form(poem) for _, poem in poems]
    write = lmdemo.pipeline("poem", model=args.model)
    result = {"model": args.model, "poems": len(poems), "temperature": args.temperature, "forms": {}}
    for constrained in (True, False):
        started = time.time()
        written = [write(title, form=form, temperature=args.temperature, seed=i, constrained=constrained)["poem"]
                   for i, (title, form) in enumerate(zip(titles, forms))]
        scores = poem_form_scores(written, forms)
        result["forms"]["constrained" if constrained else "unconstrained"] = {
            **{k: v for k, v in scores.items() if k != "per_poem"},
            "seconds_per_poem": round((time.time() - started) / len(poems), 3), "example": written[0]}
    text, kept, _ = poems_text(args.data)
    result["val_poems"], result["val_chars"] = kept, len(text)
    result["nats_per_char"] = {}
    for name in [args.model] + ([args.ngram] if args.ngram else []):
        lp = lmdemo.load_model(name).log_probs(text)
        result["nats_per_char"][name] = -float(lp.sum()) / len(text)

    print(f"{args.model}: {len(poems)} validation titles, temperature {args.temperature}")
    print(f"{'decoding':<15}{'form':>8}{'lines':>8}{'widths':>8}{'marks':>8}{'s/poem':>8}")
    for name, r in result["forms"].items():
        print(f"{name:<15}{r['form_accuracy']:>8.3f}{r['line_count_accuracy']:>8.3f}{r['width_accuracy']:>8.3f}"
              f"{r['punctuation_accuracy']:>8.3f}{r['seconds_per_poem']:>8.3f}")
    print(f"\nthe validation split as records ({kept} poems, {len(text):,} characters):")
    for name, nats in result["nats_per_char"].items():
        print(f"  {name:<28}{nats:.4f} nats/char ({nats / math.log(2):.4f} bits/char)")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
