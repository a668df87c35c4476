"""The PII sanitizer: every recognizer (positive and negative), operators, surrogates, overlaps, batch APIs, logging."""

import datetime
import io
import ipaddress
import json
import logging
import math
import random
import re

import pandas as pd
import pytest

from evals.privacy import (OPERATORS, Finding, Pseudonymizer, RedactingFilter, Surrogates, analyze, analyze_batch,
                           count_by_type, resolve_overlaps, sanitize, sanitize_batch, sanitize_column)
from evals.privacy.checksums import cn_id_valid, iban_valid, luhn_valid, shannon_entropy, us_ssn_valid


@pytest.fixture(autouse=True)
def patterns_only():
    """The recognizers' own tests run without the learned tagger (its tests below ask for it by name)."""
    from evals.privacy import learned

    before = learned.tagger_name()
    learned.set_tagger(None)
    yield
    learned.set_tagger(before)


def clean(text, types):
    return sanitize(text, types=types)[0]


# --- recognizers: (type, text with the entity, expected clean text) --------------------------------
POSITIVE = [
    ("EMAIL", "Write to ann.lee@example.com today.", "Write to [EMAIL] today."),
    ("EMAIL", "😀ann+tag@mail.example.co.uk😀", "😀[EMAIL]😀"),
    ("PHONE", "Call +1 415 555 0100 now.", "Call [PHONE] now."),
    ("PHONE", "Call (555) 123-4567 now.", "Call [PHONE] now."),
    ("PHONE", "Call 555-123-4567 ext. 42 now.", "Call [PHONE] now."),
    ("PHONE", "Call 500-708-0636x08377 now.", "Call [PHONE] now."),
    ("PHONE", "Ring 020 7946 0958 or +44 (0)20 7946 0958.", "Ring [PHONE] or [PHONE]."),
    ("PHONE", "Telefon: +49 30 12345678, Tél. 01 23 45 67 89", "Telefon: [PHONE], Tél. [PHONE]"),
    ("PHONE", "手机13812345678，或+86 138 1234 5678。", "手机[PHONE]，或[PHONE]。"),
    ("CREDIT_CARD", "Card 4111 1111 1111 1111 or 4111111111111111.", "Card [CREDIT_CARD] or [CREDIT_CARD]."),
    ("CREDIT_CARD", "Paid with 5500-0000-0000-0004 and 378282246310005.", "Paid with [CREDIT_CARD] and [CREDIT_CARD]."),
    ("IBAN", "IBAN GB82 WEST 1234 5698 7654 32 or DE89370400440532013000.", "IBAN [IBAN] or [IBAN]."),
    ("IP_ADDRESS", "From 192.168.0.1 and 2001:db8:85a3::8a2e:370:7334.", "From [IP_ADDRESS] and [IP_ADDRESS]."),
    ("URL", "See https://example.com/a?b=1. Or www.example.org", "See [URL]. Or [URL]"),
    ("US_SSN", "SSN 536-22-1234.", "SSN [US_SSN]."),
    ("US_SSN", "My SSN is 536221234.", "My SSN is [US_SSN]."),
    ("CN_ID", "身份证号11010519491231002X。", "身份证号[CN_ID]。"),
    ("DATE_OF_BIRTH", "I was born on 3 May 1990.", "I was born on [DATE_OF_BIRTH]."),
    ("DATE_OF_BIRTH", "DOB: 1990-05-03; geboren am 3. Mai 1990", "DOB: [DATE_OF_BIRTH]; geboren am [DATE_OF_BIRTH]"),
    ("DATE_OF_BIRTH", "他出生于1990年5月3日。", "他出生于[DATE_OF_BIRTH]。"),
    ("ADDRESS", "I live at 221 Baker Street.", "I live at [ADDRESS]."),
    ("ADDRESS", "Ship to 9032 Michelle Union Suite 011 today.", "Ship to [ADDRESS] today."),
    ("ADDRESS", "Hauptstr. 5 und Walter-Beyer-Ring 3-3", "[ADDRESS] und [ADDRESS]"),
    ("ADDRESS", "Il habite au 81, boulevard de Nicolas.", "Il habite au [ADDRESS]."),
    ("ADDRESS", "我住在北京市朝阳区建国路88号。", "我住在[ADDRESS]。"),
    ("ADDRESS", "Rue Victor Hugo, Paris", "[ADDRESS], Paris"),  # a street type opening the text
    ("ADDRESS", "他住在谢路M座。", "他住在[ADDRESS]。"),  # a Chinese address may hold no digit
    ("PERSON", "Dear\nZxq Vbn, welcome.", "Dear\n[PERSON], welcome."),  # a greeting ending its line
    ("PERSON", "My name is John Smith.", "My name is [PERSON]."),
    ("PERSON", "Dear Mr. Müller, thanks.", "Dear [PERSON], thanks."),
    ("PERSON", "Dear Jennifer, welcome.", "Dear [PERSON], welcome."),
    ("PERSON", "Hi, my name is Zxqwerty.", "Hi, my name is [PERSON]."),
    ("PERSON", "Contact Suzanne Le Fournier today.", "Contact [PERSON] today."),
    ("PERSON", "我叫王伟，李先生和朱冬梅来了。", "我叫[PERSON]，[PERSON]先生和[PERSON]来了。"),
    ("SECRET", "key sk-abcdefghijklmnopqrstuvwx123 here", "key [SECRET] here"),
    ("SECRET", "ghp_abcdefghijklmnopqrstuvwxyz0123456789 AKIAIOSFODNN7EXAMPLE", "[SECRET] [SECRET]"),
    ("SECRET", "password: hunter22!", "password: [SECRET]"),
    ("SECRET", "token Zx8Qp2Lm9Rt4Vb7Nc1Kd3Hs6", "token [SECRET]"),
]

