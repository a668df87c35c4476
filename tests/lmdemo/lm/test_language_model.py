import numpy as np
import pytest

from lmdemo.data.batching import rolling_windows
from lmdemo.lm.language_model import window_start

SAMPLERS = [dict(sampler="greedy"), dict(sampler="temperature", temperature=1.5),
            dict(sampler="top_k", top_k=5), dict(sampler="top_p", top_p=0.8)]


@pytest.mark.parametrize("kwargs", SAMPLERS, ids=lambda k: k["sampler"])
def test_cached_equals_uncached_across_window_slides(toy_lm, kwargs):
    # context 16: 40 new tokens slide the window several times
    cached = toy_lm.generate("First", max_new_tokens=40, seed=3, use_cache=True, **kwargs)
    uncached = toy_lm.generate("First", max_new_tokens=40, seed=3, use_cache=False, **kwargs)
    assert cached == uncached
    assert len(cached) == 40


def test_same_seed_same_text_different_seed_differs(toy_lm):
    a = toy_lm.generate("Speak", 30, sampler="temperature", temperature=2.0, seed=1)
    b = toy_lm.generate("Speak", 30, sampler="temperature", temperature=2.0, seed=1)
    c = toy_lm.generate("Speak", 30, sampler="temperature", temperature=2.0, seed=2)
    assert a == b
    assert a != c


def test_stream_pieces_join_to_generate(toy_lm):
    pieces = list(toy_lm.stream("All:", 37, sampler="top_k", top_k=4, seed=5))
    assert len(pieces) > 1
    assert "".join(pieces) == toy_lm.generate("All:", 37, sampler="top_k", top_k=4, seed=5)


def test_beam_with_one_beam_equals_greedy(toy_lm):
    assert toy_lm.generate("You", 20, sampler="beam", num_beams=1) == toy_lm.generate("You", 20)


def test_beam_search_finds_at_least_greedy_probability(toy_lm):
    greedy = toy_lm.generate("You", 6)
    beam = toy_lm.generate("You", 6, sampler="beam", num_beams=4)
    score = lambda cont: toy_lm.log_probs("You" + cont)[-6:].sum()  # noqa: E731
    assert score(beam) >= score(greedy) - 1e-4


def test_stop_string_ends_generation_before_it(toy_lm):
    full = toy_lm.generate("First", 40, sampler="temperature", seed=0)
    stop = full[10:12]
    cut = toy_lm.generate("First", 40, sampler="temperature", seed=0, stop=stop)
    assert cut == full[: full.index(stop)]
    assert "".join(toy_lm.stream("First", 40, sampler="temperature", seed=0, stop=[stop, "\x00"])) == cut


def test_long_prompt_slides_and_empty_prompt_uses_start_text(toy_lm):
    assert len(toy_lm.generate("a" * 100_000, 5)) == 5
    assert toy_lm.generate("", 5) == toy_lm.generate("\n", 5)


def test_unseen_prompt_characters_become_unk(toy_lm):
    assert len(toy_lm.generate("字字", 3)) == 3


@pytest.mark.parametrize("kwargs,message", [
    (dict(max_new_tokens=0), r"max_new_tokens must be an int in \[1, 20000\], received max_new_tokens=0"),
    (dict(max_new_tokens=-5), "received max_new_tokens=-5"),
    (dict(max_new_tokens=10**9), "received max_new_tokens=1000000000"),
    (dict(max_new_tokens=2.0), "received max_new_tokens=2.0"),
    (dict(sampler="top_p", top_p=0), "top_p must be in"),
    (dict(sampler="temperature", temperature=float("nan")), "temperature=nan"),
    (dict(seed=-1), "seed must be a non-negative int or None, received seed=-1"),
    (dict(stop=[""]), "stop strings must not be empty"),
    (dict(stop=3), "stop must be a string or a list of strings, received stop=3"),
])
def test_generate_rejects_bad_arguments(toy_lm, kwargs, message):
    args = dict(prompt="First", max_new_tokens=5)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        toy_lm.generate(**args)


