"""MultiHeadAttention (lmdemo/layers/attention.py): equal to Keras' layer, causal, cached."""

import keras
import numpy as np
import pytest

from lmdemo.layers import MultiHeadAttention
from lmdemo.layers.attention import empty_cache, rotate


def _copy_from_keras(ours, theirs, dim, heads, head_dim):
    """Keras' EinsumDense kernels are (dim, heads, head_dim); ours are Dense (dim, heads*head_dim)."""
    for name in ("query", "key", "value"):
        src = getattr(theirs, f"{name}_dense")
        dst = getattr(ours, f"{name}_dense")
        dst.kernel.assign(np.reshape(src.kernel.numpy(), (dim, heads * head_dim)))
        dst.bias.assign(np.reshape(src.bias.numpy(), (heads * head_dim,)))
    ours.output_dense.kernel.assign(np.reshape(theirs.output_dense.kernel.numpy(), (heads * head_dim, dim)))
    ours.output_dense.bias.assign(theirs.output_dense.bias.numpy())


@pytest.mark.parametrize("causal", [False, True])
def test_equals_keras_multi_head_attention(causal):
    batch, seq, dim, heads = 2, 5, 12, 3
    x = np.random.default_rng(0).normal(size=(batch, seq, dim)).astype("float32")
    theirs = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)
    ref, ref_w = theirs(x, x, use_causal_mask=causal, return_attention_scores=True)
    ours = MultiHeadAttention(heads, dim // heads)
    ours(x)  # build
    _copy_from_keras(ours, theirs, dim, heads, dim // heads)
    result = ours(x, use_causal_mask=causal, return_details=True)
    assert result.cache is None
    np.testing.assert_allclose(np.asarray(result.output), np.asarray(ref), atol=1e-5)
    np.testing.assert_allclose(np.asarray(result.details["weights"]), np.asarray(ref_w), atol=1e-6)


def test_equals_keras_with_padding_mask_and_cross_attention():
    rng = np.random.default_rng(1)
    q = rng.normal(size=(2, 3, 8)).astype("float32")
    kv = rng.normal(size=(2, 4, 8)).astype("float32")
    mask = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], dtype=bool)
    theirs = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    ref = theirs(q, kv, attention_mask=np.repeat(mask[:, None, :], 3, axis=1))
    ours = MultiHeadAttention(2, 4)
    ours(q, kv)
    _copy_from_keras(ours, theirs, 8, 2, 4)
    result = ours(q, kv, attention_mask=mask)
    assert result.cache is None and result.details is None  # nothing asked beyond the output
    np.testing.assert_allclose(np.asarray(result.output), np.asarray(ref), atol=1e-5)


def test_weights_are_softmax_rows_and_causal():
    x = np.random.default_rng(2).normal(size=(1, 4, 8)).astype("float32")
    w = np.asarray(MultiHeadAttention(2, 4)(x, use_causal_mask=True, return_details=True).details["weights"])
    np.testing.assert_allclose(w.sum(-1), 1.0, atol=1e-6)
    assert np.all(np.triu(w[0, 0], k=1) == 0.0)
    np.testing.assert_allclose(w[0, :, 0, 0], 1.0)  # the first token can only see itself


def test_cache_matches_full_causal_attention():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(1, 6, 8)).astype("float32")
    att = MultiHeadAttention(2, 4)
    full = np.asarray(att(x, use_causal_mask=True).output)
    cache = empty_cache(1, 2, 10, 4)  # (keys, values), each (batch · heads, max_len, head_dim)
    result = att(x[:, :4], cache=cache, cache_index=0)
    steps = [np.asarray(result.output)]
    for i in (4, 5):
        result = att(x[:, i:i + 1], cache=result.cache, cache_index=i)
        steps.append(np.asarray(result.output))
    np.testing.assert_allclose(np.concatenate(steps, axis=1), full, atol=1e-5)


def test_get_config_round_trip():
    att = MultiHeadAttention(4, 8, value_dim=6, use_bias=False, dropout=0.1, name="att")
    clone = MultiHeadAttention.from_config(att.get_config())
    assert clone.get_config() == att.get_config()


def test_rejects_bad_heads():
    with pytest.raises(ValueError, match="num_heads must be ≥ 1, received num_heads=0"):
        MultiHeadAttention(0, 4)


def test_rope_scores_depend_only_on_the_distance_between_positions():
    rng = np.random.default_rng(0)
    q, k = (rng.normal(size=(1, 1, 1, 8)).astype("float32") for _ in range(2))
    score = lambda m, n: float(np.sum(np.asarray(rotate(q, np.array([m]))) * np.asarray(rotate(k, np.array([n])))))  # noqa: E731
    assert score(3, 1) == pytest.approx(score(10, 8), abs=1e-5) == pytest.approx(score(2, 0), abs=1e-5)
    assert score(3, 1) != pytest.approx(score(3, 2), abs=1e-3)
    np.testing.assert_allclose(np.asarray(rotate(q, np.array([0]))), q, atol=1e-7)  # position 0 is not rotated
    # each pair (x_i, x_{i+d/2}) is rotated by p·θ_i: its length is kept
    r = np.asarray(rotate(q, np.array([5])))[0, 0, 0]
    np.testing.assert_allclose(r[:4] ** 2 + r[4:] ** 2, q[0, 0, 0, :4] ** 2 + q[0, 0, 0, 4:] ** 2, rtol=1e-5)


@pytest.mark.parametrize("options", [dict(rotary=True), dict(qk_norm=True), dict(rotary=True, qk_norm=True)])
def test_rope_and_qk_norm_give_the_same_output_cached_and_whole(options):
    batch, seq, dim, heads = 1, 6, 8, 2
    x = np.random.default_rng(1).normal(size=(batch, seq, dim)).astype("float32")
    mha = MultiHeadAttention(heads, dim // heads, **options)
    whole = mha(x, use_causal_mask=True, return_details=True)
    if options.get("qk_norm"):  # every head's query and key has RMS 1
        for name in ("query", "key"):
            np.testing.assert_allclose(np.sqrt(np.mean(np.square(whole.details[name]), -1)), 1.0, atol=1e-3)
    cache = empty_cache(batch, heads, seq, dim // heads)
    outs = []
    for i in range(seq):
        step = mha(x[:, i:i + 1], cache=cache, cache_index=i)
        cache = step.cache
        outs.append(np.asarray(step.output))
    np.testing.assert_allclose(np.concatenate(outs, 1), np.asarray(whole.output), atol=1e-5)


def test_the_cache_holds_each_rows_heads_together_and_details_show_it_per_head():
    rng = np.random.default_rng(5)
    batch, heads, head_dim = 2, 3, 4
    x = rng.normal(size=(batch, 5, heads * head_dim)).astype("float32")
    att = MultiHeadAttention(heads, head_dim)
    whole = att(x, use_causal_mask=True, return_details=True)
    keys, values = empty_cache(batch, heads, 8, head_dim)
    assert keys.shape == values.shape == (batch * heads, 8, head_dim)
    step = att(x, cache=(keys, values), cache_index=0, return_details=True)
    k = np.asarray(step.cache[0]).reshape(batch, heads, 8, head_dim)
    np.testing.assert_allclose(k[:, :, :5], np.asarray(whole.details["key"]), atol=1e-6)
    assert np.all(k[:, :, 5:] == 0.0)  # nothing written past the five positions read
    np.testing.assert_allclose(np.asarray(step.details["key"]), k, atol=0)
    np.testing.assert_allclose(np.asarray(step.output), np.asarray(whole.output), atol=1e-5)