NEGATIVE = [
    ("EMAIL", "Write to ann at example dot com, or @@, or user@localhost."),
    ("PHONE", "In 2021 sales grew 3.14159265 percent (1990-2010) by 2024-05-03; items 1 2 3 4 5 6 7."),
    ("PHONE", "The server 192.168.0.1 answered at 10:30:00."),
    ("CREDIT_CARD", "Order 4111111111111112 and 1234 5678 9012 3456 are not cards."),
    ("IBAN", "GB82WEST12345698765433 and DE89370400440532013001 fail the checksum."),
    ("IP_ADDRESS", "Not addresses: ::1, 256.1.1.1, 1.2.3, 10:30:00, std::cout."),
    ("URL", "Visit example dot com or the file a.b."),
    ("US_SSN", "000-12-3456 666-12-3456 912-12-3456 536-00-1234 536-22-0000, and 536221234 alone."),
    ("CN_ID", "110105194912310021 has a wrong check digit, 110105194913310028 a month 13."),
    ("DATE_OF_BIRTH", "The meeting is on 3 May 1990, and stubborn 1990-05-03."),
    ("ADDRESS", "I have 3 Brothers and 2 Sisters."),
    ("PERSON", "The Board met in New York on Monday. May I help? Grant Park is big."),
    ("SECRET", "internationalization aaaaaaaaaaaaaaaaaaaaaaaaaaaa1 state-of-the-art-implementation-details"),
]


@pytest.mark.parametrize("entity_type, text, expected", POSITIVE)
def test_recognizer_finds(entity_type, text, expected):
    assert clean(text, [entity_type]) == expected


@pytest.mark.parametrize("entity_type, text", NEGATIVE)
def test_recognizer_ignores(entity_type, text):
    assert clean(text, [entity_type]) == text


def test_checksums():
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert iban_valid("GB82WEST12345698765432") and not iban_valid("GB82WEST12345698765433")
    assert not iban_valid("GB82 WEST") and not iban_valid("ÄB82WEST12345698765432")
    assert cn_id_valid("11010519491231002X") and cn_id_valid("11010519491231002x")
    assert not cn_id_valid("11010519491231002Y") and not cn_id_valid("99010519491231002X")
    assert not cn_id_valid("110105190002290011")  # 1900 was not a leap year
    assert us_ssn_valid("536", "22", "1234")
    assert not any(us_ssn_valid(*p) for p in [("000", "22", "1234"), ("666", "22", "1234"), ("900", "22", "1234"),
                                              ("536", "00", "1234"), ("536", "22", "0000")])
    assert shannon_entropy("") == 0.0 and shannon_entropy("aaaa") == 0.0
    assert math.isclose(shannon_entropy("abcd"), 2.0)


def test_mixed_text_exact():
    text = "Mail ann.lee@example.com or call +1 415 555 0100. Card 4111 1111 1111 1111, from 10.0.0.1."
    assert sanitize(text)[0] == "Mail [EMAIL] or call [PHONE]. Card [CREDIT_CARD], from [IP_ADDRESS]."


# --- operators ------------------------------------------------------------------------------------
def test_operators_round_trip():
    text = "Mail ann@example.com now"
    assert sanitize(text, "placeholder")[0] == "Mail [EMAIL] now"
    assert sanitize(text, "mask")[0] == "Mail *************** now"
    assert sanitize(text, "remove")[0] == "Mail now"
    assert re.fullmatch(r"Mail \[EMAIL_[0-9a-f]{6}\] now", sanitize(text, "pseudonym")[0])


