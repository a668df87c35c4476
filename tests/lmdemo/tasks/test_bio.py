"""Words, BIO tags and windows (lmdemo/tasks/bio.py): exact cases."""

import pytest

from lmdemo.tasks.bio import bio_labels, entity_runs, spans_to_tags, split_words, tags_to_spans, trimmed, windows

LABELS = bio_labels(("PERSON", "ADDRESS"))
O, BP, IP, BA, IA = range(5)


def words_of(text):
    return [text[s:e] for s, e in split_words(text)]


def test_split_words_keeps_apostrophes_cuts_han_digits_symbols_and_newlines():
    assert words_of("Ann O'Neil's 42nd\r\n王小明, ok?") == ["Ann", "O'Neil's", "42", "nd", "\n", "王", "小", "明", ",",
                                                        "ok", "?"]
    assert words_of("Halldór Ó Árnþórsson") == ["Halldór", "Ó", "Árnþórsson"]
    assert words_of("Jean-Pierre Adebayo-Hartley, H-3860 -x") == ["Jean-Pierre", "Adebayo-Hartley", ",", "H", "-", "3860",
                                                                 "-", "x"]
    assert words_of("Μεγάλη Άμμος 184, ΠΑΦΟΣ") == ["Μεγάλη", "Άμμος", "184", ",", "ΠΑΦΟΣ"]
    assert split_words("") == [] and split_words("  \t ") == []


def test_bio_labels_order():
    assert LABELS == ("O", "B-PERSON", "I-PERSON", "B-ADDRESS", "I-ADDRESS")


def test_spans_to_tags_marks_first_word_b_and_the_rest_i():
    text = "Call Ann Lee at 5 Elm St."
    spans = [(5, 12, "PERSON"), (16, 25, "ADDRESS")]
    assert spans_to_tags(split_words(text), spans, LABELS) == [O, BP, IP, O, BA, IA, IA, IA]


def test_spans_to_tags_adjacent_entities_of_one_type_each_begin_with_b():
    text = "王小明刘洋"
    assert spans_to_tags(split_words(text), [(0, 3, "PERSON"), (3, 5, "PERSON")], LABELS) == [BP, IP, IP, BP, IP]


def test_spans_to_tags_leaves_unknown_types_outside():
    text = "mail ann@x.org"
    assert spans_to_tags(split_words(text), [(5, 14, "EMAIL")], LABELS) == [O] * 6


def test_tags_to_spans_exact():
    text = "Call Ann Lee, 5 Elm St.\nLeeds now"
    words = split_words(text)
    tags = [O, BP, IP, O, BA, IA, IA, IA, IA, IA, O]
    assert tags_to_spans(text, words, tags, LABELS) == [(5, 12, "PERSON", 1.0), (14, 29, "ADDRESS", 1.0)]


def test_tags_to_spans_repairs_i_without_b_and_splits_on_b_and_on_type_change():
    text = "Ann Lee Bo Chen Elm"
    words = split_words(text)
    # I after O starts an entity; B inside a run starts a new one; a type change closes the entity
    assert tags_to_spans(text, words, [IP, IP, BP, IP, IA], LABELS) == [
        (0, 7, "PERSON", 1.0), (8, 15, "PERSON", 1.0), (16, 19, "ADDRESS", 1.0)]


def test_tags_to_spans_trims_symbols_and_newlines_at_the_ends_only():
    text = "\nAnn - Lee ,\n"
    words = split_words(text)  # "\n", "Ann", "-", "Lee", ",", "\n"
    assert tags_to_spans(text, words, [BP, IP, IP, IP, IP, IP], LABELS) == [(1, 10, "PERSON", 1.0)]
    # an entity made only of symbols disappears
    assert tags_to_spans("a , b", split_words("a , b"), [O, BP, O], LABELS) == []


def test_tags_to_spans_scores_are_the_mean_over_kept_words():
    text = "Dear Ann Lee"
    assert tags_to_spans(text, split_words(text), [O, BP, IP], LABELS, scores=[0.1, 0.9, 0.6]) == [
        (5, 12, "PERSON", 0.75)]


def test_windows_cover_every_word_once_and_keep_the_middle():
    ranges, kept = windows(10, 6, 2)
    assert ranges == [(0, 6), (4, 10)] and kept == [(0, 5), (5, 10)]
    ranges, kept = windows(100, 32, 8)
    assert ranges == [(0, 32), (24, 56), (48, 80), (68, 100)]
    assert kept == [(0, 28), (28, 52), (52, 74), (74, 100)]
    for (s, e), (lo, hi) in zip(ranges, kept):
        assert s <= lo < hi <= e
    assert windows(5, 6, 2) == ([(0, 5)], [(0, 5)])
    with pytest.raises(ValueError, match="width must exceed overlap"):
        windows(10, 4, 4)


def test_entity_runs_begin_at_each_text_break_and_skip_outside_words():
    # two texts laid end to end: [Ann Lee] [Bo ...]; the I at the second text's first word begins a new entity
    tags = [BP, IP, IP, O, O, IA, IA, O, IP]
    assert entity_runs(tags, LABELS, breaks=[0, 2]) == [
        (0, 1, "PERSON"), (2, 2, "PERSON"), (5, 6, "ADDRESS"), (8, 8, "PERSON")]
    assert entity_runs(tags, LABELS) == [(0, 2, "PERSON"), (5, 6, "ADDRESS"), (8, 8, "PERSON")]
    assert entity_runs([O, O], LABELS) == [] and entity_runs([], LABELS) == []


def test_trimmed_drops_symbols_and_newlines_at_the_ends():
    words = ["\n", "Ann", "-", "Lee", ",", "\n"]
    assert trimmed(words, 0, 5) == (1, 3)
    assert trimmed(words, 4, 5) is None
    assert trimmed(["5", "Elm"], 0, 1) == (0, 1)  # a digit is not a symbol
