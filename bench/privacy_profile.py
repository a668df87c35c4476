"""Where the PII sanitizer's time goes on the dense Faker documents of `privacy_bench.py`.

Prints three tables, each timed as the best of ``--repeats`` calls over the same documents:
1. each recognizer over every document (what `analyze_batch` runs, one after the other);
2. each pattern's scan alone (``finditer`` over every document, no Python checks) and its candidates;
3. experiments that did not pay: the seven digit-started patterns as one combined scan (a look-ahead
   per pattern captures its candidate at each run of digits; the spans are checked equal to the
   separate scans), and, when the ``pcre2`` package is installed, every module-level pattern compiled
   with PCRE2's JIT in place of ``re`` (the findings are checked equal).

    pip install faker && python bench/privacy_profile.py --docs 300
"""

import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.privacy_bench import make_corpus  # noqa: E402
from evals.privacy import addresses, dates, names, recognizers, sanitizer, secret_keys  # noqa: E402

MODULES = (recognizers, names, addresses, secret_keys, dates)
# Patterns that start at a digit (or "+" / "(" for phones), with the first character taken off.
DIGIT_PATTERNS = {
    "PHONE": (recognizers._PHONE, "([+(\\d]", "(?<=[+(0-9])("),
    "CREDIT_CARD": (recognizers._CARD, "\\d", "(?<=[0-9])"),
    "US_SSN": (recognizers._SSN, "(\\d", "(?<=[0-9])("),
    "CN_ID": (recognizers._CN_ID, "[1-8]", "(?<=[1-8])"),
    "IPV4": (recognizers._IPV4, "\\d", "(?<=[0-9])"),
    "EN_ADDRESS": (addresses._EN_NUMBERED, "[0-9]", "(?<=[0-9])"),
    "DE_ADDRESS": (addresses._DE, "[0-9]", "(?<=[0-9])"),
}


def best_ms(fn, repeats):
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def scans():
    """The patterns run over whole texts with ``finditer`` (the others only test a candidate)."""
    return {"EMAIL @domain": recognizers._EMAIL_DOMAIN, "PHONE": recognizers._PHONE, "CREDIT_CARD": recognizers._CARD,
            "IBAN": recognizers._IBAN, "IPV4": recognizers._IPV4, "IPV6 seed": recognizers._IPV6_SEED,
            "URL": recognizers._URL, "US_SSN": recognizers._SSN, "CN_ID": recognizers._CN_ID, "DATE_OF_BIRTH": dates._DOB,
            "ADDRESS en": addresses._EN_NUMBERED, "ADDRESS en unit": addresses._EN_UNIT, "ADDRESS de": addresses._DE,
            "ADDRESS fr": addresses._FR, "ADDRESS zh": addresses._ZH, "PERSON run": names._RUN, "PERSON cue": names._CUE,
            "PERSON zh cue before": names._ZH_CUE_BEFORE, "PERSON zh cue after": names._ZH_CUE_AFTER,
            "PERSON zh surname": names._zh_surname_pattern(), "SECRET prefixed": secret_keys._PREFIXED,
            "SECRET assigned": secret_keys._ASSIGN_SEP, "SECRET random": secret_keys._RANDOM}


def combined_digit_scan():
    """One pattern for the seven digit-started scans: a capturing look-ahead per pattern, and a match
    only where at least one of them matched."""
    source = "[+(0-9](?<![0-9][0-9])"  # the first character of a run of digits (or a "+" / "(")
    for name, (pattern, first, behind) in DIGIT_PATTERNS.items():
        assert pattern.pattern.startswith(first), name
        body = behind + pattern.pattern[len(first):]
        if name == "US_SSN":  # its back-reference \\2 becomes a named one
            body = body.replace("([\\- ]?)", "(?P<sep>[\\- ]?)", 1).replace("\\2", "(?P=sep)")
        flags = "(?a:" if pattern.flags & re.ASCII else "(?:"
        source += f"(?:(?=(?P<{name}>{flags}{body}))))?"
    source += "".join(f"(?({name})|" for name in DIGIT_PATTERNS) + "(?!)" + ")" * len(DIGIT_PATTERNS)
    return re.compile(source)


