"""TransformerLM (lmdemo/lm/transformer_lm.py): its scores are the network's softmax; inspect shows every step."""

import jax
import numpy as np
import pytest

import lmdemo


def test_log_probs_equal_manual_softmax(toy_lm):
    text = "Speak, speak."
    lp = toy_lm.log_probs(text)
    ids = [toy_lm.tokenizer.encode("\n")[0]] + toy_lm.tokenizer.encode(text)
    logits = np.asarray(toy_lm.network(np.asarray([ids[:-1]], np.int32)).output)[0]
    expected = np.asarray(jax.nn.log_softmax(logits, -1))[np.arange(len(ids) - 1), ids[1:]]
    assert lp.shape == (len(text),)
    np.testing.assert_allclose(lp, expected, atol=1e-5)


def test_inspect_returns_every_step(toy_lm):
    out = toy_lm.inspect("Speak")
    assert out["tokens"] == list("Speak")
    assert out["embeddings"].shape == (5, 32)
    assert len(out["blocks"]) == 2
    assert out["blocks"][0]["attention_weights"].shape == (2, 5, 5)
    np.testing.assert_allclose(out["probs"].sum(-1), 1.0, atol=1e-5)


def test_inspect_with_start_token_agrees_with_next_token_probs(toy_lm):
    out = toy_lm.inspect("Speak", add_start=True)
    assert out["tokens"][0] == "\n" and len(out["tokens"]) == 6
    np.testing.assert_allclose(out["probs"][-1], toy_lm.next_token_probs("Speak"), rtol=1e-4, atol=1e-6)
    assert toy_lm.inspect("Speak")["tokens"] == list("Speak")


# -- logit lens -------------------------------------------------------------------------------------
def test_logit_lens_has_one_entry_per_layer_output_and_position(toy_lm):
    lens = toy_lm.logit_lens("Speak", top_k=3)
    assert len(lens) == toy_lm.config.num_layers + 1  # the embeddings, then each block
    assert all(len(layer) == 5 and all(len(at) == 3 for at in layer) for layer in lens)
    probs = [p for layer in lens for at in layer for _, p in at]
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert all(at[0][1] >= at[1][1] >= at[2][1] for layer in lens for at in layer)


def test_logit_lens_last_layer_is_next_token_probs(toy_lm):
    text = "Speak, spea"
    last = toy_lm.logit_lens(text, top_k=4)[-1][-1]
    probs = toy_lm.next_token_probs(text)
    order = np.argsort(-probs, kind="stable")[:4]
    assert [tok for tok, _ in last] == [toy_lm.tokenizer.id_to_token(int(i)) for i in order]
    np.testing.assert_allclose([p for _, p in last], probs[order], atol=1e-6)


def test_logit_lens_first_layer_reads_the_embeddings_alone(toy_lm):
    """Layer 0 sees no attention: each position's prediction depends only on its own token and position."""
    a = toy_lm.logit_lens("xab", top_k=2)[0]
    b = toy_lm.logit_lens("yab", top_k=2)[0]
    assert a[1:] == b[1:] and a[0] != b[0]


def test_logit_lens_refuses_bad_input(toy_lm):
    with pytest.raises(ValueError, match="top_k must be an int"):
        toy_lm.logit_lens("Speak", top_k=0)
    with pytest.raises(ValueError, match="text is empty"):
        toy_lm.logit_lens("")
    with pytest.raises(ValueError, match="the logit lens reads at most"):
        toy_lm.logit_lens("a" * (toy_lm.max_length + 1))


# -- switching heads off ----------------------------------------------------------------------------
def test_ablating_no_head_changes_nothing(toy_lm):
    text = "Speak, speak."
    np.testing.assert_array_equal(toy_lm.log_probs(text, ablate_heads=[]), toy_lm.log_probs(text))
    np.testing.assert_array_equal(toy_lm.next_token_probs(text, ablate_heads=[]), toy_lm.next_token_probs(text))


