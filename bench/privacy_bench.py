"""PII detection quality and speed on held-out data: lmdemo's sanitizer against Presidio and scrubadub.

    pip install -r requirements-bench.txt
    PYTHONPATH=. python bench/privacy_bench.py --templates dev --docs 1500 --json
    PYTHONPATH=. python bench/privacy_bench.py --templates train --docs 1500   # the training templates' score

Data:

- **dev set**: ``lmdemo.data.pii_synthesis.dev_examples(--docs, --seed)``, documents filled from the dev
  templates (``lmdemo.data.pii_dev_templates``), which the tagger is never trained on. ``--templates train``
  fills the training templates instead (same seed): the gap between the two shows how much of a score
  comes from having seen the templates.
- **SAMSum val dialogues** (``../shared/data/samsum/val.json.gz``; never the train or test split): weak
  PERSON labels, every mention of a speaker's name (``samsum_example(..., rename=0)``). Third-party names
  are not labelled, so precision there is an underestimate; recall is the number to read. Dialogues with
  a one-letter speaker ("A:", "B:") are left out: their labels would mark every article "a".
- **real prose** (Wikitext-2 valid lines, Tatoeba English–Chinese valid pairs): no labels, speed only.

Matching is entity-level. A predicted span is a true positive when it overlaps a gold span of the same
type that no earlier prediction has matched (predictions in order of start, each gold matched at most
once), so P = TP / predicted, R = TP / gold, F2 = 5PR / (4P + R) (recall weighs four times precision:
a missed entity leaks, a false alarm only hides a word). *Strict* matching needs the same type and the
exact boundaries. The overall row is micro-averaged over PERSON, ADDRESS, CREDIT_CARD, PHONE, EMAIL,
IBAN, US_SSN and IP_ADDRESS; URL and DATE_OF_BIRTH get rows of their own outside it. Predicted types
outside the table (lmdemo's CN_ID and SECRET, Presidio's US_BANK_NUMBER ...) are ignored.

Systems, each skipped with a printed line when it does not import:

- ``lmdemo``: ``evals.privacy.analyze_batch`` with whatever recognizers it has when the bench runs.
- ``presidio``: ``presidio-analyzer``'s predefined recognizers behind its ``NoOpNlpEngine`` (no spaCy
  model: none can be downloaded here), language "en" for every text, its default score threshold 0
  (``--presidio-threshold``). Without an NLP model it has no PERSON or LOCATION recognizer, and its
  context words cannot raise scores. Its DATE_TIME (any date) is scored as DATE_OF_BIRTH, so that row
  is low in precision by construction. tldextract (its e-mail check) is kept offline on its bundled
  public-suffix list.
- ``scrubadub``: ``scrubadub.Scrubber()`` with its default detectors (no names, no addresses, no IBAN,
  no IP addresses); merged findings are scored as their parts.

Speed is UTF-8 megabytes per second, best of ``--repeats`` after one warm-up pass (the pass whose
predictions are scored): ``batch`` is one ``analyze_batch`` call over all texts, ``batch_Nproc`` the same
shared among N worker processes (started before the timing), ``loop`` one call per text. The
tagger keeps the vectors of the words it has read, so passes after the first find most words known;
``batch_cold`` is ``batch`` with the tagger's words forgotten before each pass (every word read anew). The machine's
load is printed as the time of a fixed pure-Python loop. Adversarial inputs (empty, random bytes,
control characters, names only, 10 MB of dev text ...) time lmdemo's ``analyze`` against a bound in
seconds per MB.
"""

import argparse
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from evals.privacy import analyze, analyze_batch, tagger_name  # noqa: E402
from evals.privacy.learned import tagger  # noqa: E402

SCOPE = ("PERSON", "ADDRESS", "CREDIT_CARD", "PHONE", "EMAIL", "IBAN", "US_SSN", "IP_ADDRESS")  # the overall row
EXTRA = ("URL", "DATE_OF_BIRTH")  # reported, outside the overall row
TYPES = SCOPE + EXTRA
SHARED = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "shared", "data")

