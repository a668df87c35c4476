"""PII sanitizer quality and speed on Faker data in five locales, plus adversarial inputs.

Documents are built by concatenating template text and Faker values, so every entity's span is known
exactly. A prediction matches when it overlaps a gold span of the same type (span-level precision and
recall). Names are also measured on a held-out locale (pt_BR) whose names are not in the name lists,
which come from the same Faker providers. Throughput is UTF-8 megabytes per second, on the Faker
documents and on ordinary prose from ../shared/data (Wikipedia, English-Chinese sentence pairs, chat
dialogues), where no labels exist and only the counts of what was found are printed. ``docs`` calls
`analyze` once per document; ``docs_batch`` gives all documents to one `analyze_batch` call, and
``docs_batch_Nproc`` to one call that shares them among N worker processes (``--processes``, default:
one per CPU core; the workers are started before the timing).

    pip install faker && python bench/privacy_bench.py --docs 300 --json
"""

import argparse
import gzip
import json
import os
import random
import re
import string
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from evals.privacy import ENTITY_TYPES, analyze, analyze_batch, count_by_type, sanitize  # noqa: E402

STRUCTURED = ("EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "US_SSN", "CN_ID")
TARGETS = {**{t: (0.95, 0.99) for t in STRUCTURED}, "PERSON": (0.80, 0.85)}  # (precision, recall)

# Slots are {TYPE}; {ORDER} and {CITY} are distractors that must not be reported.
TEMPLATES = {
    "en": ["Please contact {PERSON} at {EMAIL} or call {PHONE}.", "{PERSON} paid with card {CREDIT_CARD} on Monday.",
           "Wire the refund to IBAN {IBAN}, reference {ORDER}.", "The login came from {IP_ADDRESS}, profile at {URL}",
           "Her SSN is {US_SSN} and she was born on {DATE_OF_BIRTH}.", "Ship the parcel to {ADDRESS} before Friday.",
           "Hi, my name is {PERSON} and my number is {PHONE}.", "Dear {PERSON}, order #{ORDER} ships in 3-5 days.",
           "API key for the staging server: {SECRET}", "Reach me on {PHONE} or write to {EMAIL}; I live at {ADDRESS}.",
           "Customer {PERSON} (DOB: {DATE_OF_BIRTH}) moved to {CITY}.", "Server {IP_ADDRESS} rejected token {SECRET}.",
           "{PERSON} and {PERSON} met in {CITY} last year.", "The Chinese ID {CN_ID} belongs to a visiting engineer.",
           "Card {CREDIT_CARD} expired; refunds go to {IBAN}.", "SSN {US_SSN}, phone {PHONE}, email {EMAIL}."],
    "de": ["Bitte kontaktieren Sie {PERSON} unter {EMAIL} oder {PHONE}.", "{PERSON} wohnt in der {ADDRESS}.",
           "Überweisen Sie den Betrag auf {IBAN}.", "Die Kreditkarte {CREDIT_CARD} wurde gesperrt.",
           "Geboren am {DATE_OF_BIRTH}, wohnhaft {ADDRESS}.", "Zugriff von {IP_ADDRESS} auf {URL} protokolliert.",
           "Sehr geehrte(r) {PERSON}, Ihre Bestellung Nr. {ORDER} ist unterwegs.", "Telefon: {PHONE}, Fax: {PHONE}",
           "Der Schlüssel {SECRET} ist abgelaufen.", "{PERSON} zieht nach {CITY}."],
    "fr": ["Veuillez contacter {PERSON} à {EMAIL} ou au {PHONE}.", "{PERSON} habite au {ADDRESS}.",
           "Virement sur l'IBAN {IBAN}.", "La carte {CREDIT_CARD} a été refusée.",
           "Né le {DATE_OF_BIRTH}, {PERSON} vit à {CITY}.", "Connexion depuis {IP_ADDRESS} vers {URL}",
           "Bonjour {PERSON}, votre commande n° {ORDER} est expédiée.", "Clé API : {SECRET}",
           "Téléphone : {PHONE}, courriel : {EMAIL}."],
    "zh": ["请联系{PERSON}，电话{PHONE}，邮箱{EMAIL}。", "{PERSON}的身份证号是{CN_ID}。", "我叫{PERSON}，住在{ADDRESS}。",
           "客户{PERSON}出生于{DATE_OF_BIRTH}，手机号{PHONE}。", "银行卡号{CREDIT_CARD}已绑定。", "汇款账户IBAN：{IBAN}。",
           "登录IP为{IP_ADDRESS}，访问了{URL}。", "收件地址：{ADDRESS}，收件人{PERSON}。", "密钥{SECRET}已失效。",
           "身份证{CN_ID}，电话{PHONE}。", "{PERSON}和{PERSON}在{CITY}见面。"],
}
FILLERS = {
    "en": ["The meeting on Monday starts at 10:30 in room 204.", "Version 3.2.1 shipped in 2021 with 1,250 fixes.",
           "The invoice total is $1,299.99 including 20% VAT.", "Our office in New York opens at 9 a.m.",
           "The Board approved the Annual Report for 2023.", "Temperatures reached 35.5 degrees on 2023-07-14.",
           "See section 4.2.1 of the Terms of Service.", "Flight BA 117 departs at 18:05 from Terminal 5.",
           "Between 1990-2010 sales grew 12.5 percent a year.", "Thanks for your patience, the Support Team."],
    "de": ["Das Treffen am Montag beginnt um 10:30 Uhr in Raum 204.", "Die Rechnung über 1.299,99 EUR ist fällig.",
           "Version 3.2.1 wurde 2021 veröffentlicht.", "Der Zug nach Berlin fährt um 18:05 von Gleis 7."],
    "fr": ["La réunion de lundi commence à 10h30 dans la salle 204.", "La facture s'élève à 1 299,99 EUR.",
           "La version 3.2.1 est sortie en 2021.", "Le train pour Lyon part à 18h05 du quai 7."],
    "zh": ["会议将于周一上午10:30在204会议室举行。", "订单金额为1299.99元，预计3-5天送达。", "2021年公司发布了3.2.1版本。",
           "今天北京天气晴，气温25度。", "请于2024年3月1日前提交报告。"],
}
SHARED = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "shared", "data")
REAL_TEXTS = ("wikitext2_raw/wiki.valid.raw", "cmn_eng/valid.tsv.gz", "samsum/val.json.gz")
LOCALES = {"en_US": "en", "en_GB": "en", "de_DE": "de", "fr_FR": "fr", "zh_CN": "zh"}
MONTHS = {"en": "January February March April May June July August September October November December",
          "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
          "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"}


