"""EncoderBlock (lmdemo/layers/encoder_block.py): bidirectional self-attention that ignores padding."""

import keras
import numpy as np
import pytest

from lmdemo.layers import EncoderBlock


def test_encoder_block_is_bidirectional_and_ignores_padding():
    keras.utils.set_random_seed(0)
    block = EncoderBlock(2, 16)
    block.build((None, None, 8))
    x = np.random.default_rng(0).normal(size=(1, 5, 8)).astype("float32")
    mask = np.array([[True, True, True, False, False]])
    out = np.asarray(block(x, padding_mask=mask).output)
    changed = x.copy()
    changed[0, 2] = -x[0, 2]  # a later real token changes the first token's output (no causal mask)
    assert not np.allclose(np.asarray(block(changed, padding_mask=mask).output)[0, 0], out[0, 0])
    padded = x.copy()
    padded[0, 3:] = 9.0  # padding changes nothing at the real tokens
    np.testing.assert_allclose(np.asarray(block(padded, padding_mask=mask).output)[0, :3], out[0, :3], atol=1e-6)


def _layer_norm(x, norm):
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + norm.epsilon) * norm.gamma.numpy() + norm.beta.numpy()


@pytest.mark.parametrize("normalize_first", [True, False])
def test_pre_and_post_layer_norm_blocks_are_their_equations(normalize_first):
    keras.utils.set_random_seed(1)
    block = EncoderBlock(2, 16, activation="gelu_exact", layer_norm_epsilon=1e-12, normalize_first=normalize_first)
    block.build((None, None, 8))
    for norm in (block.attention_norm, block.feed_forward_norm):  # not the identity LayerNorm of a new layer
        norm.set_weights([np.linspace(0.5, 1.5, 8, dtype="float32"), np.linspace(-0.2, 0.2, 8, dtype="float32")])
    x = np.random.default_rng(1).normal(size=(1, 4, 8)).astype("float32")
    mask = np.array([[True, True, True, False]])
    attn = lambda h: np.asarray(block.attention(h, attention_mask=mask).output)  # noqa: E731
    ffn = lambda h: np.asarray(block.feed_forward(h))  # noqa: E731
    if normalize_first:  # x + attn(LN₁(x)), then x + ffn(LN₂(x))
        h = x + attn(_layer_norm(x, block.attention_norm))
        want = h + ffn(_layer_norm(h, block.feed_forward_norm))
    else:  # LN₁(x + attn(x)), then LN₂(x + ffn(x))
        h = _layer_norm(x + attn(x), block.attention_norm)
        want = _layer_norm(h + ffn(h), block.feed_forward_norm)
    np.testing.assert_allclose(np.asarray(block(x, padding_mask=mask).output), want, atol=2e-5)
    clone = EncoderBlock.from_config(block.get_config())
    assert clone.normalize_first is normalize_first and clone.activation == "gelu_exact"


def test_normalize_first_must_be_a_bool():
    with pytest.raises(ValueError, match="normalize_first must be a bool, received normalize_first='post'"):
        EncoderBlock(2, 16, normalize_first="post")