PRESIDIO_TYPES = {"PERSON": "PERSON", "LOCATION": "ADDRESS", "EMAIL_ADDRESS": "EMAIL", "PHONE_NUMBER": "PHONE",
                  "CREDIT_CARD": "CREDIT_CARD", "IBAN_CODE": "IBAN", "US_SSN": "US_SSN", "IP_ADDRESS": "IP_ADDRESS",
                  "URL": "URL", "DATE_TIME": "DATE_OF_BIRTH"}
SCRUBADUB_TYPES = {"name": "PERSON", "address": "ADDRESS", "email": "EMAIL", "phone": "PHONE",
                   "credit_card": "CREDIT_CARD", "social_security_number": "US_SSN", "url": "URL",
                   "date_of_birth": "DATE_OF_BIRTH"}


# -- data ---------------------------------------------------------------------------------------------------
def tagged_documents(templates, n, seed):
    """``n`` documents ``(text, [(start, end, type), ...])`` from the dev or the training templates."""
    from lmdemo.data import pii_synthesis

    if templates == "dev":
        return pii_synthesis.dev_examples(n, seed)
    return pii_synthesis.template_examples(pii_synthesis.TRAIN_TEMPLATES, n, seed)


def samsum_dialogues(path):
    """SAMSum dialogues with every mention of a speaker's name labelled PERSON, and how many were left out."""
    from lmdemo.data.examples import load_examples
    from lmdemo.data.pii_synthesis import _SPEAKER, Filler, samsum_example

    filler, rng = Filler(0), random.Random(0)
    dialogues = [d for d, _ in load_examples("summarization", path, skip_empty=True)]
    kept = [d for d in dialogues if all(len(s) > 1 for s in _SPEAKER.findall(d))]
    return [samsum_example(d, filler, rng, rename=0) for d in kept], len(dialogues) - len(kept)


def prose(max_mb):
    """Unlabelled texts for speed: {name: [text, ...]}, each source cut to about ``max_mb`` MB."""
    from lmdemo.data.examples import load_examples, load_texts

    sources = {}
    wiki = os.path.join(SHARED, "wikitext2_raw", "wiki.valid.raw")
    if os.path.exists(wiki):
        sources["wikitext valid lines"] = load_texts([wiki])
    pairs = os.path.join(SHARED, "cmn_eng", "valid.tsv.gz")
    if os.path.exists(pairs):
        sources["en-zh valid sentences"] = [s for pair in load_examples("translation", pairs) for s in pair]
    for name, texts in sources.items():
        kept, size = [], 0
        for t in texts:
            if size >= max_mb * 1e6:
                break
            kept.append(t)
            size += len(t.encode("utf-8"))
        sources[name] = kept
    return sources


def megabytes(texts):
    return sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) / 1e6


# -- scoring ------------------------------------------------------------------------------------------------
def match(gold, pred):
    """True positives per type: (overlap matches, exact matches), each gold span matched at most once."""
    tp, exact = {}, {}
    used = set()
    for p in sorted(pred):
        for i, g in enumerate(gold):
            if i not in used and g[2] == p[2] and g[0] < p[1] and p[0] < g[1]:
                used.add(i)
                tp[p[2]] = tp.get(p[2], 0) + 1
                break
    for s in set(gold) & set(pred):
        exact[s[2]] = exact.get(s[2], 0) + 1
    return tp, exact


def count(documents, predictions, types=TYPES):
    """Summable counts per type: gold, pred, tp (overlap) and tp_strict (exact boundaries)."""
    stats = {t: {"gold": 0, "pred": 0, "tp": 0, "tp_strict": 0} for t in types}
    for (_, gold), pred in zip(documents, predictions):
        gold = [g for g in gold if g[2] in stats]
        pred = sorted({p for p in pred if p[2] in stats})
        tp, exact = match(gold, pred)
        for kind, spans in (("gold", gold), ("pred", pred)):
            for s in spans:
                stats[s[2]][kind] += 1
        for t in tp:
            stats[t]["tp"] += tp[t]
        for t in exact:
            stats[t]["tp_strict"] += exact[t]
    return stats


def f_beta(tp, pred, gold, beta=2.0):
    """(precision, recall, F-beta); None where a denominator is 0."""
    p = tp / pred if pred else None
    r = tp / gold if gold else None
    if p is None or r is None:
        return p, r, None
    f = (1 + beta ** 2) * p * r / (beta ** 2 * p + r) if p + r else 0.0
    return p, r, f