def combined_spans(combined, text):
    """The spans each separate scan would find, read from the combined scan: a candidate is kept only
    where that pattern's previous match has ended, as ``finditer`` does."""
    index = {name: combined.groupindex[name] for name in DIGIT_PATTERNS}
    out = {name: [] for name in DIGIT_PATTERNS}
    free = dict.fromkeys(DIGIT_PATTERNS, 0)
    for m in combined.finditer(text):
        regs, start = m.regs, m.start()
        for name, i in index.items():
            end = regs[i][1]
            if end >= 0 and start >= free[name]:
                out[name].append((start, end))
                free[name] = end
    return out


def pcre2_time(texts, repeats):
    """Milliseconds of `analyze_batch` with every module-level pattern compiled by PCRE2 (JIT), and
    whether the findings equal those of ``re``; None when ``pcre2`` is not installed."""
    try:
        import pcre2
    except ImportError:
        return None
    reference = sanitizer.analyze_batch(texts)
    saved = []
    for module in MODULES:
        for key, value in list(vars(module).items()):
            if isinstance(value, re.Pattern):
                compiled = pcre2.compile(value.pattern, pcre2.ASCII if value.flags & re.ASCII else 0)
                compiled.jit_compile()
                saved.append((module, key, value))
                setattr(module, key, compiled)
    names._zh_surname_pattern.cache_clear()
    try:
        same = sanitizer.analyze_batch(texts) == reference
        ms = best_ms(lambda: sanitizer.analyze_batch(texts), repeats)
    finally:
        for module, key, value in saved:
            setattr(module, key, value)
        names._zh_surname_pattern.cache_clear()
    return ms, same, len(saved)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, default=300, help="documents per locale, as for privacy_bench.py")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeats", type=int, default=7)
    args = p.parse_args()

    texts = [t for t, _ in make_corpus(args.docs, args.seed)]
    mb = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) / 1e6
    batch = best_ms(lambda: sanitizer.analyze_batch(texts), args.repeats)
    print(f"{len(texts)} documents, {mb:.3f} MB; analyze_batch {batch:.1f} ms = {mb / batch * 1000:.2f} MB/s\n")

    print(f"{'recognizer':<16}{'ms':>8}")
    total = 0.0
    for name, find in sanitizer.RECOGNIZERS.items():
        ms = best_ms(lambda: [find(t) for t in texts], args.repeats)
        total += ms
        print(f"{name:<16}{ms:8.1f}")
    print(f"{'sum':<16}{total:8.1f}\n")

    print(f"{'pattern scan':<24}{'ms':>8}{'candidates':>12}")
    total = 0.0
    for name, pattern in scans().items():
        ms = best_ms(lambda: [None for t in texts for _ in pattern.finditer(t)], args.repeats)
        total += ms
        print(f"{name:<24}{ms:8.2f}{sum(1 for t in texts for _ in pattern.finditer(t)):12d}")
    print(f"{'sum':<24}{total:8.1f}\n")

    separate = best_ms(lambda: [None for p, _, _ in DIGIT_PATTERNS.values() for t in texts for _ in p.finditer(t)],
                       args.repeats)
    combined = combined_digit_scan()
    scan_only = best_ms(lambda: [m.regs for t in texts for m in combined.finditer(t)], args.repeats)
    one = best_ms(lambda: [combined_spans(combined, t) for t in texts], args.repeats)
    same = all(combined_spans(combined, t) == {n: [m.span() for m in p.finditer(t)]
                                                for n, (p, _, _) in DIGIT_PATTERNS.items()} for t in texts)
    print(f"the {len(DIGIT_PATTERNS)} digit-started scans: separately {separate:.1f} ms, "
          f"as one combined scan {scan_only:.1f} ms, {one:.1f} ms with each pattern's candidates read from it "
          f"(same spans: {same})")
    result = pcre2_time(texts, args.repeats)
    if result is None:
        print("pcre2 not installed: pip install pcre2 to time every pattern under PCRE2's JIT")
    else:
        ms, same, count = result
        print(f"analyze_batch with {count} patterns compiled by PCRE2 (JIT): {ms:.1f} ms against {batch:.1f} ms "
              f"with re (same findings: {same})")


if __name__ == "__main__":
    main()
