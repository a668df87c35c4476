"""The registry (lmdemo/registry.py): task names and aliases, data columns, which task a checkpoint does,
the model classes, and loading a model or only its tokenizer."""

import json
import os
import re

import pytest

import lmdemo
from lmdemo.registry import (KIND_TASKS, LM_KINDS, SHIPPED, TASKS, TRAIN_TASKS, canonical_task, checkpoint_task,
                             load_model_tokenizer, model_classes, model_path)
from lmdemo.storage.encryption import KEY_ENV, PASSPHRASE_ENV, new_key

ALL_NAMES = ["lm", "ner", "poem", "poem-generation", "sentiment", "sentiment-analysis", "summarization",
             "text-classification", "text-generation", "token-classification", "translation", "translation_en_to_es"]
# the task each shipped checkpoint's config.json records
SHIPPED_TASKS = {"en-es-translation": "translation", "samsum-summarization": "summarization",
                 "sst2-sentiment": "sentiment", "shakespeare-char": "lm", "shakespeare-lstm": "lm",
                 "shakespeare-rnn": "lm", "shakespeare-5gram": "lm", "ptb-transformer": "lm", "ptb-lstm": "lm",
                 "ptb-5gram": "lm", "pii-ner": "ner", "tang-poems-char": "poem", "en-zh-translation": "translation"}


def _shipped(name):
    if name not in lmdemo.available_models():
        pytest.skip(f"the shipped {name} checkpoint is missing")
    return name


def _write_config(folder, **config):
    """A checkpoint folder holding only ``config.json`` (all that ``checkpoint_task`` reads)."""
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"format": 1, "config": {}, **config}), encoding="utf-8")
    return str(folder)


@pytest.fixture
def no_env_keys(monkeypatch, toy_lm):
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    yield
    toy_lm.encryption = None  # the shared toy model remembers the key it was saved with


# -- task names ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, task", [
    ("lm", "lm"), ("text-generation", "lm"),
    ("translation", "translation"), ("translation_en_to_es", "translation"),
    ("summarization", "summarization"),
    ("sentiment", "sentiment"), ("sentiment-analysis", "sentiment"), ("text-classification", "sentiment"),
])
def test_canonical_task_maps_each_name_and_alias(name, task):
    assert canonical_task(name) == task


def test_canonical_task_names_are_the_tasks_and_their_aliases():
    assert list(TASKS) == ["lm", "translation", "summarization", "sentiment", "ner", "poem"]
    assert sorted(list(TASKS) + [a for spec in TASKS.values() for a in spec.aliases]) == ALL_NAMES
    assert {name: canonical_task(name) for name in ALL_NAMES} == {
        "lm": "lm", "sentiment": "sentiment", "sentiment-analysis": "sentiment", "summarization": "summarization",
        "text-classification": "sentiment", "text-generation": "lm", "translation": "translation",
        "translation_en_to_es": "translation", "ner": "ner", "token-classification": "ner", "poem": "poem",
        "poem-generation": "poem"}


@pytest.mark.parametrize("name", ["poetry", "", "LM", "masked-lm", None])
def test_canonical_task_refuses_an_unknown_name_and_lists_the_choices(name):
    with pytest.raises(ValueError, match=re.escape(f"unknown task={name!r}; choose one of {ALL_NAMES}")):
        canonical_task(name)


# -- data columns -------------------------------------------------------------------------------------------
def test_task_column_takes_the_first_candidate_a_file_has():
    sentiment = TASKS["sentiment"]
    assert (sentiment.input_columns, sentiment.target_columns) == (("text", "sentence"), ("label",))
    assert sentiment.column("input", ["sentence", "label"]) == "sentence"
    assert sentiment.column("input", ["sentence", "text", "label"]) == "text"  # the order of the candidates wins
    assert sentiment.column("target", ["sentence", "label"]) == "label"
    summarization = TASKS["summarization"]
    assert summarization.column("input", ["id", "dialogue", "summary"]) == "dialogue"
    assert summarization.column("input", ["dialogue", "document", "summary"]) == "document"
    assert summarization.column("target", ["id", "dialogue", "summary"]) == "summary"
    assert TASKS["lm"].column("input", ["text"]) == "text"


