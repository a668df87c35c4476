"""WikiText-2 perplexity as lm-evaluation-harness defines it, for any model lmdemo loads.

The definitions are those of lm-evaluation-harness's ``wikitext`` task (EleutherAI), so a number here
can be set beside a published one:

- the unit is a **whole article** ("page"), cut at its level-1 heading `` = Title = ``;
- the model reads the article after the harness's **detokenization** (`` @-@ `` → ``-``, `` , `` → ``, ``,
  brackets and quotes closed up, ``= = =`` → ``===``, `` 's`` → ``'s`` ...: `detokenize`);
- it is scored in **rolling windows** of the model's context, each predicting new tokens with as much
  context as fits, the first token conditioned on the end-of-text token (``TransformerLM.log_probs``);
- word and byte counts are those of the article **before** detokenization, whatever the tokenizer:
  word_perplexity = exp(−Σ log-likelihood / Σ words), words = ``len(re.split(r"\\s+", page))``;
  byte_perplexity = exp(−Σ ll / Σ UTF-8 bytes); bits_per_byte = −Σ ll / Σ bytes / ln 2.

lm-evaluation-harness reads the **test** split (``EleutherAI/wikitext_document_level``,
``wikitext-2-raw-v1``): ``--hf-split test`` loads it where the Hub can be reached. Here only the
validation file is on disk (``--file``, the default), so the numbers printed here are validation-split
numbers, cut into articles by this script; the test-split number of GPT-2 124M is the one to compare
with when ``--model hf:openai-community/gpt2 --hf-split test`` can run.

Only a model that reads the text as written can be compared: the ``<unk>`` column is the share of tokens
a word- or character-level vocabulary could not read (byte-level BPE, as GPT-2's, has none).

    python bench/wikitext_perplexity.py --model shakespeare-char ptb-transformer --max-docs 10
"""

import argparse
import json
import math
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import lmdemo  # noqa: E402  (selects Keras' JAX backend first)
from evals.scoring.perplexity import count_units, scores_from_statistics, text_statistics  # noqa: E402

DEFAULT_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared", "data",
                            "wikitext2_raw", "wiki.valid.raw")
_HEADING = re.compile(r"^ = [^=].* = $")  # a level-1 heading: an article's title

# lm-evaluation-harness's wikitext detokenization, in its order: (pattern, replacement, is_regex)
_DETOKENIZE = [
    ("s '", "s'", False), (r"/' [0-9]/", r"/'[0-9]/", True),
    (" @-@ ", "-", False), (" @,@ ", ",", False), (" @.@ ", ".", False),
    (" : ", ": ", False), (" ; ", "; ", False), (" . ", ". ", False), (" ! ", "! ", False), (" ? ", "? ", False),
    (" , ", ", ", False),
    (r"\(\s*([^\)]*?)\s*\)", r"(\1)", True), (r"\[\s*([^\]]*?)\s*\]", r"[\1]", True),
    (r"{\s*([^}]*?)\s*}", r"{\1}", True), (r"\"\s*([^\"]*?)\s*\"", r'"\1"', True), (r"'\s*([^']*?)\s*'", r"'\1'", True),
    ("= = = =", "====", False), ("= = =", "===", False), ("= =", "==", False), (" \u00b0 ", "\u00b0", False),
    (" \n", "\n", False), ("\n ", "\n", False), (" N ", " 1 ", False), (" 's", "'s", False),
]


def detokenize(page):
    """A WikiText article as lm-evaluation-harness gives it to the model (the rules above, in order)."""
    for pattern, replacement, is_regex in _DETOKENIZE:
        page = re.sub(pattern, replacement, page) if is_regex else page.replace(pattern, replacement)
    return page


def articles(lines):
    """The articles of a raw WikiText file (its lines, newlines kept): each from its level-1 heading to the
    line before the next one; lines before the first heading are left out."""
    pages, current = [], None
    for line in lines:
        if _HEADING.match(line.rstrip("\n")):
            if current is not None:
                pages.append("".join(current))
            current = []
        if current is not None:
            current.append(line)
    if current:
        pages.append("".join(current))
    return pages


def load_pages(path, hf_split):
    if hf_split:
        from datasets import load_dataset

        return list(load_dataset("EleutherAI/wikitext_document_level", "wikitext-2-raw-v1", split=hf_split)["page"])
    with open(path, encoding="utf-8") as f:
        return articles(f)


def score(model, pages, stride=None):
    """lm-evaluation-harness's three wikitext figures (and per token) for ``model`` on ``pages``."""
    rows = text_statistics(model, [detokenize(p) for p in pages], stride=stride)
    for row, page in zip(rows, pages):
        _, row[3], row[4] = count_units(page)  # bytes and words of the page before detokenization
    return scores_from_statistics(rows.sum(axis=0)), int(rows[:, 1].sum())


def unknown_share(model, pages):
    """The share of the tokens of ``pages`` that are ``<unk>``: text the model never scores as written (a
    word model that maps 38% of WikiText to <unk> gets a low perplexity for predicting <unk>)."""
    unk = model.tokenizer.token_to_id("<unk>") if hasattr(model.tokenizer, "token_to_id") else None
    if unk is None:
        return 0.0
    ids = [i for page in pages for i in model.tokenizer.encode(detokenize(page))]
    return sum(i == unk for i in ids) / max(len(ids), 1)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", nargs="+", default=["shakespeare-char"],
                   help="shipped names, checkpoint folders, Hugging Face folders or hf:OWNER/NAME ids")
    p.add_argument("--file", default=DEFAULT_FILE, help="a raw WikiText file (default: the validation file in ../shared)")
    p.add_argument("--hf-split", default=None, choices=["test", "validation", "train"],
                   help="read EleutherAI/wikitext_document_level from the Hub instead (lm-evaluation-harness: test)")
    p.add_argument("--max-docs", type=int, default=None, help="score the first N articles only")
    p.add_argument("--stride", type=int, default=None, help="new tokens per rolling window (default: disjoint)")
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = p.parse_args()

    pages = load_pages(args.file, args.hf_split)[:args.max_docs]
    words = sum(count_units(x)[2] for x in pages)
    source = f"EleutherAI/wikitext_document_level {args.hf_split}" if args.hf_split else os.path.relpath(args.file)
    print(f"\n## WikiText-2 ({source}): {len(pages)} articles, {words:,} words; lm-evaluation-harness definitions\n")
    print("| model | parameters | tokens | <unk> | word perplexity | byte perplexity | bits per byte | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    results = {}
    for name in args.model:
        model = lmdemo.load_model(name)
        t0 = time.perf_counter()
        scores, tokens = score(model, pages, args.stride)
        seconds = time.perf_counter() - t0
        params = model.num_params() if hasattr(model, "num_params") else None
        results[name] = {**{k: scores[k] for k in ("word_perplexity", "byte_perplexity", "bits_per_byte")},
                         "tokens": tokens, "unknown_share": unknown_share(model, pages), "parameters": params,
                         "seconds": round(seconds, 1)}
        r = results[name]
        print(f"| {name} | {f'{params:,}' if params else '-'} | {tokens:,} | {100 * r['unknown_share']:.1f}% | "
              f"{r['word_perplexity']:.2f} | {r['byte_perplexity']:.4f} | {r['bits_per_byte']:.4f} | {seconds:.0f} |")
    if args.json:
        print(json.dumps({"source": source, "articles": len(pages), "words": words, "stride": args.stride,
                          "results": results}, default=lambda x: None if isinstance(x, float) and math.isnan(x) else x))


if __name__ == "__main__":
    main()
