"""LanguageModel (lmdemo/lm/language_model.py): scoring and generation, on the toy Transformer and then
alike on every model kind (one interface: the same calls must work and agree for each of them)."""

import numpy as np
import pytest

import lmdemo
from lmdemo.lm.language_model import _decode_chunk, _decode_stream, window_start
from lmdemo.storage.encryption import new_key
from tests.lmdemo.lm.conftest import KINDS

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
    tok = toy_lm.tokenizer  # the 33 characters of TOY_TEXT (ids 0-32), then <unk>
    assert (tok.unk_id, tok.vocab_size, tok.token_to_id("<unk>"), tok.id_to_token(33)) == (33, 34, 33, "<unk>")
    assert tok.encode("字字") == [33, 33]
    assert tok.encode("Speak字🙂") == tok.encode("Speak") + [33, 33] == [10, 24, 15, 12, 19, 33, 33]
    assert [tok.id_to_token(i) for i in tok.encode("字字")] == ["<unk>", "<unk>"]
    assert tok.decode(tok.encode("字字")) == "\ufffd\ufffd"  # <unk> decodes to U+FFFD, the replacement character
    assert toy_lm.inspect("字字")["tokens"] == ["<unk>", "<unk>"]
    # every unseen character is the same <unk> id, so the continuation is the same (the untrained toy model's)
    continuation = toy_lm.generate("字字", 3)
    assert continuation == toy_lm.generate("🙂é", 3) == toy_lm.generate("\ufffd\ufffd", 3) == "cmA"


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


def test_one_compilation_serves_every_step_and_later_call(toy_lm):
    toy_lm.generate("First", 3, sampler="temperature", temperature=0.5, seed=0)
    compiled = _decode_chunk._cache_size()
    for prompt, n, temperature in [("Speak", 50, 1.5), ("All:", 7, 0.9), ("x" * 40, 33, 2.0)]:
        toy_lm.generate(prompt, n, sampler="temperature", temperature=temperature, seed=1)
    assert _decode_chunk._cache_size() == compiled  # new lengths, prompts and temperatures: no recompilation


def test_stream_holds_back_split_utf8_until_whole():
    tok = lmdemo.BPETokenizer.train(["ab"] * 3, vocab_size=257)  # bytes only: one CJK character = 3 tokens
    ids = tok.encode("明月")
    assert len(ids) == 6
    assert list(_decode_stream(tok, ([i] for i in ids), [])) == ["明", "月"]


# -- every model kind alike --------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_log_probs_cover_every_token_and_match_next_token_probs(models, kind):
    lm = models[kind]
    assert lm.kind == kind
    text = "First Citizen:\nSpeak, speak."
    lp = lm.log_probs(text)
    assert lp.shape == (len(text),)  # the start token "\n" conditions the first character
    assert np.all(np.isfinite(lp)) and np.all(lp <= 0)
    ids = lm.tokenizer.encode(text)
    for i in (0, 5, len(text) - 1):
        p = lm.next_token_probs(text[:i])
        assert p.sum() == pytest.approx(1.0, abs=1e-5)
        assert lp[i] == pytest.approx(np.log(p[ids[i]]), abs=2e-4)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sampler", ["greedy", "temperature", "top_k", "top_p", "beam"])
def test_generate_is_reproducible_and_cache_agnostic(models, kind, sampler):
    lm = models[kind]
    kwargs = dict(max_new_tokens=24, sampler=sampler, seed=7, num_beams=3)
    text = lm.generate("All:\n", **kwargs)
    assert isinstance(text, str) and len(text) == 24
    assert lm.generate("All:\n", **kwargs) == text
    assert lm.generate("All:\n", use_cache=False, **kwargs) == text


@pytest.mark.parametrize("kind", KINDS)
def test_stream_joins_to_generate_and_stop_strings_work(models, kind):
    lm = models[kind]
    pieces = list(lm.stream("First", max_new_tokens=30, sampler="top_k", seed=1))
    assert "".join(pieces) == lm.generate("First", max_new_tokens=30, sampler="top_k", seed=1)
    full = lm.generate("First", max_new_tokens=30, sampler="greedy")
    stop = full[10:12]
    assert lm.generate("First", max_new_tokens=30, sampler="greedy", stop=stop) == full[:full.find(stop)]


@pytest.mark.parametrize("kind", KINDS)
def test_beam_with_one_beam_is_greedy(models, kind):
    lm = models[kind]
    assert lm.generate("Speak", 20, sampler="beam", num_beams=1) == lm.generate("Speak", 20, sampler="greedy")


@pytest.mark.parametrize("kind", KINDS)
def test_bad_arguments_are_refused_alike(models, kind):
    lm = models[kind]
    with pytest.raises(ValueError, match="top_p"):
        lm.generate("a", 5, sampler="top_p", top_p=0)
    with pytest.raises(ValueError, match="text is empty"):
        lm.log_probs("")
    with pytest.raises(ValueError, match="max_new_tokens"):
        lm.generate("a", 0)


@pytest.mark.parametrize("kind", KINDS)
def test_checkpoint_round_trip_plain_and_encrypted(models, kind, tmp_path):
    lm = models[kind]
    text = "You are all resolved"
    lm.save(tmp_path / "plain")
    loaded = lmdemo.load_model(str(tmp_path / "plain"))
    assert type(loaded) is type(lm)
    np.testing.assert_allclose(loaded.log_probs(text), lm.log_probs(text), rtol=1e-6)
    key = new_key()
    encrypted = tmp_path / "secret"
    lm.save(encrypted, key=key)
    lm.encryption = None
    with pytest.raises(ValueError, match="encrypted with a key"):
        lmdemo.load_model(str(encrypted))
    with pytest.raises(ValueError):
        lmdemo.load_model(str(encrypted), key=new_key())
    np.testing.assert_allclose(lmdemo.load_model(str(encrypted), key=key).log_probs(text), lm.log_probs(text),
                               rtol=1e-6)