def test_task_column_falls_back_to_the_position_for_translation():
    translation = TASKS["translation"]
    assert (translation.input_columns, translation.target_columns) == (("source", 0), ("reference", 1))
    assert translation.column("input", ["english", "spanish"]) == "english"
    assert translation.column("target", ["english", "spanish"]) == "spanish"
    assert translation.column("input", {"en": "Hello.", "es": "Hola."}) == "en"  # a row's keys, in order
    assert translation.column("target", {"en": "Hello.", "es": "Hola."}) == "es"
    assert translation.column("input", ["id", "source", "reference"]) == "source"  # a name before a position
    assert translation.column("target", ["id", "source", "reference"]) == "reference"
    assert translation.column("target", ["english"]) == "reference"  # no second column: the default name


def test_task_column_gives_the_default_name_when_none_matches():
    assert TASKS["sentiment"].column("input", ["review", "score"]) == "text"
    assert TASKS["sentiment"].column("target", ["review", "score"]) == "label"
    assert TASKS["summarization"].column("input", ["article"]) == "document"
    assert TASKS["translation"].column("input", []) == "source"
    assert TASKS["lm"].column("input", []) == "text"
    assert TASKS["lm"].column("target", ["text", "label"]) is None  # lm has no target column


# -- the tables ---------------------------------------------------------------------------------------------
def test_tasks_kinds_and_defaults():
    assert {name: (spec.aliases, spec.kinds, spec.default_model, spec.output_key) for name, spec in TASKS.items()} == {
        "lm": (("text-generation",), ("transformer", "lstm", "rnn", "ngram"), "shakespeare-char", "generated_text"),
        "translation": (("translation_en_to_es",), ("encoder-decoder",), "en-es-translation", "translation_text"),
        "summarization": ((), ("encoder-decoder",), "samsum-summarization", "summary_text"),
        "sentiment": (("sentiment-analysis", "text-classification"), ("classifier",), "sst2-sentiment", None),
        "ner": (("token-classification",), ("tagger",), "pii-ner", None),
        "poem": (("poem-generation",), ("transformer", "lstm", "rnn", "ngram"), "tang-poems-char", "poem"),
    }
    assert TASKS["poem"].column("input", ["title", "poem"]) == "title"
    assert TASKS["poem"].column("target", ["title", "poem"]) == "poem"
    assert TASKS["poem"].column("target", ["title", "form", "poem"]) == "form"
    assert all(spec.name == name and spec.default_model in SHIPPED for name, spec in TASKS.items())
    assert TRAIN_TASKS == ("translation", "summarization", "sentiment", "masked-lm", "ner")
    assert KIND_TASKS == {"transformer": "lm", "lstm": "lm", "rnn": "lm", "ngram": "lm", "classifier": "sentiment",
                          "tagger": "ner", "encoder-decoder": None, "masked-lm": None}


def test_model_classes_cover_every_kind():
    from lmdemo.tasks import MaskedLMModel, TaggerModel

    assert model_classes() == {"transformer": lmdemo.TransformerLM, "lstm": lmdemo.LSTMLM, "rnn": lmdemo.RNNLM,
                               "ngram": lmdemo.NGramLM, "encoder-decoder": lmdemo.Seq2SeqModel,
                               "classifier": lmdemo.SentimentModel, "masked-lm": MaskedLMModel,
                               "tagger": TaggerModel}
    assert set(model_classes()) == set(LM_KINDS) | set(KIND_TASKS)
    assert set(lmdemo.available_models()) <= set(SHIPPED) and set(SHIPPED_TASKS) == set(SHIPPED)


# -- which task a checkpoint does ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(SHIPPED_TASKS))
def test_checkpoint_task_of_each_shipped_model(name):
    assert checkpoint_task(_shipped(name)) == SHIPPED_TASKS[name]
    assert checkpoint_task(model_path(name)) == SHIPPED_TASKS[name]  # the folder path reads the same


def test_each_tasks_default_model_does_that_task():
    for name, spec in TASKS.items():
        assert checkpoint_task(_shipped(spec.default_model)) == name


