"""Synthetic PII data (lmdemo/data/pii_synthesis.py): filled templates, weak labels, the training mix, dev."""

import random
import re

import pytest

pytest.importorskip("faker")

from lmdemo.data.pii_synthesis import (  # noqa: E402
    SLOT_TYPES, Filler, build_examples, dev_examples, fill, samsum_example, strip_titles, tatoeba_example,
)
from lmdemo.data.tagged_examples import check_tagged  # noqa: E402


class RecordingFiller(Filler):
    """A Filler that keeps every value it draws, in order, as ``(slot, value)``."""

    def __init__(self, seed):
        super().__init__(seed)
        self.drawn = []

    def value(self, slot, language, person):
        v = super().value(slot, language, person)
        self.drawn.append((slot, v))
        return v


def spans_ok(text, spans):
    """Spans inside the text, sorted and not overlapping (what ``check_tagged`` asks)."""
    assert check_tagged({"text": text, "entities": [list(s) for s in spans]})[1] == sorted(spans)


def test_fill_puts_each_span_on_its_value():
    template = " | ".join("{" + slot + "}" for slot in SLOT_TYPES)  # every slot, each once
    for language in ("en", "zh", "de"):
        filler = RecordingFiller(7)
        for _ in range(5):
            filler.drawn.clear()
            text, spans = fill(template, filler, language)
            labelled = [(SLOT_TYPES[slot], v) for slot, v in filler.drawn if SLOT_TYPES[slot] and v]
            assert [(kind, text[a:b]) for a, b, kind in spans] == labelled
            assert text == " | ".join(v for _, v in filler.drawn)
            spans_ok(text, spans)


def test_fill_same_person_and_unlabelled_distractors():
    filler = RecordingFiller(0)
    for i in range(60):
        filler.drawn.clear()
        text, spans = fill("Call {NAME:1} or {FIRST:1} in {CITY}.", filler, ("en", "zh", "fr")[i % 3])
        assert [kind for _, _, kind in spans] == ["PERSON", "PERSON"]
        full, first = (text[a:b] for a, b, _ in spans)
        assert first == filler.drawn[1][1] and first in full  # the same person: the full name holds the first
        assert text == f"Call {full} or {first} in {filler.drawn[2][1]}."
        city_start = len(f"Call {full} or {first} in ")
        assert all(b <= city_start for _, b, _ in spans)  # {CITY} is not labelled


def test_fill_titled_last_and_lower_case():
    filler = RecordingFiller(1)
    text, spans = fill("Dr.{TITLED_LAST:1} and {LAST:1} met {FIRST_LOWER:2} ({FIRST:2}).", filler, "en")
    (a1, b1, _), (a2, b2, _), (a3, b3, _), (a4, b4, _) = spans
    assert text.startswith("Dr. ") and a1 == 4  # the title stays outside the span, a space added after it
    assert text[a1:b1] == text[a2:b2]
    assert text[a3:b3] == text[a4:b4].lower()
    with pytest.raises(ValueError, match=r"unknown slot \{PET\}"):
        fill("Walk {PET}.", filler, "en")


def test_strip_titles():
    assert strip_titles("Dr. Kiss György") == "Kiss György"
    assert strip_titles("John Doe MD") == "John Doe"
    assert strip_titles("Prof. Dr. Hans Weber") == "Hans Weber"
    assert strip_titles("Mary Major Jr") == "Mary Major"
    assert strip_titles("Ann") == "Ann"
    assert strip_titles("Dr.") == "Dr."  # never emptied


DIALOGUE = ("Anna: hi Tom, are you coming tomorrow?\n"
            "Tom: yes! tell anna I'm late\n"
            "Mary Ann: Anna, Tomas is coming too\n"
            "Anna: ok tom. Mary, bring the cake")


def test_samsum_example_labels_every_mention():
    text, spans = samsum_example(DIALOGUE, Filler(0), random.Random(0), rename=0)
    assert text == DIALOGUE
    assert all(kind == "PERSON" for _, _, kind in spans)
    assert [text[a:b] for a, b, _ in spans] == ["Anna", "Tom", "Tom", "anna", "Mary Ann", "Anna", "Anna", "tom",
                                                "Mary"]
    spans_ok(text, spans)
    assert samsum_example("no speakers here", Filler(0), random.Random(0), rename=0) == ("no speakers here", [])


def test_samsum_example_renames_every_speaker():
    dialogue = "Hortensia: hi Bartholomew\nBartholomew: hey hortensia!\nHortensia: bye BARTHOLOMEW"
    for seed in range(3):
        text, spans = samsum_example(dialogue, Filler(seed), random.Random(seed), rename=1)
        assert not re.search(r"hortensia|bartholomew", text, re.I)
        lines = text.split("\n")
        speakers = [line.split(":")[0] for line in lines]
        assert speakers[0] == speakers[2] != speakers[1]
        names = {s.lower() for s in speakers}
        assert len(spans) == 6 and all(text[a:b].lower() in names for a, b, _ in spans)
        assert text[spans[3][0]:spans[3][1]] == speakers[0].lower()  # a lower-case mention stays lower case
        spans_ok(text, spans)


def test_tatoeba_example():
    rng = random.Random(0)
    assert tatoeba_example("Tom told Mary.", Filler(0), rng, rename=0) == ("Tom told Mary.",
                                                                           [(0, 3, "PERSON"), (9, 13, "PERSON")])
    assert tatoeba_example("Tomorrow Tom leaves.", Filler(0), rng, rename=0) == ("Tomorrow Tom leaves.",
                                                                                 [(9, 12, "PERSON")])
    assert tatoeba_example("汤姆很高兴。", Filler(0), rng, rename=0) == ("汤姆很高兴。", [(0, 2, "PERSON")])
    assert tatoeba_example("It is raining in Boston.", Filler(0), rng, rename=0) is None
    assert tatoeba_example("我很高兴。", Filler(0), rng, rename=0) is None
    text, spans = tatoeba_example("Tom told Mary that Tom was right.", Filler(3), random.Random(3), rename=1)
    names = [text[a:b] for a, b, _ in spans]
    assert len(names) == 3 and names[0] == names[2] and text == f"{names[0]} told {names[1]} that {names[0]} was right."


@pytest.fixture(scope="module")
def mix():
    return build_examples(300, seed=0)


def test_build_examples_spans_and_determinism(mix):
    assert len(mix) == 300
    for text, spans in mix:
        spans_ok(text, spans)
        assert all(kind in SLOT_TYPES.values() for _, _, kind in spans)
    assert sum(1 for _, spans in mix if any(k == "PERSON" for _, _, k in spans)) > 150
    assert any(k == "ADDRESS" for _, spans in mix for _, _, k in spans)
    assert build_examples(30, seed=5) == build_examples(30, seed=5)
    assert build_examples(30, seed=5) != build_examples(30, seed=6)


def test_dev_examples_are_apart_from_training():
    from lmdemo.data.pii_dev_templates import DEV_TEMPLATES
    from lmdemo.data.pii_synthesis import TRAIN_TEMPLATES

    examples = dev_examples(200)
    assert len(examples) == 200 and dev_examples(20) == examples[:20]
    for text, spans in examples:
        spans_ok(text, spans)
    train = {t for ts in TRAIN_TEMPLATES.values() for t in ts}
    dev = {t for ts in DEV_TEMPLATES.values() for t in ts}
    assert not dev & train
    assert set(DEV_TEMPLATES) == set(TRAIN_TEMPLATES)