# -- watching the sampler ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_sampling_probs_cut_and_renormalize_the_models_distribution(models, kind):
    lm = models[kind]
    r = lm.sampling_probs("First", sampler="top_k", top_k=3, temperature=0.7)
    np.testing.assert_allclose(r["model"], lm.next_token_probs("First"), atol=1e-6)
    kept = r["sampler"] > 0
    assert kept.sum() == 3 and set(np.flatnonzero(kept)) == set(np.argsort(-r["model"])[:3])
    assert r["kept_mass"] == pytest.approx(r["tempered"][kept].sum())
    np.testing.assert_allclose(r["sampler"][kept], r["tempered"][kept] / r["kept_mass"], rtol=1e-5)
    greedy = lm.sampling_probs("First")
    assert greedy["sampler"].max() == 1.0 and greedy["sampler"].argmax() == greedy["model"].argmax()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sampler", ["temperature", "top_k", "top_p"])
def test_sampling_steps_pick_the_tokens_generate_writes(models, kind, sampler):
    lm = models[kind]
    kwargs = dict(max_new_tokens=12, sampler=sampler, temperature=0.9, top_k=5, top_p=0.8, seed=3)
    steps = lm.sampling_steps("All:\n", top_n=4, **kwargs)
    assert "".join(s["token"] for s in steps) == lm.generate("All:\n", use_cache=False, **kwargs)
    for s in steps:
        ids = [c["id"] for c in s["candidates"]]
        assert s["id"] in ids and len(ids) in (4, 5)
        picked = s["candidates"][ids.index(s["id"])]
        assert picked["sampler"] > 0  # the sampler never picks a token it cut off
        models_order = [c["model"] for c in s["candidates"][:4]]
        assert models_order == sorted(models_order, reverse=True)
        assert 0 < s["kept_mass"] <= 1 + 1e-9


def test_sampling_steps_of_beam_search_end_with_the_best_beam(models):
    lm = models["transformer"]
    steps = lm.sampling_steps("All:\n", max_new_tokens=6, sampler="beam", num_beams=3)
    assert len(steps) == 6 and all(len(s["beams"]) == 3 for s in steps)
    assert steps[-1]["beams"][0]["text"] == lm.generate("All:\n", 6, sampler="beam", num_beams=3)
    for s in steps:
        assert [b["score"] for b in s["beams"]] == sorted((b["score"] for b in s["beams"]), reverse=True)


def test_sampling_steps_refuse_bad_arguments(models):
    lm = models["transformer"]
    with pytest.raises(ValueError, match=r"max_new_tokens must be an int in \[1, 200\]"):
        lm.sampling_steps("a", max_new_tokens=201)
    with pytest.raises(ValueError, match="top_n must be an int"):
        lm.sampling_steps("a", top_n=0)
    with pytest.raises(ValueError, match="top_p"):
        lm.sampling_steps("a", sampler="top_p", top_p=0)


@pytest.mark.parametrize("kind", ["lstm", "rnn", "ngram"])
def test_models_without_heads_refuse_ablation_and_ignore_an_empty_list(models, kind):
    lm = models[kind]
    with pytest.raises(ValueError, match=f"a {kind} model has none"):
        lm.log_probs("Speak", ablate_heads=[(0, 0)])
    with pytest.raises(ValueError, match=f"a {kind} model has none"):
        lm.next_token_probs("Speak", ablate_heads=[(0, 0)])
    np.testing.assert_array_equal(lm.log_probs("Speak", ablate_heads=[]), lm.log_probs("Speak"))


def test_allowed_tokens_refusals(toy_lm):
    vocab = toy_lm.tokenizer.vocab_size
    with pytest.raises(ValueError, match="allowed_tokens must be a function"):
        toy_lm.generate("a", allowed_tokens=[1, 2])
    with pytest.raises(ValueError, match="not with beam search"):
        toy_lm.generate("a", sampler="beam", allowed_tokens=lambda ids: None)
    with pytest.raises(ValueError, match="allowed no token at step 0"):
        toy_lm.generate("a", allowed_tokens=lambda ids: np.zeros(vocab, bool))
    with pytest.raises(ValueError, match=r"mask of shape \(3,\)"):
        toy_lm.generate("a", allowed_tokens=lambda ids: np.ones(3, bool))


def test_allowed_tokens_none_changes_nothing(toy_lm):
    free = toy_lm.generate("First", max_new_tokens=12, sampler="top_k", seed=3)
    assert toy_lm.generate("First", max_new_tokens=12, sampler="top_k", seed=3, allowed_tokens=lambda ids: None) == free


@pytest.mark.parametrize("kind", KINDS)
def test_allowed_tokens_are_the_only_tokens_drawn_by_every_kind(models, kind):
    lm = models[kind]
    vowels = [lm.tokenizer.encode(c)[0] for c in "aeiou"]
    mask = np.zeros(lm.tokenizer.vocab_size, bool)
    mask[vowels] = True
    seen = []

    def only_vowels(new_ids):
        seen.append(list(new_ids))
        return mask

    text = lm.generate("First", max_new_tokens=20, sampler="temperature", seed=5, allowed_tokens=only_vowels)
    assert len(text) == 20 and set(text) <= set("aeiou")
    assert seen == [lm.tokenizer.encode(text[:k]) for k in range(20)]  # called with the new ids so far
    assert lm.generate("First", max_new_tokens=20, sampler="temperature", seed=5, allowed_tokens=only_vowels,
                       use_cache=False) == text
