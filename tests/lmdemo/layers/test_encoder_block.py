"""EncoderBlock (lmdemo/layers/encoder_block.py): bidirectional self-attention that ignores padding."""

import keras
import numpy as np

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
