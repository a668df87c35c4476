"""One interface, every model kind: the same calls must work and agree for each of them."""

import keras
import numpy as np
import pytest

import lmdemo
from lmdemo.lm.ngram_lm import NGramLM
from lmdemo.lm.recurrent_lm import LSTMLM, RNNLM
from tests.conftest import TOY_TEXT

KINDS = ["transformer", "lstm", "rnn", "ngram"]


@pytest.fixture(scope="module")
def models(toy_tokenizer, toy_lm):
    keras.utils.set_random_seed(0)
    return {
        "transformer": toy_lm,
        "lstm": LSTMLM.create(toy_tokenizer, num_layers=2, hidden_dim=24),
        "rnn": RNNLM.create(toy_tokenizer, num_layers=1, hidden_dim=24),
        "ngram": NGramLM.train(toy_tokenizer, TOY_TEXT, order=4),
    }


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
    from lmdemo.storage.encryption import new_key

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


@pytest.mark.parametrize("kind", ["lstm", "rnn"])
def test_recurrent_scoring_carries_state_across_chunks(models, kind):
    """Scoring in 256-token chunks equals one pass over the whole text."""
    import jax

    lm = models[kind]
    text = TOY_TEXT[:700]
    prefix, ids = lm.encode_for_scoring(text)
    seq = np.asarray(prefix + ids)
    logits = np.asarray(lm.network(seq[None, :-1]).output)[0]  # one pass over the whole text
    expected = np.asarray(jax.nn.log_softmax(logits, -1))[np.arange(len(seq) - 1), seq[1:]]
    np.testing.assert_allclose(lm.log_probs(text), expected, atol=1e-5)