def test_ablating_a_head_equals_zeroing_its_weights_by_hand(toy_lm):
    """Head h of layer l switched off = that layer recomputed with the head's value weights zeroed
    (its output weights · V are then 0 before W_o)."""
    layer, head = 1, 0
    text = "Speak, speak."
    ablated_lp = toy_lm.log_probs(text, ablate_heads=[(layer, head)])
    ablated_next = toy_lm.next_token_probs(text, ablate_heads=[(layer, head)])
    ablated_inside = toy_lm.inspect(text, ablate_heads=[(layer, head)])

    by_hand = lmdemo.TransformerLM.create(toy_lm.tokenizer, toy_lm.config)
    by_hand.network.set_weights(toy_lm.network.get_weights())
    value = by_hand.network.backbone.blocks[layer].attention.value_dense
    width = toy_lm.config.d_model // toy_lm.config.num_heads
    cols = slice(head * width, (head + 1) * width)
    kernel, bias = value.kernel.numpy().copy(), value.bias.numpy().copy()
    kernel[:, cols], bias[cols] = 0.0, 0.0
    value.kernel.assign(kernel)
    value.bias.assign(bias)

    np.testing.assert_allclose(ablated_lp, by_hand.log_probs(text), atol=1e-5)
    np.testing.assert_allclose(ablated_next, by_hand.next_token_probs(text), atol=1e-6)
    np.testing.assert_allclose(ablated_inside["logits"], by_hand.inspect(text)["logits"], atol=1e-5)
    assert np.abs(ablated_lp - toy_lm.log_probs(text)).max() > 1e-4  # the head did something


def test_ablated_head_output_is_zero_in_inspect(toy_lm):
    out = toy_lm.inspect("Speak", ablate_heads=[(0, 1)])
    assert not out["blocks"][0]["head_outputs"][1].any()
    assert out["blocks"][0]["head_outputs"][0].any() and out["blocks"][1]["head_outputs"][1].any()


@pytest.mark.parametrize("heads, message", [
    ([(2, 0)], r"layers 0…1 and heads 0…1"),
    ([(0, -1)], r"layers 0…1 and heads 0…1"),
    ([0, 1], "list of \\(layer, head\\) pairs"),
    ("0,1", "list of \\(layer, head\\) pairs"),
    ([(0.5, 1)], "list of \\(layer, head\\) pairs"),
])
def test_ablate_heads_refuses_what_is_not_a_head(toy_lm, heads, message):
    with pytest.raises(ValueError, match=message):
        toy_lm.log_probs("Speak", ablate_heads=heads)


def test_head_effects_rank_every_head_by_its_change_in_bits(toy_lm):
    text = "Speak, speak. Speak again."
    base, effects = toy_lm.head_effects(text)
    c = toy_lm.config
    assert sorted((l, h) for l, h, _ in effects) == [(l, h) for l in range(c.num_layers) for h in range(c.num_heads)]
    assert [e[2] for e in effects] == sorted((e[2] for e in effects), reverse=True)
    layer, head, change = effects[0]
    bits = -toy_lm.log_probs(text, ablate_heads=[(layer, head)]).sum() / len(text) / np.log(2)
    assert base == pytest.approx(-toy_lm.log_probs(text).sum() / len(text) / np.log(2))
    assert change == pytest.approx(bits - base)


# -- the training-recipe options ---------------------------------------------------------------------
@pytest.mark.parametrize("options", [dict(position="rope"), dict(norm="rms"), dict(qk_norm=True),
                                     dict(activation="relu2"), dict(activation="swiglu"),
                                     dict(position="rope", norm="rms", qk_norm=True, activation="relu2")])
def test_each_recipe_option_scores_generates_and_saves_alike(toy_lm, tmp_path, options):
    import keras

    keras.utils.set_random_seed(0)
    lm = lmdemo.TransformerLM.create(toy_lm.tokenizer, lmdemo.TransformerConfig(
        max_length=16, num_layers=2, num_heads=2, d_model=32, **options))
    text = "Speak, speak. You are all"
    assert lm.generate("Speak", 30, sampler="top_k", seed=1) == lm.generate("Speak", 30, sampler="top_k", seed=1,
                                                                             use_cache=False)  # the window slides too
    lp = lm.log_probs(text)
    probs = lm.next_token_probs(text[:-1])
    assert lp[-1] == pytest.approx(np.log(probs[lm.tokenizer.encode(text[-1])[0]]), abs=1e-5)
    lm.save(tmp_path / "m")
    np.testing.assert_allclose(lmdemo.load_model(str(tmp_path / "m")).log_probs(text), lp, rtol=1e-6)


def test_recipe_options_are_checked():
    with pytest.raises(ValueError, match="norm must be 'layer' or 'rms', received norm='batch'"):
        lmdemo.TransformerConfig(norm="batch")
    with pytest.raises(ValueError, match="position must be 'learned', 'sinusoidal' or 'rope'"):
        lmdemo.TransformerConfig(position="alibi")
    with pytest.raises(ValueError, match="position='rope' needs an even head width"):
        lmdemo.TransformerConfig(d_model=30, num_heads=2, position="rope")