def test_generate_rejects_huge_or_non_string_prompt(toy_lm):
    with pytest.raises(ValueError, match="prompt has 1,000,001 characters; the limit is 1,000,000"):
        toy_lm.generate("a" * 1_000_001, 1)
    with pytest.raises(TypeError, match="prompt must be a str, received bytes"):
        toy_lm.generate(b"abc", 1)


def test_window_start_policy():
    assert window_start(16, 16) == 0
    assert window_start(17, 16) == 9
    assert window_start(100, None) == 0
    assert window_start(20, 16, start=9) == 9  # the window [9, 20) is not full yet
    assert window_start(26, 16, start=9) == 18


def test_rolling_windows_predict_every_token_once():
    seq = np.arange(1, 12)
    inputs, targets, positions = rolling_windows(seq, 4, stride=2)
    predicted = np.concatenate([targets[w, p] for w, p in enumerate(positions)])
    assert predicted.tolist() == list(range(2, 12))
    assert inputs[0].tolist() == [1, 2, 3, 4] and targets[0].tolist() == [2, 3, 4, 5]
    assert inputs[1].tolist() == [3, 4, 5, 6] and positions[1].tolist() == [2, 3]  # 3 tokens of context


def test_log_probs_equal_manual_softmax(toy_lm):
    import jax

    text = "Speak, speak."
    lp = toy_lm.log_probs(text)
    ids = [toy_lm.tokenizer.encode("\n")[0]] + toy_lm.tokenizer.encode(text)
    logits = np.asarray(toy_lm._forward_jit(toy_lm._params(), np.asarray([ids[:-1]], np.int32)))[0]
    expected = np.asarray(jax.nn.log_softmax(logits, -1))[np.arange(len(ids) - 1), ids[1:]]
    assert lp.shape == (len(text),)
    np.testing.assert_allclose(lp, expected, atol=1e-5)


def test_log_probs_strided_gives_each_token_more_context(toy_lm):
    text = "First Citizen:\nBefore we proceed any further"
    disjoint = toy_lm.log_probs(text)
    strided = toy_lm.log_probs(text, stride=4)
    assert disjoint.shape == strided.shape == (len(text),)
    np.testing.assert_allclose(disjoint[:16], strided[:16], atol=1e-5)  # the first window is the same
    with pytest.raises(ValueError, match=r"stride must be an int in \[1, max_length=16\], received stride=0"):
        toy_lm.log_probs(text, stride=0)


def test_log_probs_rejects_empty_text(toy_lm):
    with pytest.raises(ValueError, match="text is empty"):
        toy_lm.log_probs("")


def test_next_token_probs_sum_to_one(toy_lm):
    probs = toy_lm.next_token_probs("First Cit")
    assert probs.shape == (toy_lm.tokenizer.vocab_size,)
    assert abs(probs.sum() - 1.0) < 1e-5


def test_inspect_returns_every_step(toy_lm):
    out = toy_lm.inspect("Speak")
    assert out["tokens"] == list("Speak")
    assert out["embeddings"].shape == (5, 32)
    assert len(out["blocks"]) == 2
    assert out["blocks"][0]["attention_weights"].shape == (2, 5, 5)
    np.testing.assert_allclose(out["probs"].sum(-1), 1.0, atol=1e-5)


def test_one_compilation_serves_every_step_and_later_call(toy_lm):
    from lmdemo.lm.language_model import _decode_chunk

    toy_lm.generate("First", 3, sampler="temperature", temperature=0.5, seed=0)
    compiled = _decode_chunk._cache_size()
    for prompt, n, temperature in [("Speak", 50, 1.5), ("All:", 7, 0.9), ("x" * 40, 33, 2.0)]:
        toy_lm.generate(prompt, n, sampler="temperature", temperature=temperature, seed=1)
    assert _decode_chunk._cache_size() == compiled  # new lengths, prompts and temperatures: no recompilation


def test_inspect_with_start_token_agrees_with_next_token_probs(toy_lm):
    out = toy_lm.inspect("Speak", add_start=True)
    assert out["tokens"][0] == "\n" and len(out["tokens"]) == 6
    np.testing.assert_allclose(out["probs"][-1], toy_lm.next_token_probs("Speak"), rtol=1e-4, atol=1e-6)
    assert toy_lm.inspect("Speak")["tokens"] == list("Speak")