def test_pseudonyms_consistent_within_document_and_salted():
    text = "ann@example.com wrote to bob@example.com, then ann@example.com replied."
    out, findings = sanitize(text, "pseudonym", salt="s1")
    pseudonyms = re.findall(r"\[EMAIL_[0-9a-f]{6}\]", out)
    assert len(findings) == 3 and pseudonyms[0] == pseudonyms[2] != pseudonyms[1]
    assert sanitize(text, "pseudonym", salt="s1")[0] == out  # same salt, same pseudonyms
    assert sanitize(text, "pseudonym", salt="s2")[0] != out
    assert sanitize(text, "pseudonym", salt=b"s1")[0] == out
    # normalized before hashing: separators and case do not make a new person or number
    p = Pseudonymizer(salt="k")
    assert p("PHONE", "+1 415-555-0100") == p("PHONE", "+14155550100")
    assert p("PERSON", "Ann  Lee") == p("PERSON", "ann lee") != p("PERSON", "Bo Chen")


def test_pseudonyms_never_collide():
    p = Pseudonymizer(salt="k", digits=1)  # 16 one-digit pseudonyms for 40 values: collisions are certain
    names = [p("PERSON", f"name {i}") for i in range(40)]
    assert len(set(names)) == 40
    assert [p("PERSON", f"name {i}") for i in range(40)] == names


def test_batch_pseudonyms_consistent_across_texts():
    out, found = sanitize_batch(["ann@x.org", "no pii", "ann@x.org"], operator="pseudonym", salt="k")
    assert out[0] == out[2] and out[1] == "no pii"
    assert count_by_type(found) == {"EMAIL": 2}


def test_analyze_batch_equals_analyze_one_by_one():
    texts = ["Mail ann.lee@example.com or call +1 415 555 0100.", "", "no pii here",
             "Dear John Smith, your card 4111 1111 1111 1111 and IBAN GB82 WEST 1234 5698 7654 32.",
             "我叫王小明，手机13812345678，住在北京市朝阳区建国路88号。", "Mr. Xyz lives at 12 Baker Street."]
    assert analyze_batch(texts) == [analyze(t) for t in texts]
    assert analyze_batch(texts, types=["PHONE"], min_score=0.9) == [analyze(t, ["PHONE"], 0.9) for t in texts]
    assert analyze_batch([]) == []
    with pytest.raises(TypeError, match="texts must be a list of str, received str"):
        analyze_batch("one text")
    with pytest.raises(TypeError, match=r"texts\[1\] must be a str, received bytes"):
        analyze_batch(["ok", b"bytes"])


def test_analyze_batch_in_worker_processes_equals_one_process():
    texts = ["Mail ann.lee@example.com or call +1 415 555 0100.", "", "no pii here",
             "Dear John Smith, your card 4111 1111 1111 1111 and IBAN GB82 WEST 1234 5698 7654 32.",
             "我叫王小明，手机13812345678，住在北京市朝阳区建国路88号。", "Mr. Xyz lives at 12 Baker Street.",
             "SSN 078-05-1120, server 10.0.0.1, key sk_live_abcdefghijklmnopqrstuvwx"]
    one = analyze_batch(texts)
    two = analyze_batch(texts, processes=2)
    assert two == one and all(type(f) is Finding for row in two for f in row)  # noqa: E721
    assert analyze_batch(texts, ["EMAIL", "PHONE"], 0.9, processes=3) == analyze_batch(texts, ["EMAIL", "PHONE"], 0.9)
    assert analyze_batch(texts[:1], processes=2) == one[:1]  # one text: no worker needed
    out, found = sanitize_batch(texts + texts[:1], operator="pseudonym", salt="k", processes=2)
    assert (out, found) == sanitize_batch(texts + texts[:1], operator="pseudonym", salt="k")
    assert out[0] == out[-1]  # pseudonyms are made in this process: consistent across the workers' shares
    for bad in (0, -1, 1.5, "2", True):
        message = f"processes must be an int ≥ 1 or None, received processes={bad!r}"
        with pytest.raises(ValueError, match=re.escape(message)):
            analyze_batch(texts, processes=bad)


# --- overlaps -------------------------------------------------------------------------------------
def test_overlap_resolution_is_deterministic():
    findings = [Finding(0, 12, "PHONE", 0.6), Finding(8, 24, "CREDIT_CARD", 0.9), Finding(30, 40, "URL", 0.8),
                Finding(33, 36, "IP_ADDRESS", 0.85), Finding(50, 55, "PERSON", 0.7), Finding(52, 58, "ADDRESS", 0.7),
                Finding(60, 64, "PERSON", 0.7), Finding(62, 66, "ADDRESS", 0.7)]
    expected = [Finding(8, 24, "CREDIT_CARD", 0.9), Finding(30, 40, "URL", 0.8), Finding(52, 58, "ADDRESS", 0.7),
                Finding(60, 64, "PERSON", 0.7)]
    rng = random.Random(0)
    for _ in range(5):
        rng.shuffle(findings)
        assert resolve_overlaps(findings) == expected


