"""English → Chinese BLEU on Tatoeba's validation pairs, and what the mixed scripts do to it.

    python bench/zh_translation.py --model en-zh-translation --json

Tatoeba's Chinese mixes simplified and traditional characters (in ``../shared/data/cmn_eng/valid.tsv.gz``
500 of 1,036 references hold traditional characters, 493 simplified ones). The model's translations are
decoded once (greedy and beam 4) and scored with sacrebleu's ``zh`` tokenizer, every reference of a
sentence grouped:

- as written, against the references as they are (the number the target is about);
- converted to simplified, and to traditional (OpenCC), against the same references;
- script-blind: translations and references both converted to simplified;
- for scale, the references themselves converted to the other script, against the originals: the
  best a translator that writes only simplified (or only traditional) characters can do.
"""

import argparse
import collections
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "shared", "data",
                    "cmn_eng", "valid.tsv.gz")


def bleu(hypotheses, references):
    """Corpus BLEU as the training cards measure it (``reference_scores``: sacrebleu, ``zh`` for Chinese)."""
    from lmdemo.training.task_scores import reference_scores

    scores = reference_scores("translation", hypotheses, references)
    if scores["bleu_tokenize"] != "zh":
        raise ValueError("the references are not Chinese: this benchmark scores English → Chinese")
    return scores["bleu"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="en-zh-translation")
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args(argv)

    import lmdemo
    from lmdemo.data.chinese_script import script_of, to_simplified, to_traditional
    from lmdemo.data.examples import load_examples

    val = load_examples("translation", args.data)
    grouped = {}
    for source, reference in val:
        grouped.setdefault(source, []).append(reference)
    sources = list(grouped)
    references = [grouped[s] for s in sources]
    simplified_refs = [[to_simplified(r) for r in refs] for refs in references]
    model = lmdemo.load_model(args.model)
    result = {"model": args.model, "sources": len(sources), "references": len(val),
              "reference_scripts": {str(k): v for k, v in collections.Counter(script_of(r) for _, r in val).items()},
              "decodings": {}}
    for name, beams in (("greedy", 1), (f"beam{args.beams}", args.beams)):
        started = time.time()
        hyps = [r["text"] for r in model.generate(sources, num_beams=beams)]
        seconds = time.time() - started
        result["decodings"][name] = {
            "as written": bleu(hyps, references),
            "converted to simplified": bleu([to_simplified(h) for h in hyps], references),
            "converted to traditional": bleu([to_traditional(h) for h in hyps], references),
            "script-blind (both simplified)": bleu([to_simplified(h) for h in hyps], simplified_refs),
            "seconds": round(seconds, 1),
            "output_scripts": {str(k): v for k, v in collections.Counter(script_of(h) for h in hyps).items()},
        }
    first = [refs[0] for refs in references]
    result["references converted"] = {"to simplified": bleu([to_simplified(r) for r in first], references),
                                      "to traditional": bleu([to_traditional(r) for r in first], references)}

    print(f"{args.model}: {len(sources)} validation sentences ({len(val)} references), BLEU (sacrebleu, zh tokenizer)")
    rows = ["as written", "converted to simplified", "converted to traditional", "script-blind (both simplified)"]
    print(f"{'':<34}" + "".join(f"{name:>12}" for name in result["decodings"]))
    for row in rows:
        print(f"{row:<34}" + "".join(f"{d[row]:>12.2f}" for d in result["decodings"].values()))
    print("the first reference converted, against all of them: "
          + ", ".join(f"{k} {v:.2f}" for k, v in result["references converted"].items()))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
