"""The three applications scored on their validation sets, each beside its baseline.

Re-measures the shipped task models with the same function their training ran at the end
(``lmdemo.training.task_scores.final_task_scores``: sacrebleu's BLEU and rouge_score's ROUGE)
and writes the table as Markdown and JSON:

    python bench/task_scores.py --out docs/tasks          # docs/tasks.md + docs/tasks.json

- sentiment: SST-2 dev accuracy of ``sst2-sentiment`` (and of each of its two experts alone) and
  of a bag-of-n-grams logistic regression trained on the same training file;
- translation: BLEU of ``en-es-translation`` on the Tatoeba validation pairs, every reference
  of a source sentence grouped, greedy and beam search;
- summarization: ROUGE-1/2/L of ``samsum-summarization`` (greedy and beam), lead-3 and
  TextRank on SAMSum val.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "shared", "data")
TASKS = {
    "sentiment": ("sst2-sentiment", "sst2/train.tsv", "sst2/dev.tsv"),
    "translation": ("en-es-translation", None, "spa_eng/valid.tsv.gz"),
    "summarization": ("samsum-summarization", None, "samsum/val.json.gz"),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DATA, help="the shared data folder")
    parser.add_argument("--tasks", nargs="+", default=list(TASKS), choices=list(TASKS))
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--out", default=None, help="write OUT.md and OUT.json")
    args = parser.parse_args(argv)

    import lmdemo
    from lmdemo.data.examples import load_examples
    from lmdemo.training.cards import sentiment_rows
    from lmdemo.training.task_scores import final_task_scores

    results = {}
    for task in args.tasks:
        name, train_file, val_file = TASKS[task]
        if name not in lmdemo.available_models():
            print(f"skipping {task}: {name} is missing", file=sys.stderr)
            continue
        model = lmdemo.load_model(name)
        val = load_examples(task, os.path.join(args.data, val_file))
        train = load_examples(task, os.path.join(args.data, train_file)) if train_file else None
        results[task] = {"model": name, **final_task_scores(task, model, val, train, args.beams)["final"]}
    lines = ["# The applications on their validation sets", "", "Measured with `python bench/task_scores.py"
             " --out docs/tasks` on this machine.", ""]
    if "sentiment" in results:
        r = results["sentiment"]
        lines += ["## Sentiment (SST-2 dev, 872 sentences)", "", f"`{r['model']}`:", ""] + sentiment_rows(r) + [""]
    if "translation" in results:
        r = results["translation"]
        lines += [f"## Translation English→Spanish (Tatoeba valid, {r['sources']:,} sources, {r['references']:,} "
                  "references)", "", "| decoding | BLEU | seconds |", "|---|---|---|"]
        lines += [f"| {k} | {v['bleu']:.2f} | {v['seconds']:.0f} |" for k, v in r.items() if isinstance(v, dict)]
        lines.append("")
    if "summarization" in results:
        r = results["summarization"]
        lines += [f"## Summarization (SAMSum val, {r['documents']} dialogues; ROUGE F1 ×100, stemmed)", "",
                  "| method | ROUGE-1 | ROUGE-2 | ROUGE-L |", "|---|---|---|---|"]
        lines += [f"| {k} | {v['rouge1']:.2f} | {v['rouge2']:.2f} | {v['rougeL']:.2f} |" for k, v in r.items()
                  if isinstance(v, dict)]
        lines.append("")
    table = "\n".join(lines)
    print(table)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out + ".md", "w", encoding="utf-8") as f:
            f.write(table)
        with open(args.out + ".json", "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