def scores(stats):
    """Per-type and overall (micro over SCOPE) precision, recall, F2, and the strict F2."""
    rows = {}
    for t, s in stats.items():
        p, r, f = f_beta(s["tp"], s["pred"], s["gold"])
        rows[t] = {**s, "precision": p, "recall": r, "f2": f,
                   "f2_strict": f_beta(s["tp_strict"], s["pred"], s["gold"])[2]}
    total = {k: sum(stats[t][k] for t in SCOPE if t in stats) for k in ("gold", "pred", "tp", "tp_strict")}
    p, r, f = f_beta(total["tp"], total["pred"], total["gold"])
    ps, rs, fs = f_beta(total["tp_strict"], total["pred"], total["gold"])
    rows["overall"] = {**total, "precision": p, "recall": r, "f2": f, "precision_strict": ps, "recall_strict": rs,
                       "f2_strict": fs}
    return rows


# -- systems ------------------------------------------------------------------------------------------------
def lmdemo_spans(findings):
    return [(f.start, f.end, f.type) for f in findings]


def presidio_system(threshold):
    """Presidio's predefined pattern recognizers without an NLP model: (one-text function, description)."""
    import logging

    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")  # no download: the bundled snapshot
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    engine = AnalyzerEngine(nlp_engine=NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}]),
                            supported_languages=["en"], default_score_threshold=threshold)

    def predict(text):
        return [(r.start, r.end, PRESIDIO_TYPES[r.entity_type]) for r in engine.analyze(text, language="en")
                if r.entity_type in PRESIDIO_TYPES]

    recognizers = sorted(r.name for r in engine.registry.recognizers)
    return predict, f"NoOpNlpEngine, score threshold {threshold}, recognizers: {', '.join(recognizers)}"


def scrubadub_system():
    """scrubadub's default detectors: (one-text function, description)."""
    import scrubadub

    scrubber = scrubadub.Scrubber()

    def predict(text):
        out = []
        for f in scrubber.iter_filth(text):
            for part in getattr(f, "filths", None) or [f]:
                if part.type in SCRUBADUB_TYPES:
                    out.append((part.beg, part.end, SCRUBADUB_TYPES[part.type]))
        return out

    return predict, f"Scrubber(), detectors: {', '.join(sorted(scrubber._detectors))}"


def systems(args):
    """{name: {mode: function from a list of texts to a list of span lists}}, and {name: description}."""
    from importlib.metadata import version

    modes = {"lmdemo": {"batch": lambda texts: [lmdemo_spans(f) for f in analyze_batch(texts)]}}
    if tagger_name():
        def cold(texts):
            return [lmdemo_spans(f) for f in analyze_batch(texts)]
        cold.before = lambda: tagger().clear()  # a tagger that has read no word yet
        modes["lmdemo"]["batch_cold"] = cold
    if args.processes > 1:
        modes["lmdemo"][f"batch_{args.processes}proc"] = lambda texts: [
            lmdemo_spans(f) for f in analyze_batch(texts, processes=args.processes)]
    modes["lmdemo"]["loop"] = lambda texts: [lmdemo_spans(analyze(t)) for t in texts]
    described = {"lmdemo": "evals.privacy.analyze_batch, default min_score"}
    for name, make in (("presidio", lambda: presidio_system(args.presidio_threshold)),
                       ("scrubadub", scrubadub_system)):
        if name in args.skip:
            print(f"{name}: skipped (--skip)")
            continue
        try:
            predict, description = make()
        except Exception as e:  # not installed, or its setup fails offline
            print(f"{name}: skipped ({type(e).__name__}: {e})")
            continue
        package = {"presidio": "presidio-analyzer", "scrubadub": "scrubadub"}[name]
        modes[name] = {"loop": lambda texts, predict=predict: [predict(t) for t in texts]}
        described[name] = f"{package} {version(package)}: {description}"
    return modes, described


