"""Rebuild ``names.json`` (name lists and street suffixes) from the Faker package's providers.

The sanitizer itself never imports Faker; this script runs once, by hand, and its output is
committed. Faker is MIT licensed (https://github.com/joke2k/faker); its lists come from public
frequency lists (US Census, national statistics offices) as cited in each provider.

    pip install faker && python evals/privacy/data/build_names.py

The benchmark (`bench/privacy_bench.py`) also draws names from Faker, so it holds out one locale
(`pt_BR`, not listed here) to measure how well names outside these lists are found.

``other_names`` holds the first and last names of Faker's other person locales (any script; not
Portuguese, Chinese, Japanese, Korean, Thai or the English ones beyond ``LATIN_LOCALES``). The patterns do
not read them; the learned recognizer keeps a word it is unsure of when it is one of them
(``evals.privacy.names.listed_name``).
"""

import importlib
import json
import os
import pkgutil

import faker

LATIN_LOCALES = ("en_US", "en_GB", "en_IN", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL")
FIRST_ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
LAST_ATTRS = ("last_names", "last_names_male", "last_names_female")


def _names(provider, attrs):
    out = set()
    for attr in attrs:
        values = getattr(provider, attr, None) or ()
        out.update(values.keys() if isinstance(values, dict) else values)
    return out


def _latin_tokens(names):
    """Capitalized single tokens; "de la Fuente" contributes "Fuente", "Müller-Lüdenscheidt" both halves."""
    tokens = set()
    for name in names:
        for part in name.replace("-", " ").split():
            if part[:1].isupper() and len(part) > 1 and not part.endswith("."):
                tokens.add(part)
    return tokens


def _other_names():
    import faker.providers.person

    skipped = ("pt_", "zh_", "ja_", "ko_", "th_", "en")
    out = set()
    for module in pkgutil.iter_modules(faker.providers.person.__path__):
        if module.name.startswith(skipped) or module.name in LATIN_LOCALES:
            continue
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attrs in (FIRST_ATTRS, LAST_ATTRS):
            try:
                out |= _latin_tokens(_names(provider, attrs))
            except TypeError:  # a locale whose lists are built at run time (a property): left out
                pass
    return out


def build():
    first, last = set(), set()
    for locale in LATIN_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        first |= _latin_tokens(_names(provider, FIRST_ATTRS))
        last |= _latin_tokens(_names(provider, LAST_ATTRS))
    zh = importlib.import_module("faker.providers.person.zh_CN").Provider
    address = importlib.import_module("faker.providers.address.en_US").Provider
    return {
        "source": f"Faker {faker.VERSION} person providers {', '.join(LATIN_LOCALES)}, zh_CN; "
                  "street suffixes from the en_US address provider (USPS Publication 28); other_names from "
                  "the other person providers but Portuguese, Chinese, Japanese, Korean, Thai and English",
        "license": "MIT (Faker, https://github.com/joke2k/faker)",
        "first": sorted(first),
        "last": sorted(last),
        "zh_surnames": sorted(_names(zh, LAST_ATTRS)),
        "zh_given": sorted(_names(zh, FIRST_ATTRS)),
        "street_suffixes": sorted(set(address.street_suffixes)),
        "other_names": sorted(_other_names() - first - last),
    }


if __name__ == "__main__":
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "names.json")
    data = build()
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(f"wrote {path}: " + ", ".join(f"{k} {len(v)}" for k, v in data.items() if isinstance(v, list)))
