"""Hugging Face GPT-2 checkpoints read into lmdemo's layers (lmdemo/storage/hf_checkpoint.py).

The fixture ``tests/fixtures/hf/tiny-gpt2`` is a random GPT-2 written by transformers, with
transformers' own log-probabilities and greedy continuation beside it (``make_hf_fixtures.py``); no
torch is needed here.
"""

import json
import os

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

import lmdemo
from tests.conftest import copy_hf_fixture, edit_hf_config
from lmdemo.lm import TransformerLM
from lmdemo.storage.hf_checkpoint import is_hf_folder

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "fixtures", "hf")
GPT2 = os.path.join(FIXTURES, "tiny-gpt2")


@pytest.fixture(scope="module")
def expected():
    with open(os.path.join(GPT2, "expected.json"), encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def gpt2():
    return lmdemo.load_model(GPT2)


def copy_fixture(tmp_path, leave_out=()):
    return copy_hf_fixture("tiny-gpt2", tmp_path / "gpt2", leave_out)


edit_config = edit_hf_config


def test_a_gpt2_folder_loads_as_a_transformer_lm_with_gpt2_details(gpt2):
    assert is_hf_folder(GPT2) and isinstance(gpt2, TransformerLM)
    c = gpt2.config
    assert (c.num_layers, c.num_heads, c.d_model, c.hidden_dim, c.max_length) == (2, 4, 32, 128, 64)
    assert c.tie_embeddings and c.position == "learned" and c.activation == "gelu" and c.layer_norm_epsilon == 1e-5
    assert gpt2.tokenizer.start_text == "<|endoftext|>" and "GPT-2 checkpoint" in gpt2.card


def test_token_ids_and_log_probs_equal_transformers(gpt2, expected):
    for case in expected["texts"]:
        assert gpt2.tokenizer.encode(case["text"]) == case["ids"]
        np.testing.assert_allclose(gpt2.log_probs(case["text"]), case["log_probs"], atol=1e-4, rtol=0)
        probs = gpt2.next_token_probs(case["text"])
        top = expected_top = case["next_token_logprobs_top5"]
        assert np.argsort(-probs)[:5].tolist() == top["ids"]
        np.testing.assert_allclose(np.log(probs[expected_top["ids"]]), top["log_probs"], atol=1e-4, rtol=0)


@pytest.mark.parametrize("use_cache", [True, False])
def test_greedy_generation_equals_transformers_with_and_without_the_cache(gpt2, expected, use_cache):
    greedy = expected["greedy"]
    prompt = "<|endoftext|>" + expected["texts"][greedy["text_index"]]["text"]
    assert gpt2.tokenizer.encode(prompt) == greedy["prompt_ids"]
    out = gpt2.generate(prompt, max_new_tokens=greedy["max_new_tokens"], use_cache=use_cache)
    assert out == gpt2.tokenizer.decode(greedy["ids"]) == greedy["text"]


def test_inspect_shows_every_layer_and_head(gpt2):
    inside = gpt2.inspect("Hello world")
    assert len(inside["blocks"]) == 2 and inside["blocks"][1]["attention_weights"].shape == (4, 6, 6)


def test_logit_lens_and_ablation_work_on_gpt2(gpt2):
    """GPT-2's read-out (final LayerNorm, tied output layer) serves the logit lens; its heads switch off."""
    text = "Hello there, general"
    lens = gpt2.logit_lens(text, top_k=3)
    assert len(lens) == gpt2.config.num_layers + 1 and len(lens[0]) == len(gpt2.tokenizer.encode(text))
    probs = gpt2.next_token_probs(text)
    order = np.argsort(-probs, kind="stable")[:3]
    np.testing.assert_allclose([p for _, p in lens[-1][-1]], probs[order], atol=1e-6)
    assert [tok for tok, _ in lens[-1][-1]] == [gpt2.tokenizer.token_text(int(i)) for i in order]
    ablated = gpt2.log_probs(text, ablate_heads=[(1, 2)])
    assert np.abs(ablated - gpt2.log_probs(text)).max() > 1e-6
    assert not gpt2.inspect(text, ablate_heads=[(1, 2)])["blocks"][1]["head_outputs"][2].any()


def test_vocab_and_merges_give_the_same_tokens_as_tokenizer_json(tmp_path, gpt2, expected):
    folder = copy_fixture(tmp_path, leave_out=("tokenizer.json",))
    lm = lmdemo.load_model(str(folder))
    for case in expected["texts"]:
        assert lm.tokenizer.encode(case["text"]) == case["ids"]
    assert lm.tokenizer.decode(expected["texts"][0]["ids"]) == expected["texts"][0]["text"]


def test_older_key_names_and_a_stored_lm_head_load_the_same(tmp_path, gpt2, expected):
    folder = copy_fixture(tmp_path)
    tensors = load_file(str(folder / "model.safetensors"))
    renamed = {k.removeprefix("transformer."): v for k, v in tensors.items()}
    renamed["lm_head.weight"] = tensors["transformer.wte.weight"]
    renamed["h.0.attn.bias"] = np.tril(np.ones((1, 1, 64, 64), np.float32))  # a causal-mask buffer: skipped
    save_file(renamed, str(folder / "model.safetensors"))
    text = expected["texts"][1]["text"]
    np.testing.assert_allclose(lmdemo.load_model(str(folder)).log_probs(text), gpt2.log_probs(text), atol=1e-6)


def test_an_untied_lm_head_is_read_transposed(tmp_path, gpt2, expected):
    folder = copy_fixture(tmp_path)
    tensors = load_file(str(folder / "model.safetensors"))
    tensors["lm_head.weight"] = tensors["transformer.wte.weight"].copy()
    save_file(tensors, str(folder / "model.safetensors"))
    edit_config(folder, tie_word_embeddings=False)
    lm = lmdemo.load_model(str(folder))
    assert not lm.config.tie_embeddings
    text = expected["texts"][0]["text"]
    np.testing.assert_allclose(lm.log_probs(text), gpt2.log_probs(text), atol=1e-5)


def test_saved_as_a_lmdemo_checkpoint_it_loads_again_encrypted_too(tmp_path, gpt2, expected):
    text = expected["texts"][2]["text"]
    gpt2.save(str(tmp_path / "plain"))
    gpt2.save(str(tmp_path / "locked"), encrypt=True, passphrase="correct horse")
    gpt2.encryption = None  # the shared fixture stays unencrypted
    assert not is_hf_folder(tmp_path / "plain")
    for folder, options in (("plain", {}), ("locked", {"passphrase": "correct horse"})):
        again = lmdemo.load_model(str(tmp_path / folder), **options)
        np.testing.assert_allclose(again.log_probs(text), expected["texts"][2]["log_probs"], atol=1e-4)


def test_fine_tuning_starts_from_the_checkpoint(tmp_path, gpt2):
    from lmdemo.training.lm_training import train_language_model
    from lmdemo.training.trainer import TrainConfig

    data = tmp_path / "my.txt"
    data.write_text("the cat sat on the mat. " * 200)
    before = float(-gpt2.log_probs("the cat sat on the mat.").mean())
    cfg = TrainConfig(steps=30, batch_size=4, eval_interval=30, eval_tokens=256, learning_rate=3e-3, warmup_steps=2)
    tuned = train_language_model(str(data), str(tmp_path / "out"), init_from=GPT2, train_config=cfg, progress=False,
                                 window=16)
    assert tuned.config.to_dict() == gpt2.config.to_dict()  # it reads 64 tokens, and trained on windows of 16
    assert json.loads((tmp_path / "out" / "metrics.json").read_text())["window"] == 16
    assert "batch 4 × 16 tokens" in (tmp_path / "out" / "README.md").read_text()
    assert float(-tuned.log_probs("the cat sat on the mat.").mean()) < before
    assert lmdemo.load_model(str(tmp_path / "out")).num_params() == gpt2.num_params()


def test_a_training_window_longer_than_the_context_is_refused(tmp_path):
    from lmdemo.training.lm_training import train_language_model

    data = tmp_path / "my.txt"
    data.write_text("the cat sat on the mat. " * 200)
    with pytest.raises(ValueError, match=r"window must be an int in \[1, 64\] \(the model's context\), received window=65"):
        train_language_model(str(data), str(tmp_path / "out"), init_from=GPT2, window=65, progress=False)


# -- what is refused, and how --------------------------------------------------------------------------------
def test_an_unsupported_model_type_is_named(tmp_path):
    folder = copy_fixture(tmp_path)
    edit_config(folder, model_type="llama")
    with pytest.raises(ValueError, match="model_type=.llama.; lmdemo reads gpt2, bert"):
        lmdemo.load_model(str(folder))


def test_pickled_weights_only_are_refused_by_name(tmp_path):
    folder = copy_fixture(tmp_path, leave_out=("model.safetensors",))
    (folder / "pytorch_model.bin").write_bytes(b"\x80\x04not read")
    with pytest.raises(ValueError, match=r"no model.safetensors .*pytorch_model.bin.*safetensors only"):
        lmdemo.load_model(str(folder))


def test_a_shape_mismatch_with_the_config_is_named(tmp_path):
    folder = copy_fixture(tmp_path)
    edit_config(folder, n_embd=48)
    with pytest.raises(ValueError, match=r"h.0.attn.c_attn has shape \(32, 96\), but config.json says n_embd=48: \(48, 144\)"):
        lmdemo.load_model(str(folder))
    folder2 = copy_fixture(tmp_path / "b")
    edit_config(folder2, n_positions=128)
    with pytest.raises(ValueError, match=r"position_embedding/embeddings.* shape \(64, 32\), the config gives \(128, 32\)"):
        lmdemo.load_model(str(folder2))


def test_a_missing_key_a_missing_tokenizer_and_a_corrupt_file_are_named(tmp_path):
    folder = copy_fixture(tmp_path / "key")
    tensors = load_file(str(folder / "model.safetensors"))
    del tensors["transformer.h.1.mlp.c_fc.bias"]
    save_file(tensors, str(folder / "model.safetensors"))
    with pytest.raises(ValueError, match=r"no 'h.1.mlp.c_fc.bias'"):
        lmdemo.load_model(str(folder))
    folder = copy_fixture(tmp_path / "tok", leave_out=("tokenizer.json", "merges.txt"))
    with pytest.raises(ValueError, match="needs tokenizer.json, or vocab.json and merges.txt"):
        lmdemo.load_model(str(folder))
    folder = copy_fixture(tmp_path / "corrupt")
    (folder / "model.safetensors").write_bytes(b"\x00" * 100)
    with pytest.raises(ValueError, match=r"cannot read weights file .*model.safetensors"):
        lmdemo.load_model(str(folder))
    folder = copy_fixture(tmp_path / "extra")
    tensors = load_file(str(folder / "model.safetensors"))
    tensors["transformer.h.0.crossattention.c_attn.weight"] = np.zeros((2, 2), np.float32)
    save_file(tensors, str(folder / "model.safetensors"))
    with pytest.raises(ValueError, match="tensors a GPT-2 does not have, e.g. 'h.0.crossattention.c_attn.weight'"):
        lmdemo.load_model(str(folder))


def test_unsupported_config_options_are_named(tmp_path):
    folder = copy_fixture(tmp_path)
    edit_config(folder, activation_function="swish")
    with pytest.raises(ValueError, match="activation_function='swish' is not supported"):
        lmdemo.load_model(str(folder))
    edit_config(folder, activation_function="gelu_new", scale_attn_by_inverse_layer_idx=True)
    with pytest.raises(ValueError, match="scale_attn_by_inverse_layer_idx=true is not supported"):
        lmdemo.load_model(str(folder))