# -- speed --------------------------------------------------------------------------------------------------
def timed(run, texts, repeats):
    """The first pass's output (the warm-up) and the best MB/s of ``repeats`` more passes."""
    before = getattr(run, "before", lambda: None)  # untimed set-up of each pass
    before()
    out = run(texts)
    best = float("inf")
    for _ in range(repeats):
        before()
        t0 = time.perf_counter()
        run(texts)
        best = min(best, time.perf_counter() - t0)
    return out, megabytes(texts) / best


def python_loop_seconds():
    """Seconds for a fixed pure-Python loop: compares machines, or one machine under different loads."""
    t0 = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i
    return round(time.perf_counter() - t0, 3)


def adversarial(documents, big_mb, bound_s_per_mb):
    """Seconds for lmdemo's `analyze` on pathological inputs; each must stay under the bound per MB."""
    names = ", ".join(text[s:e] for text, gold in documents for s, e, t in gold if t == "PERSON")
    realistic = "\n".join(text for text, _ in documents)
    cases = {
        "empty": "",
        "random bytes 1 MB": random.Random(0).randbytes(1_000_000).decode("utf-8", "surrogateescape"),
        "control chars 1 MB": "".join(map(chr, range(32))) * 31_250,
        "'1' * 1e6": "1" * 1_000_000,
        "'a@' * 5e5": "a@" * 500_000,
        "'http://' + 'a' * 1e6": "http://" + "a" * 1_000_000,
        "'Ann ' * 2.5e5": "Ann " * 250_000,
        "names from the documents, 1 MB": names * (1_000_000 // max(len(names), 1) + 1),
        "'王' * 3.3e5": "王" * 333_333,
        f"documents {big_mb:g} MB": realistic * int(big_mb * 1e6 // max(len(realistic.encode()), 1) + 1),
    }
    rows = {}
    for name, text in cases.items():
        t0 = time.perf_counter()
        analyze(text)
        seconds = time.perf_counter() - t0
        mb = megabytes([text])
        rows[name] = {"mb": round(mb, 2), "seconds": round(seconds, 3),
                      "ok": seconds <= bound_s_per_mb * max(mb, 1)}
    return rows


# -- output -------------------------------------------------------------------------------------------------
def markdown(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt(v):
    return "-" if v is None else f"{v:.3f}"


def quality_table(results, names):
    header = ["type", "gold"] + [f"{n} {m}" for n in names for m in ("P", "R", "F2")]
    rows = []
    for t in TYPES + ("overall",):
        label = f"**overall** (micro, {len(SCOPE)} types)" if t == "overall" else t + (" *" if t in EXTRA else "")
        row = [label, results[names[0]][t]["gold"]]
        for n in names:
            row += [fmt(results[n][t][k]) for k in ("precision", "recall", "f2")]
        rows.append(row)
    strict = ["overall, strict boundaries", ""]
    for n in names:
        o = results[n]["overall"]
        strict += [fmt(o["precision_strict"]), fmt(o["recall_strict"]), fmt(o["f2_strict"])]
    return markdown(header, rows + [strict])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--templates", choices=["dev", "train"], default="dev",
                   help="fill the dev templates (default) or the training templates")
    p.add_argument("--docs", type=int, default=1500, help="documents in the dev set")
    p.add_argument("--seed", type=int, default=12345)
    p.add_argument("--samsum", default=os.path.join(SHARED, "samsum", "val.json.gz"),
                   help="SAMSum val file for PERSON recall on chats ('' to skip)")
    p.add_argument("--prose-mb", type=float, default=0.5, help="MB of each unlabelled prose source, for speed")
    p.add_argument("--repeats", type=int, default=3, help="timed passes after the warm-up; the best is kept")
    p.add_argument("--processes", type=int, default=2, help="worker processes for lmdemo's batch_Nproc row")
    p.add_argument("--presidio-threshold", type=float, default=0.0,
                   help="Presidio's score threshold (default: its own, 0)")
    p.add_argument("--skip", nargs="*", default=[], choices=["presidio", "scrubadub"], help="systems to leave out")
    p.add_argument("--big-mb", type=float, default=10.0, help="size of the large adversarial input")
    p.add_argument("--bound", type=float, default=2.0, help="adversarial time bound, seconds per MB")
    p.add_argument("--no-adversarial", action="store_true")
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = p.parse_args()

    loop_s = python_loop_seconds()
    documents = tagged_documents(args.templates, args.docs, args.seed)
    corpora = {"dev": documents}
    skipped_dialogues = 0
    if args.samsum and os.path.exists(args.samsum):
        corpora["samsum"], skipped_dialogues = samsum_dialogues(args.samsum)
    elif args.samsum:
        print(f"SAMSum: skipped ({args.samsum} not found)")
    unlabelled = prose(args.prose_mb)
    modes, described = systems(args)
    names = list(modes)
    if args.processes > 1:  # start the workers before any timing
        analyze_batch([t for t, _ in documents[:4 * args.processes]], processes=args.processes)

    speed, quality = {}, {}
    for name in names:
        for mode, run in modes[name].items():
            for corpus, items in list(corpora.items()) + list(unlabelled.items()):
                texts = [item[0] for item in items] if corpus in corpora else items
                out, mb_s = timed(run, texts, args.repeats)
                speed.setdefault(name, {}).setdefault(mode, {})[corpus] = round(mb_s, 3)
                if corpus in corpora and corpus not in quality.get(name, {}):
                    quality.setdefault(name, {})[corpus] = scores(count(items, out, TYPES if corpus == "dev"
                                                                                 else ("PERSON",)))

    result = {"templates": args.templates, "docs": len(documents), "seed": args.seed, "python_loop_s": loop_s,
              "systems": described, "dev_mb": round(megabytes([t for t, _ in documents]), 3),
              "quality": {n: quality[n]["dev"] for n in names}, "mb_per_s": speed}
    print(f"\n## PII detection on {len(documents)} documents from the {args.templates} templates "
          f"({result['dev_mb']} MB, seed {args.seed}); 3M-step Python loop {loop_s} s\n")
    for n in names:
        print(f"- {n}: {described[n]}")
    print()
    print(quality_table(result["quality"], names))
    print("\n\\* outside the overall row. Entity-level: a prediction overlapping an unmatched gold span of its type "
          "is a true positive; F2 weighs recall 4x.")

    if "samsum" in corpora:
        docs = corpora["samsum"]
        result["samsum"] = {"dialogues": len(docs), "skipped_one_letter_speakers": skipped_dialogues,
                            "mb": round(megabytes([t for t, _ in docs]), 3),
                            "person": {n: quality[n]["samsum"]["PERSON"] for n in names}}
        rows = [[n, s["gold"], s["pred"], fmt(s["precision"]), fmt(s["recall"]), fmt(s["f2"])]
                for n, s in result["samsum"]["person"].items()]
        print(f"\n## PERSON in {len(docs)} SAMSum val dialogues (weak labels: the speakers' names wherever they "
              f"appear; {skipped_dialogues} left out for one-letter speakers)\n")
        print(markdown(["system", "gold mentions", "predicted", "P (underestimate)", "R", "F2"], rows))

    columns = list(corpora) + list(unlabelled)
    sizes = {c: megabytes([x[0] for x in corpora[c]] if c in corpora else unlabelled[c]) for c in columns}
    counts = {c: len(corpora[c] if c in corpora else unlabelled[c]) for c in columns}
    print(f"\n## Throughput, UTF-8 MB/s (best of {args.repeats} after a warm-up; {os.cpu_count()} CPU cores)\n")
    header = ["system", "mode"] + [f"{c} ({counts[c]} texts, {sizes[c]:.2f} MB)" for c in columns]
    print(markdown(header, [[n, m] + [f"{v[c]:.2f}" for c in columns] for n in names for m, v in speed[n].items()]))
    result["corpora"] = {c: {"texts": counts[c], "mb": round(sizes[c], 3)} for c in columns}

    if not args.no_adversarial:
        result["adversarial"] = adversarial(documents, args.big_mb, args.bound)
        print(f"\n## lmdemo `analyze` on adversarial inputs (bound {args.bound} s per MB)\n")
        print(markdown(["input", "MB", "seconds", "within bound"],
                       [[k, f"{v['mb']:.2f}", f"{v['seconds']:.3f}", "ok" if v["ok"] else "TOO SLOW"]
                        for k, v in result["adversarial"].items()]))
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
