"""The samplers (lmdemo/generation/samplers.py): which tokens each keeps, and how it picks one."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lmdemo.generation import (BeamSampler, GreedySampler, TemperatureSampler, TopKSampler, TopPSampler,
                               make_sampler)

LOGITS = jnp.log(jnp.array([[0.1, 0.5, 0.15, 0.25]]))  # probabilities 0.1, 0.5, 0.15, 0.25
KEY = jax.random.key(0)


def kept(sampler):
    return (np.asarray(sampler.filter_logits(LOGITS)) > -1e8).astype(int).tolist()


def test_greedy_picks_argmax():
    assert GreedySampler().get_next_token(LOGITS, KEY).tolist() == [1]


@pytest.mark.parametrize("k,expected", [(1, [[0, 1, 0, 0]]), (2, [[0, 1, 0, 1]]), (3, [[0, 1, 1, 1]]),
                                        (10, [[1, 1, 1, 1]])])
def test_top_k_keeps_k_most_probable(k, expected):
    assert kept(TopKSampler(k)) == expected


@pytest.mark.parametrize("p,expected", [(0.4, [[0, 1, 0, 0]]), (0.5, [[0, 1, 0, 0]]), (0.6, [[0, 1, 0, 1]]),
                                        (0.75, [[0, 1, 0, 1]]), (0.8, [[0, 1, 1, 1]]), (1.0, [[1, 1, 1, 1]])])
def test_top_p_keeps_smallest_nucleus(p, expected):
    assert kept(TopPSampler(p)) == expected


def test_top_k_one_and_low_temperature_equal_greedy():
    logits = jax.random.normal(jax.random.key(1), (5, 30))
    greedy = GreedySampler().get_next_token(logits, KEY).tolist()
    assert TopKSampler(1).get_next_token(logits, KEY).tolist() == greedy
    assert TemperatureSampler(1e-4).get_next_token(logits, KEY).tolist() == greedy


def test_temperature_sampling_frequencies():
    keys = jax.random.split(jax.random.key(2), 4000)
    draws = jax.vmap(lambda k: TemperatureSampler(1.0).get_next_token(LOGITS, k)[0])(keys)
    freq = np.bincount(np.asarray(draws), minlength=4) / 4000
    np.testing.assert_allclose(freq, [0.1, 0.5, 0.15, 0.25], atol=0.03)


def test_temperature_scales_logits():
    np.testing.assert_allclose(np.asarray(TemperatureSampler(2.0).filter_logits(LOGITS)), np.asarray(LOGITS) / 2)


def test_same_key_same_token():
    s = TopPSampler(0.9, temperature=1.3)
    assert s.get_next_token(LOGITS, KEY).tolist() == s.get_next_token(LOGITS, KEY).tolist()


def test_beam_step_first_step_expands_only_beam_zero():
    logits = jnp.tile(LOGITS, (3, 1))
    parent, token, scores = BeamSampler(3).beam_step(logits, jnp.zeros(3), True)
    assert parent.tolist() == [0, 0, 0]
    assert token.tolist() == [1, 3, 2]
    np.testing.assert_allclose(np.asarray(scores), np.log([0.5, 0.25, 0.15]), rtol=1e-6)


def test_beam_step_picks_best_totals_across_beams():
    logits = jnp.log(jnp.array([[0.9, 0.1], [0.6, 0.4]]))
    parent, token, scores = BeamSampler(2).beam_step(logits, jnp.log(jnp.array([0.5, 0.5])), False)
    assert list(zip(parent.tolist(), token.tolist())) == [(0, 0), (1, 0)]
    np.testing.assert_allclose(np.asarray(scores), np.log([0.45, 0.3]), rtol=1e-6)


def test_samplers_are_pytrees_with_traced_numbers():
    leaves, treedef = jax.tree.flatten(TopKSampler(5, temperature=0.7))
    assert leaves == [0.7, 5]
    assert isinstance(jax.tree.unflatten(treedef, leaves), TopKSampler)


@pytest.mark.parametrize("kwargs,message", [
    (dict(sampler="nucleus"), "sampler must be one of"),
    (dict(sampler="top_p", top_p=0), r"top_p must be in \(0, 1\], received top_p=0"),
    (dict(sampler="top_p", top_p=1.5), r"top_p must be in \(0, 1\], received top_p=1.5"),
    (dict(sampler="top_p", top_p=float("nan")), "received top_p=nan"),
    (dict(sampler="top_k", top_k=0), "top_k must be an int ≥ 1, received top_k=0"),
    (dict(sampler="top_k", top_k=2.5), "received top_k=2.5"),
    (dict(sampler="temperature", temperature=0), "temperature must be a finite number > 0, received temperature=0"),
    (dict(sampler="temperature", temperature=float("nan")), "received temperature=nan"),
    (dict(sampler="temperature", temperature=-1.0), "received temperature=-1.0"),
    (dict(sampler="beam", num_beams=0), r"num_beams must be an int in \[1, 16\], received num_beams=0"),
    (dict(sampler="greedy", top_p=0), r"top_p must be in \(0, 1\], received top_p=0"),
    (dict(sampler="greedy", temperature=0.0), "received temperature=0.0"),
])
def test_make_sampler_rejects_bad_values(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_sampler(**kwargs)


@pytest.mark.parametrize("sampler, expected", [
    (GreedySampler(), [0.0, 1.0, 0.0, 0.0]),
    (TemperatureSampler(1.0), [0.1, 0.5, 0.15, 0.25]),
    (TopKSampler(2), [0.0, 0.5 / 0.75, 0.0, 0.25 / 0.75]),
    (TopPSampler(0.8), [0.0, 0.5 / 0.9, 0.15 / 0.9, 0.25 / 0.9]),
    (BeamSampler(2), [0.1, 0.5, 0.15, 0.25]),
])
def test_probabilities_are_what_each_sampler_draws_from(sampler, expected):
    np.testing.assert_allclose(np.asarray(sampler.probabilities(LOGITS))[0], expected, atol=1e-6)


def test_probabilities_after_temperature_then_cut():
    tempered = np.array([0.1, 0.5, 0.15, 0.25]) ** 2
    tempered /= tempered.sum()
    expected = np.where([0, 1, 0, 1], tempered, 0.0)
    np.testing.assert_allclose(np.asarray(TopKSampler(2, temperature=0.5).probabilities(LOGITS))[0],
                               expected / expected.sum(), atol=1e-6)