def _grouped(s, rng, sep=" "):
    return sep.join(s[i:i + 4] for i in range(0, len(s), 4)) if rng.random() < 0.4 else s


def _secret(rng):
    alnum = string.ascii_letters + string.digits
    pick = lambda n, chars=alnum: "".join(rng.choice(chars) for _ in range(n))  # noqa: E731
    return rng.choice([lambda: "sk-" + pick(40), lambda: "ghp_" + pick(36),
                       lambda: "AKIA" + pick(16, string.ascii_uppercase + string.digits),
                       lambda: "xoxb-" + pick(12, string.digits) + "-" + pick(24), lambda: "AIza" + pick(35),
                       lambda: "glpat-" + pick(20), lambda: pick(40)])()


def _date(d, lang, rng):
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    month = MONTHS[lang].split()[d.month - 1]
    forms = {"en": [f"{d.day} {month} {d.year}", f"{month} {d.day}, {d.year}", d.isoformat()],
             "de": [f"{d.day:02d}.{d.month:02d}.{d.year}", f"{d.day}. {month} {d.year}"],
             "fr": [f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day} {month} {d.year}"]}[lang]
    return rng.choice(forms)


def _value(slot, fake, lang, rng, fakes):
    if slot == "PERSON":
        return fake.name()
    if slot == "EMAIL":
        return fake.email()
    if slot == "PHONE":
        p = fake.phone_number()
        return f"+86 {p[:3]} {p[3:7]} {p[7:]}" if lang == "zh" and rng.random() < 0.3 else p
    if slot == "CREDIT_CARD":
        return _grouped(fake.credit_card_number(), rng, rng.choice(" -"))
    if slot == "IBAN":
        return _grouped(fake.iban(), rng)
    if slot == "IP_ADDRESS":
        return fake.ipv4() if rng.random() < 0.6 else fake.ipv6()
    if slot == "URL":
        return fake.url()
    if slot == "US_SSN":
        return fakes["en_US"].ssn()
    if slot == "CN_ID":
        return fakes["zh_CN"].ssn()
    if slot == "DATE_OF_BIRTH":
        return _date(fake.date_of_birth(minimum_age=18, maximum_age=90), lang, rng)
    if slot == "ADDRESS":
        if lang == "zh" and rng.random() < 0.5:
            return fake.address().split()[0]
        return fake.street_address().replace("\n", ", ")
    if slot == "SECRET":
        return _secret(rng)
    if slot == "ORDER":
        return str(rng.randint(1000, 999999))
    return fake.city()  # CITY


def make_corpus(docs_per_locale, seed, name_locale=None, pii=(2, 4), filler=(1, 2)):
    """Documents and gold spans: [(text, [(start, end, type), ...]), ...]; names from name_locale if given.

    Each document has ``pii`` (min, max) sentences with entities and ``filler`` (min, max) without:
    half fixed distractors (numbers, dates, capitalized words), half Faker's lorem sentences.
    """
    from faker import Faker

    rng = random.Random(seed)
    Faker.seed(seed)
    fakes = {loc: Faker(loc) for loc in list(LOCALES) + ([name_locale] if name_locale else [])}
    corpus = []
    for locale, lang in LOCALES.items():
        for _ in range(docs_per_locale):
            parts, gold, pos = [], [], 0
            sentences = [rng.choice(TEMPLATES[lang]) for _ in range(rng.randint(*pii))]
            sentences += [rng.choice(FILLERS[lang]) if rng.random() < 0.5 else fakes[locale].sentence()
                          for _ in range(rng.randint(*filler))]
            rng.shuffle(sentences)
            for k, sentence in enumerate(sentences):
                for piece in re.split(r"(\{[A-Z_]+\})", sentence + ("" if lang == "zh" else " ")):
                    if piece.startswith("{"):
                        slot = piece[1:-1]
                        fake = fakes[name_locale] if slot == "PERSON" and name_locale else fakes[locale]
                        piece = _value(slot, fake, lang, rng, fakes)
                        if slot in ENTITY_TYPES:
                            gold.append((pos, pos + len(piece), slot))
                    parts.append(piece)
                    pos += len(piece)
            corpus.append(("".join(parts), gold))
    return corpus


def score(corpus, predict):
    """Per-type span-level precision and recall: a hit overlaps a gold span of the same type."""
    stats = {t: {"gold": 0, "pred": 0, "tp_pred": 0, "tp_gold": 0} for t in ENTITY_TYPES}
    overlaps = lambda a, b: a[0] < b[1] and b[0] < a[1] and a[2] == b[2]  # noqa: E731
    for text, gold in corpus:
        pred = predict(text)
        for g in gold:
            stats[g[2]]["gold"] += 1
            stats[g[2]]["tp_gold"] += any(overlaps(g, p) for p in pred)
        for p in pred:
            if p[2] in stats:
                stats[p[2]]["pred"] += 1
                stats[p[2]]["tp_pred"] += any(overlaps(g, p) for g in gold)
    return {t: {"gold": s["gold"], "pred": s["pred"],
                "precision": s["tp_pred"] / s["pred"] if s["pred"] else None,
                "recall": s["tp_gold"] / s["gold"] if s["gold"] else None} for t, s in stats.items()}


def ours(text):
    return [(f.start, f.end, f.type) for f in analyze(text)]


def others():
    """Other sanitizers that happen to be installed, as predict functions on our entity types."""
    systems = {}
    try:
        from presidio_analyzer import AnalyzerEngine

        engine = AnalyzerEngine()
        names = {"EMAIL_ADDRESS": "EMAIL", "PHONE_NUMBER": "PHONE", "CREDIT_CARD": "CREDIT_CARD", "IBAN_CODE": "IBAN",
                 "IP_ADDRESS": "IP_ADDRESS", "URL": "URL", "US_SSN": "US_SSN", "PERSON": "PERSON",
                 "LOCATION": "ADDRESS"}
        systems["presidio"] = lambda t: [(r.start, r.end, names[r.entity_type])
                                         for r in engine.analyze(t, language="en") if r.entity_type in names]
    except Exception as e:  # not installed, or no spaCy model offline
        print(f"presidio_analyzer not available ({type(e).__name__})")
    try:
        import scrubadub

        scrubber = scrubadub.Scrubber()
        kinds = {"email": "EMAIL", "phone": "PHONE", "credit_card": "CREDIT_CARD", "url": "URL",
                 "social_security_number": "US_SSN", "name": "PERSON", "address": "ADDRESS",
                 "date_of_birth": "DATE_OF_BIRTH"}
        systems["scrubadub"] = lambda t: [(f.beg, f.end, kinds[f.type]) for f in scrubber.iter_filth(t)
                                          if f.type in kinds]
    except Exception as e:
        print(f"scrubadub not available ({type(e).__name__})")
    return systems


def throughput(texts, predict, repeats):
    """Best-of-repeats MB/s (UTF-8 bytes) over the texts, one call per text."""
    size = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for t in texts:
            predict(t)
        best = min(best, time.perf_counter() - t0)
    return size / 1e6 / best


def batch_throughput(texts, repeats, processes=1):
    """Best-of-repeats MB/s of one `analyze_batch` call over all the texts."""
    size = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)
    analyze_batch(texts[:2 * processes], processes=processes)  # start the worker processes
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        analyze_batch(texts, processes=processes)
        best = min(best, time.perf_counter() - t0)
    return size / 1e6 / best