def test_checkpoint_task_without_a_recorded_task_falls_back_by_kind(tmp_path, toy_lm):
    toy_lm.save(str(tmp_path / "lm"))
    config = json.loads((tmp_path / "lm" / "config.json").read_text())
    assert (config["kind"], config["task"]) == ("transformer", "lm")
    del config["task"]  # as checkpoints written before config.json recorded it
    (tmp_path / "lm" / "config.json").write_text(json.dumps(config))
    assert checkpoint_task(str(tmp_path / "lm")) == "lm"
    for kind, task in KIND_TASKS.items():  # an encoder-decoder or masked LM must say: None
        assert checkpoint_task(_write_config(tmp_path / kind, kind=kind)) == task, kind
    # a recorded task wins over the kind's
    assert checkpoint_task(_write_config(tmp_path / "s", kind="encoder-decoder", task="summarization")) == \
        "summarization"
    assert checkpoint_task(_write_config(tmp_path / "null", kind="ngram", task=None)) == "lm"
    assert checkpoint_task(_write_config(tmp_path / "odd", kind="hologram")) is None


def test_model_path_and_checkpoint_task_refuse_what_is_not_a_checkpoint(tmp_path):
    with pytest.raises(ValueError, match=re.escape("unknown model 'no-such-model': not a shipped model (")):
        checkpoint_task("no-such-model")
    with pytest.raises(ValueError, match="name_or_path must be a model name or a checkpoint folder, received ''"):
        model_path("")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="not a checkpoint: config.json is missing in path="):
        checkpoint_task(str(tmp_path / "empty"))
    assert model_path(str(tmp_path / "empty")) == str(tmp_path / "empty")


def test_load_model_rejects_non_string():
    with pytest.raises(ValueError, match="name_or_path must be a model name or a checkpoint folder"):
        lmdemo.load_model(None)


def test_load_model_refuses_an_unknown_kind(tmp_path, toy_lm):
    path = tmp_path / "ck"
    toy_lm.save(str(path))
    cfg = json.loads((path / "config.json").read_text())
    cfg["kind"] = "hologram"
    (path / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ValueError, match="unknown model kind='hologram'"):
        lmdemo.load_model(str(path))


# -- a model's tokenizer alone -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["shakespeare-char", "ptb-5gram", "en-es-translation"])
def test_load_model_tokenizer_equals_the_loaded_models(name):
    tokenizer = load_model_tokenizer(_shipped(name))
    expected = lmdemo.load_model(name).tokenizer
    assert type(tokenizer) is type(expected)
    assert tokenizer.get_config() == expected.get_config()
    assert tokenizer.vocab_size == expected.vocab_size


def test_load_model_tokenizer_of_an_encrypted_checkpoint_needs_its_key(tmp_path, toy_lm, no_env_keys):
    key = new_key()
    path = str(tmp_path / "enc")
    toy_lm.save(path, key=key)
    assert not os.path.exists(os.path.join(path, "tokenizer.json"))
    tokenizer = load_model_tokenizer(path, key=key)
    assert type(tokenizer) is lmdemo.CharTokenizer
    assert tokenizer.get_config() == toy_lm.tokenizer.get_config()
    with pytest.raises(ValueError, match=re.escape(f"is encrypted with a key: pass key= or set ${KEY_ENV}")):
        load_model_tokenizer(path)
    with pytest.raises(ValueError, match="cannot decrypt tokenizer.json: wrong key or passphrase"):
        load_model_tokenizer(path, key=new_key())


def test_load_model_tokenizer_of_a_passphrase_checkpoint(tmp_path, toy_lm, no_env_keys, monkeypatch):
    path = str(tmp_path / "enc")
    toy_lm.save(path, passphrase="correct horse battery staple")
    assert load_model_tokenizer(path, passphrase="correct horse battery staple").get_config() == \
        toy_lm.tokenizer.get_config()
    with pytest.raises(ValueError, match=re.escape(f"is encrypted with a passphrase: pass passphrase= or set "
                                                   f"${PASSPHRASE_ENV}")):
        load_model_tokenizer(path)
    monkeypatch.setenv(PASSPHRASE_ENV, "correct horse battery staple")  # as load_model, from the environment
    assert load_model_tokenizer(path).get_config() == toy_lm.tokenizer.get_config()
