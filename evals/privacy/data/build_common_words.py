"""Rebuild ``common_words.txt``: words seen in lower case in ordinary sentences, which the learned
recognizer does not accept alone as a person's name ("Notes", "EXPERIENCE", "Reason"), and the words of
country names ("Japan", "Kenya": the tagger reads a lone capitalized word after "visited" as a name).

The words are those written in lower case at least ``MIN_COUNT`` times in the Tatoeba sentence pairs
under ``../shared/data`` (English–Spanish and English–Chinese, train splits; CC BY 2.0 France,
tatoeba.org, via manythings.org/anki), plus a few function words of the other languages the tagger
reads, written here, plus the words of the English country names of Faker's address provider (MIT). Words that are also first names in ``names.json`` ("mark", "grace", "bill") are
left out, so the filter never drops a name the lists know. The script runs once, by hand; its output
is committed.

    python evals/privacy/data/build_common_words.py ../shared/data
"""

import collections
import csv
import gzip
import json
import os
import re
import sys

MIN_COUNT = 5
WORD = re.compile(r"[^\W\d_]+")
FUNCTION_WORDS = ("der die das und ist nicht mit sie ich wir ihr sehr geehrte geehrter liebe lieber frohe grüße "
                  "le la les et est une des avec vous nous je il elle ils cher chère bonjour merci "
                  "il lo gli è una con per sono gentile caro cara saluti grazie "
                  "de het een en is niet met u uw wij geachte beste groeten "
                  "o os um uma com não você prezado prezada obrigado olá")


def main(data_dir):
    counts = collections.Counter()
    for name, columns in (("spa_eng/train.tsv.gz", (0, 1)), ("cmn_eng/train.tsv.gz", (0,))):
        with gzip.open(os.path.join(data_dir, name), "rt", encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t"):
                for c in columns:
                    if c < len(row):
                        counts.update(w for w in WORD.findall(row[c]) if w.islower())
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "names.json"), encoding="utf-8") as f:
        first = {n.lower() for n in json.load(f)["first"]}
    from faker.providers.address.en import Provider

    countries = {w.lower() for c in Provider.countries for w in WORD.findall(c) if len(w) > 1}
    words = {w for w, n in counts.items() if n >= MIN_COUNT and len(w) > 1} | set(FUNCTION_WORDS.split()) | countries
    words -= first
    with open(os.path.join(here, "common_words.txt"), "w", encoding="utf-8") as f:
        f.write("".join(f"{w}\n" for w in sorted(words)))
    print(f"{len(words):,} words written")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