def test_nested_entities_are_replaced_whole():
    assert sanitize("see https://x.org/?ip=10.0.0.1&u=ann@example.com now")[0] == "see [URL] now"
    assert sanitize("Il habite au 10, rue Clémence Descamps.")[0] == "Il habite au [ADDRESS]."


# --- findings, batch and DataFrame APIs -----------------------------------------------------------
def test_findings_never_hold_the_value():
    text = "Mail ann@example.com, call +1 415 555 0100, I am John Smith."
    _, findings = sanitize(text)
    assert [f.type for f in findings] == ["EMAIL", "PHONE", "PERSON"]
    assert all(set(f.to_dict()) == {"type", "start", "end", "score"} for f in findings)
    dumped = json.dumps([f.to_dict() for f in findings]) + repr(findings)
    assert not any(v in dumped for v in ("ann@example.com", "555", "Smith"))
    assert [text[f.start:f.end] for f in findings] == ["ann@example.com", "+1 415 555 0100", "John Smith"]


def test_count_by_type():
    found = [[Finding(0, 5, "EMAIL", 0.95)], [Finding(1, 2, "PHONE", 0.8), {"type": "EMAIL", "start": 0}]]
    assert count_by_type(found) == {"EMAIL": 2, "PHONE": 1}
    with pytest.raises(TypeError, match="received an item of type int"):
        count_by_type([3])


def test_sanitize_column():
    df = pd.DataFrame({"id": [1, 2, 3], "text": ["mail ann@x.org", None, "call +1 415 555 0100"]})
    out, counts = sanitize_column(df, "text")
    assert out["text"].tolist()[0::2] == ["mail [EMAIL]", "call [PHONE]"] and pd.isna(out["text"][1])
    assert counts == {"EMAIL": 1, "PHONE": 1}
    assert df["text"][0] == "mail ann@x.org" and out["id"].tolist() == [1, 2, 3]
    two, two_counts = sanitize_column(df, "text", processes=2)
    assert two.equals(out) and two_counts == counts
    with pytest.raises(ValueError, match=r"column must be one of \['id', 'text'\], received column='txt'"):
        sanitize_column(df, "txt")
    with pytest.raises(TypeError, match="column 'id' must hold str or missing values, received int at row 0"):
        sanitize_column(df, "id")


# --- errors and bad input -------------------------------------------------------------------------
def test_errors_name_argument_and_value():
    message = f"operator must be one of {list(OPERATORS)}, received operator='x'"
    with pytest.raises(ValueError, match=re.escape(message)):
        sanitize("a", operator="x")
    with pytest.raises(ValueError, match=r"types must be a subset of .*, received unknown types=\['FOO'\]"):
        sanitize("a", types=["EMAIL", "foo"])
    with pytest.raises(ValueError, match=r"min_score must be a number in \[0, 1\], received min_score=1.5"):
        sanitize("a", min_score=1.5)
    with pytest.raises(TypeError, match="text must be a str, received bytes"):
        sanitize(b"ann@example.com")
    with pytest.raises(TypeError, match="texts must be a list of str, received str"):
        sanitize_batch("ann@example.com")
    with pytest.raises(TypeError, match=r"texts\[1\] must be a str, received NoneType"):
        sanitize_batch(["a", None])
    with pytest.raises(TypeError, match="salt must be None, str or bytes, received int"):
        sanitize("ann@example.com", "pseudonym", salt=3)


def test_binary_control_and_mixed_scripts():
    text = "\x00\x01\ufffe ann@example.com \udcff 联系John Smith😀 \x7f" + "".join(map(chr, range(32)))
    out, findings = sanitize(text, "pseudonym", salt="k")
    assert [f.type for f in findings] == ["EMAIL", "PERSON"]
    assert "ann@example.com" not in out and "\udcff" in out and "\x00" in out
    assert sanitize("") == ("", [])


def test_min_score_and_types_filter():
    text = "ssn 536221234, mail ann@x.org"  # a bare nine-digit number after "ssn" scores high
    assert [f.type for f in analyze(text)] == ["US_SSN", "EMAIL"]
    assert [f.type for f in analyze("536221234 is a number")] == []
    assert [f.type for f in analyze("536221234 is a number", min_score=0.2)] == ["US_SSN"]
    assert [f.type for f in analyze(text, types="EMAIL")] == ["EMAIL"]


# --- logging --------------------------------------------------------------------------------------
def test_log_filter_redacts_message_args_and_traceback():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactingFilter())
    log = logging.getLogger("tests.evals.privacy")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("user %s logged in from %s", "ann@example.com", "10.0.0.1")
        log.warning("card 4111 1111 1111 1111 declined")
        try:
            raise ValueError("bad address bob@example.org")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
    out = stream.getvalue()
    assert out.splitlines()[:2] == ["WARNING user [EMAIL] logged in from [IP_ADDRESS]",
                                    "WARNING card [CREDIT_CARD] declined"]
    assert "ValueError: bad address [EMAIL]" in out
    assert not any(v in out for v in ("ann@example.com", "10.0.0.1", "4111", "bob@example.org"))


