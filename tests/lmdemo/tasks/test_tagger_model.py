"""The PII tagger (lmdemo/tasks/tagger_model.py): decoding, batching, windows, storage, and the shipped pii-ner
on sentences written here (not from its training templates)."""

import numpy as np
import pytest

import lmdemo
from lmdemo.config import TaggerConfig
from lmdemo.tasks.bio import bio_labels, split_words
from lmdemo.tasks import tagger_model
from lmdemo.tasks.tagger_model import TaggerModel, best_tags
from lmdemo.tokenizers import CharTokenizer

TINY = dict(max_words=16, window_overlap=4, max_word_chars=8, char_dim=8, char_filters=8, word_buckets=64,
            word_dim=8, num_layers=2, num_heads=2, d_model=16)
CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,王小明"


@pytest.fixture(scope="module", params=["bilstm", "cnn", "transformer"])
def tiny(request):
    import keras

    keras.utils.set_random_seed(0)  # the same weights every run: an entity's score rounded to 4 decimals can sit on
    tok = CharTokenizer.train(CHARS)  # a rounding edge, where two exact-in-float32 paths round apart
    return TaggerModel.create(tok, TaggerConfig(vocab_size=tok.vocab_size, context=request.param, **TINY))


def test_tags_pick_the_likeliest_type_and_b_or_i_above_the_threshold(tiny):
    # O, B-PERSON, I-PERSON, B-ADDRESS, I-ADDRESS
    probs = np.array([[0.9, 0.05, 0.0, 0.05, 0.0],    # O
                      [0.3, 0.5, 0.1, 0.1, 0.0],      # B-PERSON (0.6)
                      [0.3, 0.1, 0.4, 0.2, 0.0],      # I-PERSON (0.5)
                      [0.35, 0.0, 0.05, 0.3, 0.3],    # I-ADDRESS (0.6; I ≥ B)
                      [0.6, 0.25, 0.15, 0.0, 0.0]], np.float32)  # PERSON 0.4 < 0.5: O
    best, scores = best_tags(probs)
    assert np.asarray(best).tolist() == [1, 1, 2, 4, 1]  # O's best type is a tie: the first
    assert np.allclose(scores, [0.05, 0.6, 0.5, 0.6, 0.4])
    assert np.where(scores >= 0.5, best, 0).tolist() == [0, 1, 2, 4, 0]
    assert np.where(scores >= 0.35, best, 0).tolist() == [0, 1, 2, 4, 1]


def test_a_text_gets_the_same_entities_alone_and_in_a_batch(tiny):
    texts = ["Ann met Bo at 5 Elm St", "", "x " * 40 + "Ann Lee", "王小明 ok", "a"]
    together = tiny.tag(texts, threshold=0.2)
    assert together == [tiny.tag([t], threshold=0.2)[0] for t in texts]
    assert together[1] == []


def test_long_texts_are_read_in_windows_every_word_once(tiny, monkeypatch):
    seen = []
    original = tiny._window_ids

    def spy(batch, flat, *args):
        seen.extend(batch)
        return original(batch, flat, *args)

    monkeypatch.setattr(tiny, "_window_ids", spy)
    text = " ".join(f"w{i}" for i in range(40))  # 80 words: "w", "0", ... → windows of 16 overlapping by 4
    tiny.tag([text, ""])  # two texts: the batch path (one text with a BiLSTM goes to lmdemo.kernels.bilstm_tagger)
    assert sorted(p[1] for p in seen) == [16] * 7 and len(split_words(text)) == 80
    kept = sorted((start + lo, start + hi) for start, _, lo, hi in seen)
    assert kept[0][0] == 0 and kept[-1][1] == 80 and all(a[1] == b[0] for a, b in zip(kept, kept[1:]))


def test_bad_input_is_refused_by_name(tiny):
    with pytest.raises(TypeError, match="texts must be a list of str, received str"):
        tiny.tag("Ann")
    with pytest.raises(TypeError, match=r"texts\[1\] must be a str, received bytes"):
        tiny.tag(["Ann", b"Bo"])
    for bad in (0, 1.5, True, "0.5"):
        with pytest.raises(ValueError, match="threshold must be a number in"):
            tiny.tag(["Ann"], threshold=bad)
    assert tiny.tag([]) == [] and tiny.tag(["", " \n "]) == [[], []]


def test_save_and_load_keep_the_tags(tiny, tmp_path):
    tiny.save(str(tmp_path / "m"))
    loaded = lmdemo.load_model(str(tmp_path / "m"))
    assert isinstance(loaded, TaggerModel) and loaded.config.labels == bio_labels(("PERSON", "ADDRESS"))
    text = ["Ann met Bo at 5 Elm St"]
    assert loaded.tag(text, threshold=0.2) == tiny.tag(text, threshold=0.2)


def test_a_frozen_tagger_reads_each_word_once_and_tags_as_the_model_does(tiny):
    texts = ["Ann met Bo at 5 Elm St", "", "Bo met Ann", "x " * 40 + "Ann Lee"]
    frozen = tiny.frozen()
    first = frozen.tag(texts, threshold=0.2)
    read = len(frozen._rows)
    assert read == len({w for t in texts for w in [t[a:b] for a, b in split_words(t)]})
    assert frozen.tag(texts, threshold=0.2) == first == tiny.tag(texts, threshold=0.2)
    assert len(frozen._rows) == read  # nothing read twice
    frozen.clear()
    assert not frozen._rows and frozen.tag(texts, threshold=0.2) == first and len(frozen._rows) == read
    started = frozen.start(texts)
    assert frozen.finish(started, [0.2, 0.9]) == tiny.tag_thresholds(texts, [0.2, 0.9])


