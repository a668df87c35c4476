"""Hugging Face BERT checkpoints read into lmdemo's sentiment model (lmdemo/storage/hf_bert.py).

The fixtures are random tiny BERTs written by transformers, with transformers' own outputs beside them
(``expected.json``: token ids, and the classifier's logits and probabilities, or the plain encoder's
[CLS] hidden state and pooler output); no torch is needed here.
"""

import json
import os
import shutil

import numpy as np
import pytest

import lmdemo
from tests.conftest import copy_hf_fixture, edit_hf_config, edit_hf_weights
from lmdemo.data.batching import pad_batch
from lmdemo.tasks import SentimentModel
from lmdemo.tokenizers import WordPieceTokenizer, load_tokenizer

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "fixtures", "hf")
CLASSIFIER = os.path.join(FIXTURES, "tiny-bert-classifier")
ENCODER = os.path.join(FIXTURES, "tiny-bert")


def expected_of(folder):
    with open(os.path.join(folder, "expected.json"), encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def bert():
    return lmdemo.load_model(CLASSIFIER)


@pytest.fixture(scope="module")
def encoder():
    with pytest.warns(UserWarning, match=r"has no label head \(classifier\): random weights stand in"):
        return lmdemo.load_model(ENCODER)


def copy_fixture(tmp_path, folder=CLASSIFIER, leave_out=()):
    name = os.path.basename(folder)
    return copy_hf_fixture(name, tmp_path / name, leave_out)


edit_config, edit_weights = edit_hf_config, edit_hf_weights


def probabilities(model, text):
    return list(model.classify([text])[0]["probabilities"].values())


def test_a_bert_classifier_folder_loads_as_a_sentiment_model_with_berts_options(bert):
    assert isinstance(bert, SentimentModel) and (bert.kind, bert.task) == ("classifier", "sentiment")
    c = bert.config
    assert (c.num_layers, c.num_heads, c.d_model, c.hidden_dim, c.max_length, c.vocab_size) == (2, 4, 32, 64, 64, 360)
    assert (c.normalize_first, c.num_segments, c.activation, c.pooling, c.layer_norm_epsilon) == \
        (False, 2, "gelu_exact", "first", 1e-12)
    assert bert.labels == ("negative", "neutral", "positive")
    assert isinstance(bert.tokenizer, WordPieceTokenizer) and "BERT checkpoint" in bert.card
    assert "post-LayerNorm" in bert.describe() and "read at its first token ([CLS])" in bert.describe()


def test_token_ids_and_probabilities_equal_transformers(bert):
    expected = expected_of(CLASSIFIER)
    texts = [case["text"] for case in expected["texts"]]
    batch = bert.classify(texts)  # padded together: the shorter texts' padding is masked
    ids, mask = pad_batch([case["ids"] for case in expected["texts"]], 64)
    logits = np.asarray(bert.network(ids, mask))
    for i, (case, result) in enumerate(zip(expected["texts"], batch)):
        assert bert.tokenizer.encode(case["text"]) == case["ids"]
        assert bert.tokenizer.tokenize(case["text"]) == case["tokens"]
        np.testing.assert_allclose(list(result["probabilities"].values()), case["probs"], atol=1e-4, rtol=0)
        np.testing.assert_allclose(logits[i], case["logits"], atol=1e-4, rtol=0)
        assert result["label"] == expected["labels"][int(np.argmax(case["probs"]))]


def test_the_pipeline_gives_id2labels_names_and_the_probabilities():
    case = expected_of(CLASSIFIER)["texts"][1]
    result = lmdemo.pipeline("sentiment", model=CLASSIFIER)(case["text"])
    assert list(result["probabilities"]) == ["negative", "neutral", "positive"]
    assert result["label"] == "positive" and not result["truncated"]
    np.testing.assert_allclose(list(result["probabilities"].values()), case["probs"], atol=1e-4, rtol=0)


def test_a_plain_bert_models_cls_state_and_pooler_output_equal_transformers(encoder):
    assert encoder.labels == ("LABEL_0", "LABEL_1") and "random until fine-tuned" in encoder.card
    cases = expected_of(ENCODER)["texts"]
    ids, mask = pad_batch([case["ids"] for case in cases], 64)
    hidden = np.asarray(encoder.network.encoder(ids, mask).output)  # (texts, seq, 32)
    pooled = np.asarray(encoder.network.pooled(ids, mask))  # (texts, 32)
    for i, case in enumerate(cases):
        assert encoder.tokenizer.encode(case["text"]) == case["ids"]
        np.testing.assert_allclose(hidden[i, 0], case["last_hidden_state_cls"], atol=1e-4, rtol=0)
        np.testing.assert_allclose(pooled[i], case["pooler_output"], atol=1e-4, rtol=0)


def test_the_registry_reads_a_bert_folders_task_and_tokenizer_without_its_weights():
    from lmdemo.registry import checkpoint_task, load_model_tokenizer

    with open(os.path.join(CLASSIFIER, "expected.json"), encoding="utf-8") as f:
        case = json.load(f)["texts"][0]
    tokenizer = load_model_tokenizer(CLASSIFIER)
    assert isinstance(tokenizer, WordPieceTokenizer) and tokenizer.encode(case["text"]) == case["ids"]
    assert checkpoint_task(CLASSIFIER) == "sentiment"


def test_a_long_text_is_cut_keeping_sep_last(bert):
    tok = bert.tokenizer
    ids = tok.encode("a charming journey " * 40)
    assert len(ids) > bert.config.max_length
    cut = bert.input_ids(ids)
    assert len(cut) == 64 and cut[0] == tok.cls_id and cut[-1] == tok.sep_id and cut[:63] == ids[:63]
    assert tok.truncate([2, 5, 6, 3], 3) == [2, 5, 3] and tok.truncate([2, 5, 3], 3) == [2, 5, 3]
    result = bert.classify(["a charming journey " * 40])[0]
    assert result["truncated"]
    np.testing.assert_allclose(list(result["probabilities"].values()), bert.probabilities_of([cut])[0], atol=1e-7)


def test_vocab_txt_alone_gives_the_same_tokens(tmp_path):
    folder = copy_fixture(tmp_path, leave_out=("tokenizer.json",))
    model = lmdemo.load_model(str(folder))
    for case in expected_of(CLASSIFIER)["texts"]:
        assert model.tokenizer.encode(case["text"]) == case["ids"]
    assert model.tokenizer.decode(expected_of(CLASSIFIER)["texts"][2]["ids"]) == \
        "the plot is thin, but the actors are good."


def test_older_names_and_pretraining_heads_load_the_same(tmp_path, bert):
    folder = copy_fixture(tmp_path)

    def rename(tensors):
        for name in [n for n in tensors if n.endswith("LayerNorm.weight") or n.endswith("LayerNorm.bias")]:
            tensors[name.replace(".weight", ".gamma").replace(".bias", ".beta")] = tensors.pop(name)
        tensors["bert.embeddings.position_ids"] = np.arange(64, dtype=np.int64)[None]  # a buffer: skipped
        tensors["cls.predictions.bias"] = np.zeros(360, np.float32)  # a pre-training head: not read

    edit_weights(folder, rename)
    text = expected_of(CLASSIFIER)["texts"][0]["text"]
    np.testing.assert_allclose(probabilities(lmdemo.load_model(str(folder)), text), probabilities(bert, text),
                               atol=1e-7)


def test_saved_as_a_lmdemo_checkpoint_it_loads_again_with_the_same_probabilities(tmp_path, bert):
    bert.save(str(tmp_path / "saved"))
    assert json.loads((tmp_path / "saved" / "config.json").read_text())["config"]["normalize_first"] is False
    assert isinstance(load_tokenizer(str(tmp_path / "saved" / "tokenizer.json")), WordPieceTokenizer)
    again = lmdemo.load_model(str(tmp_path / "saved"))
    assert again.config == bert.config
    for case in expected_of(CLASSIFIER)["texts"]:
        assert again.tokenizer.encode(case["text"]) == case["ids"]
        np.testing.assert_allclose(probabilities(again, case["text"]), case["probs"], atol=1e-4, rtol=0)
        assert probabilities(again, case["text"]) == probabilities(bert, case["text"])


def test_train_task_sentiment_starts_from_a_plain_bert_model(tmp_path, encoder):
    from lmdemo.cli import main

    rows = ["a charming and affecting journey\t1", "the worst thing i have seen\t0", "good actors\t1",
            "a thin plot\t0"] * 4
    (tmp_path / "train.tsv").write_text("sentence\tlabel\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "tuned"
    with pytest.warns(UserWarning, match="has no label head"):
        code = main(["train-task", "sentiment", "--init-from", ENCODER, "--data", str(tmp_path / "train.tsv"),
                     "--val-data", str(tmp_path / "train.tsv"), "--out", str(out), "--steps", "3",
                     "--batch-size", "4", "--warmup", "1", "--eval-interval", "3", "--dropout", "0.0"])
    assert code == 0
    tuned = lmdemo.load_model(str(out))
    assert tuned.labels == ("negative", "positive") and isinstance(tuned.tokenizer, WordPieceTokenizer)
    assert tuned.config.to_dict() == {**encoder.config.to_dict(), "labels": ["negative", "positive"]}
    assert tuned.classify(["good actors"])[0]["label"] in ("negative", "positive")
    assert "started from the pre-trained encoder of" in (out / "README.md").read_text()
    # the first step starts from the checkpoint's encoder and pooler: three steps move them only a little
    moved = [np.abs(a - b).max() for a, b in zip(tuned.network.encoder.get_weights(),
                                                 encoder.network.encoder.get_weights())]
    assert 0 < max(moved) < 0.05
    from lmdemo.training.task_training import _from_pretrained

    with pytest.warns(UserWarning, match="has no label head"):
        fresh, _ = _from_pretrained(ENCODER, "sentiment", {}, seed=0)
    for a, b in zip(fresh.network.encoder.get_weights() + fresh.network.pooler.get_weights(),
                    encoder.network.encoder.get_weights() + encoder.network.pooler.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="fixes normalize_first; leave them out"):
        _from_pretrained(ENCODER, "sentiment", {"normalize_first": True}, seed=0)


# -- what is refused, and how --------------------------------------------------------------------------------
@pytest.mark.parametrize("changes, message", [
    ({"hidden_act": "silu"}, r"config.json: hidden_act='silu' is not supported; lmdemo has 'gelu' \(exact, erf\)"),
    ({"position_embedding_type": "relative_key"},
     r"config.json: position_embedding_type='relative_key' is not supported; .*'absolute'"),
    ({"is_decoder": True}, r"config.json: is_decoder=true is not supported"),
    ({"problem_type": "multi_label_classification"}, r"problem_type='multi_label_classification' is not supported"),
    ({"hidden_size": 30}, r"config.json: hidden_size=30 is not divisible by num_attention_heads=4"),
    ({"num_hidden_layers": 3}, r"the weights have no 'encoder.layer.2.attention.self.query.weight' \(nor 'bert."),
    ({"num_hidden_layers": 1}, r"the weights hold 16 tensors this BERT \(config.json: num_hidden_layers=1\) does "
                               r"not have, e.g. 'bert.encoder.layer.1"),
    ({"intermediate_size": 48}, r"bert.encoder.layer.0.intermediate.dense.weight has shape \(64, 32\), but "
                                r"config.json implies \(48, 32\)"),
    ({"vocab_size": 400}, r"the tokenizer has 360 tokens but config.json says vocab_size=400"),
    ({"id2label": {"0": "bad", "2": "good"}}, r"config.json: id2label must map the label ids 0, 1, \.\.\. to names"),
    ({"id2label": {"0": "a", "1": "b"}}, r"classifier.weight has shape \(3, 32\), but config.json implies \(2, 32\)"),
])
def test_unsupported_configs_are_refused_by_key(tmp_path, changes, message):
    folder = copy_fixture(tmp_path)
    edit_config(folder, **changes)
    with pytest.raises(ValueError, match=message):
        lmdemo.load_model(str(folder))


def test_a_missing_tokenizer_is_named(tmp_path):
    folder = copy_fixture(tmp_path, leave_out=("tokenizer.json", "vocab.txt"))
    with pytest.raises(ValueError, match=r"no tokenizer in .*: a BERT checkpoint needs tokenizer.json or vocab.txt"):
        lmdemo.load_model(str(folder))


def test_a_tokenizer_that_is_not_wordpiece_is_named(tmp_path):
    folder = copy_fixture(tmp_path)
    shutil.copy(os.path.join(FIXTURES, "tiny-gpt2", "tokenizer.json"), folder / "tokenizer.json")
    with pytest.raises(ValueError, match=r"cannot read .*tokenizer.json.*: tokenizer_json has a 'BPE' model; a "
                                         r"WordPieceTokenizer needs 'WordPiece'"):
        lmdemo.load_model(str(folder))


def test_a_vocabulary_without_berts_special_tokens_is_named(tmp_path):
    folder = copy_fixture(tmp_path, leave_out=("tokenizer.json",))
    vocab = (folder / "vocab.txt").read_text(encoding="utf-8").replace("[SEP]\n", "[SEPARATOR]\n")
    (folder / "vocab.txt").write_text(vocab, encoding="utf-8")
    with pytest.raises(ValueError, match=r"cannot read .*vocab.txt.*: vocab has no '\[SEP\]' token"):
        lmdemo.load_model(str(folder))


def test_a_weight_of_the_wrong_shape_is_named(tmp_path):
    folder = copy_fixture(tmp_path)
    edit_weights(folder, lambda t: t.update({"bert.pooler.dense.bias": np.zeros(31, np.float32)}))
    with pytest.raises(ValueError, match=r"bert.pooler.dense.bias has shape \(31,\), but config.json implies \(32,\)"):
        lmdemo.load_model(str(folder))


def test_a_damaged_weights_file_is_named(tmp_path):
    folder = copy_fixture(tmp_path)
    (folder / "model.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json}")
    with pytest.raises(ValueError, match=r"cannot read weights file .*model.safetensors"):
        lmdemo.load_model(str(folder))