# --- prefilters added for speed: same findings as the full scans ----------------------------------
def test_german_numbers_only_after_a_street_type():
    text = "Er wohnt Hauptstr. 5 und Walter-Beyer-Ring 3a, Am Markt 7, Seite 5, Lindenallee 12/3."
    found = [(text[f.start:f.end], f.type) for f in analyze(text)]
    assert found == [("Hauptstr. 5", "ADDRESS"), ("Walter-Beyer-Ring 3a", "ADDRESS"), ("Lindenallee 12/3", "ADDRESS")]


def test_assigned_secrets_after_blanks_and_quotes():
    text = 'password: hunter22 and api_key = "abcd1234" 密码：abc123x token\t""=xyz12345 at 10:30'
    found = [(text[f.start:f.end], f.type) for f in analyze(text)]
    assert found == [("hunter22", "SECRET"), ("abcd1234", "SECRET"), ("abc123x", "SECRET"), ("xyz12345", "SECRET")]


def test_french_street_types_pass_the_substring_prefilter():
    from evals.privacy.addresses import _FR_HINTS, _FR_TYPES

    assert all(any(h in f for h in _FR_HINTS) for t in _FR_TYPES for f in (t, t[:1].upper() + t[1:]))
    text = "Elle habite 12 quai de la Tournelle, pas loin."
    assert [(text[f.start:f.end], f.type) for f in analyze(text)] == [("12 quai de la Tournelle", "ADDRESS")]


def test_has_context_accepts_tuples_and_lists():
    from evals.privacy.recognizers import has_context

    assert has_context("CALL me at", 10, ("call",)) and has_context("call me at", 10, ["call"])
    assert not has_context("x", 1, ("call",)) and not has_context("call me at", 0, ("call",))


def test_literal_alternation_and_initials_match_exactly_the_words():
    from evals.privacy.recognizers import initials, literal_alternation

    words = ("dear", "de", "hi", "hello")
    pattern = re.compile(f"{initials(words)}(?:{literal_alternation(words)})")
    assert initials(words) == "(?=[DHdh])"
    assert [pattern.fullmatch(w) is not None for w in ("dear", "Dear", "de", "De", "hello", "Hi", "DEAR", "dea", "x")] \
        == [True, True, True, True, True, True, False, False, False]
    assert pattern.match("dearest").group() == "dear"  # the longer word is preferred


def test_every_street_type_passes_the_look_behind_prefilters():
    from evals.privacy.addresses import _DE_TYPES_ALL, _FR_TYPES

    for t in _DE_TYPES_ALL:
        for street in ("Linden" + t, "Linden-" + t.title()):
            text = f"Sie wohnt {street} 12 hier."
            assert [(text[f.start:f.end], f.type) for f in analyze(text)] == [(f"{street} 12", "ADDRESS")], street
    for t in _FR_TYPES:
        for form in (t, t[:1].upper() + t[1:]):
            text = f"Au 12 {form} Victor Hugo, ici."
            assert [(text[f.start:f.end], f.type) for f in analyze(text)] == [(f"12 {form} Victor Hugo", "ADDRESS")]


def test_every_introduction_and_greeting_cue_passes_the_initials_prefilter():
    from evals.privacy.names import _CUES_GREETING, _CUES_INTRO

    # after an introduction any capitalized word is a name; after a greeting, a first name from the lists
    for cues, name in ((_CUES_INTRO, "Zxqvo"), (_CUES_GREETING, "Jennifer")):
        for cue in cues:
            for form in (cue, cue[:1].upper() + cue[1:]):
                text = f"Ok. {form} {name}, bye"
                assert (name, "PERSON") in [(text[f.start:f.end], f.type) for f in analyze(text)], form


@pytest.mark.parametrize("text, expected", [
    ("iban gb82west12345698765432, thanks", "iban [IBAN], thanks"),
    ("send it to gb82 west 1234 5698 7654 32.", "send it to [IBAN]."),
    ("De89370400440532013000 is mixed case", "De89370400440532013000 is mixed case"),  # neither all upper nor all lower
    ("gb82west12345698765433 fails the check", "gb82west12345698765433 fails the check"),
    ("mail JANE.DOE@EXAMPLE.COM now", "mail [EMAIL] now"),
    ("see HTTPS://EXAMPLE.COM/path?q=1 or Www.Example.org", "see [URL] or [URL]"),
])
def test_iban_email_and_url_are_found_in_either_case(text, expected):
    assert sanitize(text)[0] == expected


# --- surrogates -----------------------------------------------------------------------------------
HAN = r"[\u4e00-\u9fff]"