def test_constant_weights_and_one_text_at_a_time_tag_as_the_model_does(tiny):
    texts = ["Ann met Bo at 5 Elm St", "", "Bo met Ann.", "x " * 40 + "Ann Lee", "王小明 ok"]
    expected = tiny.tag_thresholds(texts, [0.2, 0.6])
    for frozen in (tiny.frozen(), tiny.frozen(constant_weights=True)):
        alone = [frozen.tag_thresholds([t], [0.2, 0.6]) for t in texts]  # one text: start's one-window path
        assert [[a[k][0] for a in alone] for k in (0, 1)] == expected
        assert frozen.tag_thresholds(texts, [0.2, 0.6]) == expected


def test_a_frozen_tagger_starts_its_word_table_again_when_full(tiny, monkeypatch):
    monkeypatch.setattr(tagger_model, "MAX_CACHED_WORDS", 7)
    frozen = tiny.frozen()
    texts = ["Ann met Bo at 5 Elm St", "Lee saw Kim"]
    expected = tiny.tag(texts, threshold=0.2)
    assert frozen.tag(texts[:1], threshold=0.2) == expected[:1] and len(frozen._rows) == 7
    assert frozen.tag(texts, threshold=0.2) == expected  # 10 words: the table starts again, with all of them
    assert len(frozen._rows) == 10 and len(frozen._vectors) == 11


def test_a_frozen_tagger_keeps_the_weights_it_was_made_with(tiny):
    frozen = tiny.frozen()
    text = ["Ann met Bo at 5 Elm St"]
    before = frozen.tag(text, threshold=0.01)
    kernel = tiny.network.tag_head.kernel
    old = np.asarray(kernel.value)
    try:
        kernel.assign(np.zeros_like(old))  # every word: uniform probabilities, B + I = 0.4 per type
        assert frozen.tag(text, threshold=0.01) == before
        assert tiny.frozen().tag(text, threshold=0.5)[0] == []
    finally:
        kernel.assign(old)


# -- the shipped model, on text written for this test ----------------------------------------------------------
@pytest.fixture(scope="module")
def pii_ner():
    if "pii-ner" not in lmdemo.available_models():
        pytest.skip("the shipped pii-ner checkpoint is missing")
    return lmdemo.load_model("pii-ner")


def found(model, text, kind):
    return [text[s:e] for s, e, k, _ in model.tag([text])[0] if k == kind]


@pytest.mark.parametrize("text, names", [
    ("Yesterday Margarethe Oyelaran phoned about the invoice.", ["Margarethe Oyelaran"]),
    ("Could you ask Thandiwe whether the keys are at her place?", ["Thandiwe"]),
    ("Priya: are we still on for lunch?\nMateus: yes! 12:30 at the usual spot", ["Priya", "Mateus"]),
    ("周末我和王秀英去爬山了。", ["王秀英"]),
])
def test_pii_ner_finds_names_in_sentences_written_here(pii_ner, text, names):
    # each name overlaps a PERSON entity, the benchmark's criterion; the sanitizer, which adds its name lists
    # and checks, must cover them exactly (tests/evals/test_privacy.py)
    spans = [(s, e) for s, e, k, _ in pii_ner.tag([text])[0] if k == "PERSON"]
    for name in names:
        start = text.index(name)
        assert any(s < start + len(name) and start < e for s, e in spans), name


@pytest.mark.xfail(strict=True, reason="a known miss (docs/privacy.md): a Chinese given name after a verb is cut "
                                       "short, 张伟 → 张, so the given name would stay in the text")
def test_pii_ner_finds_a_two_character_chinese_name_after_a_verb(pii_ner):
    assert found(pii_ner, "我昨天在图书馆碰到了张伟。", "PERSON") == ["张伟"]


def test_pii_ner_finds_a_street_address(pii_ner):
    text = "Please send the spare parts to 4417 Quarry Hollow Road, Duluth, MN 55803 by Friday."
    (address,) = found(pii_ner, text, "ADDRESS")
    assert address.startswith("4417 Quarry Hollow Road")


def test_pii_ner_finds_a_name_that_crosses_a_window_edge(pii_ner):
    edge = pii_ner.config.max_words - 1  # the last word of the first window
    filler = "Ana: ok see you later\nBen: sure, bring the charger\n" * 20
    for cut, _ in split_words(filler):
        text = filler[:cut] + "ask Priya Raman about it " + filler[cut:]
        if [text[a:b] for a, b in split_words(text)].index("Priya") == edge:
            break
    # "Priya" is the first window's last word and "Raman" the next one's: still one name, found whole
    assert "Priya Raman" in found(pii_ner, text, "PERSON")


@pytest.mark.xfail(strict=True, reason="a known miss (docs/privacy.md): after a sentence of formal prose a name "
                                       "alone in a short sentence falls below the threshold")
def test_pii_ner_finds_a_name_after_formal_prose(pii_ner):
    assert found(pii_ner, "Then Kofi called.", "PERSON") == ["Kofi"]  # alone: found
    text = "The committee met on Tuesday to discuss the budget for the coming year. Then Kofi called."
    assert found(pii_ner, text, "PERSON") == ["Kofi"]
