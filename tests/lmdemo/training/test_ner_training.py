"""Training the PII tagger (lmdemo/training/ner_training.py): entity scores, thresholds, windows, a toy run."""

import pytest

import lmdemo
from lmdemo.data.tagged_examples import write_tagged
from lmdemo.tasks.bio import bio_labels
from lmdemo.training.ner_training import choose_threshold, entity_scores, tagged_windows, train_ner
from tests.lmdemo.training.conftest import toy_train_config


def test_entity_scores_match_by_overlap_each_gold_once():
    gold = [[(0, 7, "PERSON"), (10, 20, "ADDRESS")], [(0, 3, "PERSON")]]
    pred = [[(0, 3, "PERSON", 0.9), (4, 7, "PERSON", 0.9), (12, 15, "PERSON", 0.8)], []]
    s = entity_scores(gold, pred, ("PERSON", "ADDRESS"))
    # PERSON: "Ann" matches gold 1, "Lee" finds it taken (a fragment is a false positive), the third overlaps
    # only an ADDRESS; the second text's name is missed
    assert s["PERSON"] == {"precision": 0.3333, "recall": 0.5, "f2": 0.4545, "gold": 2, "predicted": 3}
    assert s["ADDRESS"] == {"precision": 1.0, "recall": 0.0, "f2": 0.0, "gold": 1, "predicted": 0}
    assert s["all"] == {"precision": 0.3333, "recall": 0.3333, "f2": 0.3333, "gold": 3, "predicted": 3}


def test_choose_threshold_prefers_f2_among_the_precise_enough():
    table = {0.2: {"all": {"precision": 0.80, "f2": 0.90}}, 0.4: {"all": {"precision": 0.86, "f2": 0.88}},
             0.6: {"all": {"precision": 0.95, "f2": 0.85}}}
    assert choose_threshold(table, 0.85) == 0.4
    assert choose_threshold(table, 0.99) == 0.2  # none is precise enough: the best F2


def test_tagged_windows_cut_long_texts_like_the_tagger():
    text = " ".join(["Ann"] * 10)
    windows = tagged_windows([(text, [(0, 3, "PERSON"), (4, 7, "EMAIL")])], bio_labels(("PERSON",)), 6, 2)
    assert [len(w) for w, _ in windows] == [6, 6]  # words 0-5 and 4-9
    assert windows[0] == (["Ann"] * 6, [1, 0, 0, 0, 0, 0])  # the EMAIL span is not a tagged type


@pytest.mark.slow
def test_train_ner_writes_a_checkpoint_with_its_threshold_and_card(tmp_path):
    texts = [(f"Hi {n}, the parcel for {n} is at 12 Elm Street.", [(3, 3 + len(n), "PERSON"),
                                                                     (len(f"Hi {n}, the parcel for {n} is at "),
                                                                      len(f"Hi {n}, the parcel for {n} is at 12 Elm Street"),
                                                                      "ADDRESS")])
             for n in ["Ann", "Bo", "Cyd", "Dee", "Eli", "Fay", "Gus", "Hal"] * 4]
    for text, spans in texts[:2]:
        assert [text[s:e] for s, e, _ in spans][1] == "12 Elm Street"
    write_tagged(str(tmp_path / "train.jsonl"), texts)
    write_tagged(str(tmp_path / "dev.jsonl"), texts[:8])
    model = train_ner(str(tmp_path / "train.jsonl"), str(tmp_path / "m"), str(tmp_path / "dev.jsonl"),
                      toy_train_config(steps=20, eval_interval=10), progress=False,
                      model_overrides=dict(d_model=16, num_layers=1, context="bilstm", word_buckets=64, word_dim=8,
                                           char_dim=8, char_filters=8))
    loaded = lmdemo.load_model(str(tmp_path / "m"))
    assert loaded.config.threshold == model.config.threshold
    card = (tmp_path / "m" / "README.md").read_text()
    assert "python -m lmdemo train-task ner" in card and "| threshold | type |" in card