def test_surrogates_are_consistent_across_a_batch_and_columns():
    texts = ["Dear Jennifer, welcome.", "no pii", "Hi, my name is Jennifer Smith.", "Dear JENNIFER, hi.",
             "Dear Mr. Smith, thanks."]
    out, found = sanitize_batch(texts, operator="surrogate", types=["PERSON"], salt="k")
    assert count_by_type(found) == {"PERSON": 4} and out[1] == "no pii"
    first = re.fullmatch(r"Dear (\S+), welcome\.", out[0]).group(1)
    full = re.fullmatch(r"Hi, my name is (\S+) (\S+)\.", out[2]).groups()
    shouting = re.fullmatch(r"Dear (\S+), hi\.", out[3]).group(1)
    last = re.fullmatch(r"Dear Mr\. (\S+), thanks\.", out[4]).group(1)
    # every word of a name has one fake: "Jennifer Smith", "Jennifer" and "Mr. Smith" stay one person
    assert full == (first, last) and shouting == first.upper() and first[0].isupper()
    assert first.casefold() != "jennifer" and last.casefold() != "smith"
    # one Surrogates shared by two DataFrame columns: a dialogue and its summary name the same fake
    shared = Surrogates("k")
    df = pd.DataFrame({"dialogue": ["Dear Jennifer, welcome."], "summary": ["Dear Jennifer, welcome."]})
    df, _ = sanitize_column(df, "dialogue", "surrogate", surrogates=shared)
    df, _ = sanitize_column(df, "summary", "surrogate", surrogates=shared)
    assert df["dialogue"][0] == df["summary"][0] == out[0]  # the same salt: the same fakes in every run


def test_surrogates_are_deterministic_per_salt_and_differ_across_salts():
    text = ("Dear Jennifer Smith, mail ann.lee@example.com, call +1 415 555 0100, card 4111 1111 1111 1111, "
            "from 10.0.0.1, I live at 221 Baker Street.")
    one = sanitize(text, "surrogate", salt="s1")
    assert sanitize(text, "surrogate", salt="s1") == one and sanitize(text, "surrogate", salt=b"s1") == one
    two = sanitize(text, "surrogate", salt="s2")[0]
    assert [f.type for f in one[1]] == ["PERSON", "EMAIL", "PHONE", "CREDIT_CARD", "IP_ADDRESS", "ADDRESS"]
    differ = [a != b for a, b in zip(one[0].split(", "), two.split(", "))]
    assert differ == [True] * 6  # every entity, not just some
    assert sanitize(text, "surrogate")[0] != sanitize(text, "surrogate")[0]  # salt=None: a random key per call


def test_surrogate_names_keep_kind_shape_and_case():
    s = Surrogates("k")
    tom = s("PERSON", "tom")
    assert re.fullmatch(r"[a-z]+", tom) and tom != "tom"  # a lower-case first name stays one lower-case word
    assert re.fullmatch(r"[A-Z][A-Za-z'’-]+", s("PERSON", "Tom")) and s("PERSON", "Tom").lower() == tom
    assert s("PERSON", "TOM") == tom.upper()
    full = s("PERSON", "Ludwig van Beethoven").split()
    assert len(full) == 3 and full[1] == "van" and full[0] != "Ludwig" and full[2] != "Beethoven"
    initials = s("PERSON", "J. R. R. Tolkien")
    assert re.fullmatch(r"[A-Z]\. [A-Z]\. [A-Z]\. [A-Z][A-Za-z'’-]+", initials)
    assert initials[0] != "J" and initials[3] != "R" and initials[3] == initials[6]  # R. twice: one fake initial
    assert s("PERSON", "Mr. Müller").startswith("Mr. ") and len(s("PERSON", "Mr. Müller").split()) == 2
    three, two = s("PERSON", "王小明"), s("PERSON", "王伟")
    assert re.fullmatch(f"{HAN}{{3}}", three) and re.fullmatch(f"{HAN}{{2}}", two)
    assert three[0] == two[0] != "王" and three[1:] != "小明"  # one surname, one fake surname
    assert re.fullmatch(f"{HAN}{{4}}", s("PERSON", "欧阳丹丹")) and s("PERSON", "欧阳丹丹")[:2] != "欧阳"
    clean = sanitize("我叫王小明，李先生来了。", "surrogate", salt="k")[0]
    assert re.fullmatch(f"我叫{HAN}{{3}}，{HAN}先生来了。", clean) and "王小明" not in clean and "李先生" not in clean