def test_decoding_reads_only_the_filled_part_of_the_cache_and_generates_the_same(toy_lm, monkeypatch):
    import keras

    from lmdemo.lm import language_model

    keras.utils.set_random_seed(0)
    lm = lmdemo.TransformerLM.create(toy_lm.tokenizer, lmdemo.TransformerConfig(
        max_length=64, num_layers=2, num_heads=2, d_model=32))
    assert [lm._cache_length(p) for p in (1, 8, 9, 16, 17, 32, 33, 64, 65)] == [8, 8, 16, 16, 32, 32, None, None, None]
    monkeypatch.setattr(language_model, "CHUNK_STEPS", 4)  # several chunks within each length
    seen = []
    monkeypatch.setattr(lm, "_cache_length", lambda p: seen.append(lmdemo.TransformerLM._cache_length(lm, p))
                        or seen[-1])
    for kwargs in (dict(sampler="greedy"), dict(sampler="top_k", top_k=5, seed=2)):
        cached = lm.generate("Sp", 90, **kwargs)  # past the window: it slides, and the lengths start again
        assert cached == lm.generate("Sp", 90, use_cache=False, **kwargs) and len(cached) == 90
    assert {8, 16, 32, None} <= set(seen)


@pytest.fixture(params=[False, True], ids=["own-output-layer", "tied-output-layer"])
def bf16_pair(request, toy_lm):
    """A model reading bfloat16 weights, and the same model in float32 with its weights rounded to bfloat16
    by hand: the two must score and generate alike."""
    import keras

    from tests.lmdemo.kernels.test_bf16_matmul import rounded

    config = lmdemo.TransformerConfig(max_length=32, num_layers=2, num_heads=2, d_model=32,
                                      tie_embeddings=request.param)
    keras.utils.set_random_seed(3)
    lm = lmdemo.TransformerLM.create(toy_lm.tokenizer, config)
    by_hand = lmdemo.TransformerLM.create(toy_lm.tokenizer, config)
    for mine, theirs in zip(lm.network.weights, by_hand.network.weights):
        value = np.asarray(mine.value)
        if mine is lm._table():  # read by the lookup too (in float32): rounded in both, the copy is exact
            mine.assign(rounded(value))
        theirs.assign(rounded(value) if mine.path.endswith("kernel") or mine is lm._table() else value)
    return lm.use_weights("bf16"), by_hand


def test_bf16_weights_score_as_the_weights_rounded_by_hand(bf16_pair):
    lm, by_hand = bf16_pair
    text = "Speak, speak. First Citizen: we are accounted poor citizens."  # longer than the window: it rolls
    np.testing.assert_allclose(lm.log_probs(text), by_hand.log_probs(text), atol=2e-5)
    np.testing.assert_allclose(lm.next_token_probs("Speak"), by_hand.next_token_probs("Speak"), atol=2e-6)
    assert not np.array_equal(lm.log_probs(text), lm.use_weights("f32").log_probs(text))  # the rounding shows
    lm.use_weights("bf16")


def test_bf16_weights_generate_with_every_sampler_as_the_rounded_weights(bf16_pair):
    lm, by_hand = bf16_pair
    for kwargs in (dict(sampler="greedy"), dict(sampler="top_k", top_k=5, seed=2), dict(sampler="beam", num_beams=3)):
        cached = lm.generate("Sp", 40, **kwargs)  # past the window of 32
        assert cached == by_hand.generate("Sp", 40, **kwargs)
        if kwargs["sampler"] != "beam":
            assert cached == lm.generate("Sp", 40, use_cache=False, **kwargs)


def test_the_bf16_copy_follows_the_weights(bf16_pair):
    lm, by_hand = bf16_pair
    before = lm.log_probs("Speak")
    kernel = next(v for v in lm.network.weights if v.path.endswith("kernel"))
    kernel.assign(np.asarray(kernel.value) * 2.0)  # training, say
    after = lm.log_probs("Speak")
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, lm.use_weights("bf16").log_probs("Speak"))


def test_use_weights_refuses_what_it_does_not_know(toy_lm):
    with pytest.raises(ValueError, match=r"weights must be one of \('f32', 'bf16'\), received weights='int8'"):
        toy_lm.use_weights("int8")
    assert toy_lm.weights == "f32"