def python_loop_seconds():
    """Seconds for a fixed pure-Python loop: compares machines, or one machine under different loads."""
    t0 = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i
    return round(time.perf_counter() - t0, 3)


def adversarial(corpus_text, bound_s_per_mb):
    """Seconds to sanitize each pathological input; each must stay under bound_s_per_mb per MB."""
    blob = random.Random(0).randbytes(1_000_000).decode("utf-8", "surrogateescape")
    cases = {"'a'*1e6": "a" * 1_000_000, "'1'*1e6": "1" * 1_000_000, "'@'*1e5": "@" * 100_000,
             "'a.'*5e5": "a." * 500_000, "'1-'*5e5": "1-" * 500_000, "'1 '*5e5": "1 " * 500_000,
             "'a@'*5e5": "a@" * 500_000, "'a:'*5e5": "a:" * 500_000, "'::'*5e5": "::" * 500_000,
             "'GB12 '*2e5": "GB12 " * 200_000, "'Mr. '*2.5e5": "Mr. " * 250_000, "'Ann '*2.5e5": "Ann " * 250_000,
             "'Ab '*3.3e5": "Ab " * 333_333, "'Dear '*2e5": "Dear " * 200_000, "'born '*2e5": "born " * 200_000,
             "'Ring 5 '*1.5e5": "Ring 5 " * 150_000, "'(1) '*2.5e5": "(1) " * 250_000, "'王'*1e6": "王" * 1_000_000,
             "'路1号'*3e5": "路1号" * 300_000, "'http://'+'a'*1e6": "http://" + "a" * 1_000_000,
             "'sk-'+'a'*1e6": "sk-" + "a" * 1_000_000, "'aA1'*3.3e5": "aA1" * 333_333,
             "PEM + 'a'*1e6": "-----BEGIN RSA PRIVATE KEY-----" + "a" * 1_000_000, "random bytes 1MB": blob,
             "control chars": "".join(map(chr, range(32))) * 31_250,
             "realistic 10MB": corpus_text * (10_000_000 // len(corpus_text.encode()) + 1)}
    rows = {}
    for name, text in cases.items():
        t0 = time.perf_counter()
        sanitize(text)
        seconds = time.perf_counter() - t0
        mb = len(text.encode("utf-8", "surrogatepass")) / 1e6
        rows[name] = {"seconds": round(seconds, 3), "mb": round(mb, 2), "ok": seconds <= bound_s_per_mb * max(mb, 1)}
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, default=300, help="documents per locale")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--bound", type=float, default=2.0, help="adversarial time bound, seconds per MB")
    p.add_argument("--no-adversarial", action="store_true")
    p.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                   help="worker processes for the docs_batch_Nproc row (default: one per CPU core)")
    p.add_argument("--real", nargs="*", default=[os.path.join(SHARED, f) for f in REAL_TEXTS],
                   help="plain or .gz text files for throughput on ordinary prose (default: ../shared/data files)")
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = p.parse_args()

    import pandas as pd

    corpus = make_corpus(args.docs, args.seed)
    heldout = make_corpus(max(1, args.docs // 5), args.seed + 1, name_locale="pt_BR")
    # Throughput also on text where entities are as rare as in ordinary prose: one sentence in ten.
    sparse = [t for t, _ in make_corpus(max(1, args.docs // 5), args.seed + 2, pii=(1, 1), filler=(8, 12))]
    texts = [t for t, _ in corpus]
    systems = {"lmdemo": ours, **others()}
    result = {"docs": len(corpus), "mb": round(sum(len(t.encode()) for t in texts) / 1e6, 3), "systems": {},
              "python_loop_s": python_loop_seconds()}
    table = {}
    for name, predict in systems.items():
        quality = score(corpus, predict)
        quality["PERSON (held-out pt_BR)"] = score(heldout, predict)["PERSON"]
        speed = {"docs": throughput(texts, predict, args.repeats),
                 "one_text": throughput(["\n".join(texts)], predict, args.repeats),
                 "en": throughput(texts[:2 * args.docs], predict, args.repeats),
                 "zh": throughput([t for t, _ in corpus[4 * args.docs:]], predict, args.repeats),
                 "sparse_docs": throughput(sparse, predict, args.repeats)}
        if name == "lmdemo":
            speed["docs_batch"] = batch_throughput(texts, args.repeats)
            if args.processes > 1:
                speed[f"docs_batch_{args.processes}proc"] = batch_throughput(texts, args.repeats, args.processes)
        result["systems"][name] = {"quality": quality, "mb_per_s": speed}
        for t, q in quality.items():
            fmt = lambda v: "-" if v is None else f"{v:.3f}"  # noqa: E731
            table.setdefault(t, {})[f"{name} P"] = fmt(q["precision"])
            table[t][f"{name} R"] = fmt(q["recall"])
            table[t]["gold"] = q["gold"]
            if name == "lmdemo" and t in TARGETS:
                pt, rt = TARGETS[t]
                met = (q["precision"] or 0) >= pt and (q["recall"] or 0) >= rt
                table[t]["target P/R"] = f"{pt}/{rt} {'met' if met else 'MISSED'}"
    print(f"PII sanitizer: {len(corpus)} documents ({result['mb']} MB) in {', '.join(LOCALES)}; "
          f"{len(heldout)} more with pt_BR names; 3M-step Python loop {result['python_loop_s']} s")
    print(pd.DataFrame(table).T.fillna("").to_string())
    for name in systems:
        speed = result["systems"][name]["mb_per_s"]
        print(f"{name} throughput (UTF-8 MB/s, best of {args.repeats}): "
              + ", ".join(f"{k} {v:.2f}" for k, v in speed.items()))
    real = {}
    for path in args.real:
        if not os.path.exists(path):
            print(f"skipping {path}: not found")
            continue
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            text = f.read()
        found = analyze(text)
        real[os.path.relpath(path, SHARED) if path.startswith(SHARED) else path] = {
            "mb": round(len(text.encode()) / 1e6, 2), "mb_per_s": round(throughput([text], analyze, args.repeats), 2),
            "found": count_by_type(found)}
    result["real_text"] = real
    for name, row in real.items():
        print(f"real text {name}: {row['mb']} MB at {row['mb_per_s']} MB/s (one call, best of {args.repeats}); "
              f"found {row['found']}")
    if not args.no_adversarial:
        result["adversarial"] = adversarial("\n".join(texts), args.bound)
        print(f"adversarial inputs (bound {args.bound} s per MB):")
        for name, row in result["adversarial"].items():
            print(f"  {name:<20} {row['mb']:6.2f} MB {row['seconds']:8.3f} s  {'ok' if row['ok'] else 'TOO SLOW'}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