def test_surrogates_of_structured_types_keep_their_format():
    from evals.privacy.checksums import IBAN_LENGTHS

    s = Surrogates("k")
    card = s("CREDIT_CARD", "4111 1111 1111 1111")
    assert re.fullmatch(r"4\d{3} \d{4} \d{4} \d{4}", card) and luhn_valid(card.replace(" ", ""))
    assert card != "4111 1111 1111 1111" and s("CREDIT_CARD", "4111-1111-1111-1111") == card.replace(" ", "-")
    iban = s("IBAN", "GB82 WEST 1234 5698 7654 32")
    assert re.fullmatch(r"GB\d\d [A-Z]{4} \d{4} \d{4} \d{4} \d\d", iban) and iban_valid(iban.replace(" ", ""))
    assert len(iban.replace(" ", "")) == IBAN_LENGTHS["GB"] and iban != "GB82 WEST 1234 5698 7654 32"
    assert s("IBAN", "gb82west12345698765432") == iban.replace(" ", "").lower()
    # check digits are computed, not lucky: 30 cards and IBANs, every one valid
    assert all(luhn_valid(s("CREDIT_CARD", f"5500 0000 0000 {i:04d}").replace(" ", "")) for i in range(30))
    assert all(iban_valid(s("IBAN", f"DE89 3704 0044 0532 0130 {i:02d}").replace(" ", "")) for i in range(30))
    email = s("EMAIL", "ann.lee@example.com")
    assert re.fullmatch(r"[a-z0-9.]+@example\.(com|org|net)", email) and email != "ann.lee@example.com"
    phone = s("PHONE", "+1 (415) 555-0100 ext. 42")
    assert re.sub(r"\d", "9", phone) == "+9 (999) 999-9999 ext. 99" and phone != "+1 (415) 555-0100 ext. 42"
    assert s("PHONE", "+14155550100ext42") == re.sub(r"[ ()\-.]", "", phone)  # normalized: one number, one fake
    assert re.fullmatch(r"0\d{2} \d{4} \d{4}", s("PHONE", "020 7946 0958"))  # the trunk prefix 0 stays
    ssn = s("US_SSN", "536-22-1234")
    assert re.fullmatch(r"9\d\d-(0[1-9]|[1-4]\d)-\d{4}", ssn) and not us_ssn_valid(*ssn.split("-"))
    cn_id = s("CN_ID", "11010519491231002X")
    assert len(cn_id) == 18 and cn_id_valid(cn_id) and cn_id != "11010519491231002X"
    v4, v6 = (ipaddress.ip_address(s("IP_ADDRESS", ip)) for ip in ("10.0.0.1", "2001:db8:85a3::1"))
    docs = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]
    assert any(v4 in n for n in docs[:3]) and v6 in docs[3] and str(v6) != "2001:db8:85a3::1"
    assert re.fullmatch(r"https://example\.com/[a-z0-9]+", s("URL", "https://shop.test/a?b=1"))
    for date, shape, fmt in [("1990-05-03", r"\d{4}-\d\d-\d\d", "%Y-%m-%d"),
                             ("03/05/1990", r"\d\d/\d\d/\d{4}", "%d/%m/%Y"),
                             ("3 May 1990", r"\d{1,2} [A-Z][a-z]+ \d{4}", "%d %B %Y")]:
        fake = s("DATE_OF_BIRTH", date)
        assert re.fullmatch(shape, fake) and fake != date
        datetime.datetime.strptime(fake, fmt)  # a real calendar date
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", s("DATE_OF_BIRTH", "1990年5月3日"))
    token = s("SECRET", "ghp_abcdefghijklmnopqrstuvwxyz0123456789")
    assert token.startswith("ghp_") and re.fullmatch(r"ghp_[a-z]{26}\d{10}", token) and token[4:] != "abcdefghij" * 4
    hexed = s("SECRET", "deadbeef0123456789abcdef0123456789")
    assert re.fullmatch(r"[0-9a-f]{34}", hexed) and hexed != "deadbeef0123456789abcdef0123456789"
    address = s("ADDRESS", "221 Baker Street")
    assert re.fullmatch(r"[1-9]\d\d [A-Z][A-Za-z'’-]+ Street", address) and address != "221 Baker Street"
    zh = s("ADDRESS", "北京市朝阳区建国路88号")
    assert re.fullmatch(f"{HAN}{{2}}市{HAN}{{2}}区{HAN}{{2}}路\\d\\d号", zh) and zh != "北京市朝阳区建国路88号"


def test_surrogates_never_equal_the_original_nor_each_other():
    from evals.privacy.names import name_lists

    s = Surrogates("k")
    firsts = sorted(name_lists()[0])  # more names than one fake list holds: collisions must be drawn again
    fakes = [s("PERSON", n) for n in firsts]
    assert len({f.casefold() for f in fakes}) == len(firsts)
    assert not any(f.casefold() == n.casefold() for f, n in zip(fakes, firsts))
    hosts = [f"10.0.{i // 250}.{i % 250 + 1}" for i in range(1000)]  # more than the 762 documentation hosts
    fakes = [s("IP_ADDRESS", h) for h in hosts]
    assert len(set(fakes)) == len(hosts) and not set(fakes) & set(hosts)
    cards = [s("CREDIT_CARD", "4111111111111111"), s("CREDIT_CARD", "4111 1111 1111 1111")]
    assert cards[0] == cards[1].replace(" ", "")  # one value, printed two ways
    with pytest.raises(ValueError, match="entity_type must be one of the sanitizer's types, received 'NAME'"):
        s("NAME", "Tom")


# --- the learned recognizer (evals/privacy/learned.py) with the shipped pii-ner ----------------------------------
@pytest.fixture
def pii_ner():
    import lmdemo
    from evals.privacy import learned

    if "pii-ner" not in lmdemo.available_models():
        pytest.skip("the shipped pii-ner checkpoint is missing")
    before = learned.tagger_name()
    learned.set_tagger("pii-ner")
    yield learned
    learned.set_tagger(before)


def persons(text):
    return [text[f.start:f.end] for f in analyze(text) if f.type == "PERSON"]


def test_the_tagger_finds_names_no_list_or_cue_finds(pii_ner):
    assert sanitize("Yesterday Margarethe Oyelaran phoned about the invoice.")[0] == \
        "Yesterday [PERSON] phoned about the invoice."
    text = "Honestly, Siobhan and Kwabena never reply before noon."
    assert persons(text) == ["Siobhan", "Kwabena"]
    assert sanitize("Radek: running late\nIngrid: np, see u at 8")[0] == "[PERSON]: running late\n[PERSON]: np, see u at 8"
    pii_ner.set_tagger(None)
    assert persons(text) == []  # the patterns and lists alone miss both
    assert pii_ner.tagger_name() is None


def test_a_listed_name_the_tagger_is_less_sure_of_is_kept_and_a_company_name_is_not_a_person(pii_ner):
    from evals.privacy.learned import LISTED_NAME_THRESHOLD
    from evals.privacy.names import listed_name, names_a_company_or_place

    text = "Works for me. Ask for me or my partner Lindsay"
    found = {f.start: f for f in analyze(text) if f.type == "PERSON"}
    lindsay = pii_ner.tagger().tag([text], threshold=LISTED_NAME_THRESHOLD)[0][-1]
    assert text[lindsay[0]:lindsay[1]] == "Lindsay" and lindsay[3] < pii_ner.tagger().config.threshold
    assert found[lindsay[0]].score == 0.5 and listed_name("Lindsay")  # below the tagger's threshold, in the lists
    assert not listed_name("Grace") and not listed_name("Zorblax")  # an everyday word; a word in no list
    assert listed_name("Χρήστος") and listed_name("erzsébet")  # names of Faker's other locales (other_names)
    assert sanitize("Payment to Doyle Ltd failed; Kerstin Doyle will call.")[0] == \
        "Payment to Doyle Ltd failed; [PERSON] will call."
    assert names_a_company_or_place("the Anthony Ville bistro", 11) and not names_a_company_or_place("Sarah Park", 5)
    assert sanitize("I visited Japan and Kenya last year.")[0] == "I visited Japan and Kenya last year."  # countries


def test_a_poem_title_is_not_a_person_and_a_chinese_address_names_a_part_of_one(pii_ner):
    poem = "五言绝句《江雪》千山鸟飞绝，万径人踪灭。"
    assert sanitize(poem)[0] == poem  # 江雪 is a title (《 》), 千山 a mountain range, not an address
    assert sanitize("王小明很喜欢《红楼梦》。")[0] == "[PERSON]很喜欢《红楼梦》。"
    assert sanitize("请寄到北京市海淀区中关村大街27号。")[0] == "请寄到[ADDRESS]。"


def test_a_tagger_that_cannot_be_loaded_is_an_error_not_a_silent_fallback(pii_ner, tmp_path):
    with pytest.raises(ValueError, match=r"the PII tagger 'no-such-tagger' cannot be loaded: unknown model"):
        pii_ner.set_tagger("no-such-tagger")
    with pytest.raises(ValueError, match=r"is a 'transformer' model, not a tagger"):
        pii_ner.set_tagger("shakespeare-char")


def test_the_tagger_keeps_batches_equal_to_single_calls_and_survives_odd_input(pii_ner):
    texts = ["Ask Dmitri Volkov about 12 Harbour Lane.", "", "王小明给刘洋发了邮件", "\x00\x01 binary \ufffd",
             "Anna Bruno Carla Dieter Emma Farid " * 50, "ok " * 20000]
    batch = analyze_batch(texts)
    assert batch == [analyze(t) for t in texts]
    assert persons(texts[2]) == ["王小明", "刘洋"]
    assert persons("周末我和王秀英去爬山了。") == ["王秀英"]  # the tagger's lone 周 is dropped: one Han character
    for text, found in zip(texts, batch):
        assert all(0 <= f.start < f.end <= len(text) for f in found)
    all_names = sanitize(texts[4])[0]  # a text that is all names: none is left
    assert not any(name in all_names for name in ("Anna", "Bruno", "Carla", "Dieter", "Emma", "Farid")), all_names[:80]
