"""TokenAndPositionEmbedding and sinusoidal_table (lmdemo/layers/position_embedding.py)."""

import numpy as np
import pytest

from lmdemo.layers import TokenAndPositionEmbedding, sinusoidal_table


def test_sinusoidal_table_values():
    table = sinusoidal_table(3, 4)
    np.testing.assert_allclose(table[0], [0, 1, 0, 1])
    np.testing.assert_allclose(table[1], [np.sin(1), np.cos(1), np.sin(1e-2), np.cos(1e-2)], rtol=1e-6)


@pytest.mark.parametrize("position", ["learned", "sinusoidal"])
def test_embedding_is_token_plus_position(position):
    emb = TokenAndPositionEmbedding(10, 8, 4, position=position)
    ids = np.array([[1, 2, 3]])
    out, tokens, positions = emb(ids, return_parts=True)
    np.testing.assert_allclose(np.asarray(out), np.asarray(tokens) + np.asarray(positions)[None], atol=1e-7)
    shifted = emb(ids[:, 1:], start_index=1)
    np.testing.assert_allclose(np.asarray(shifted), np.asarray(out)[:, 1:], atol=1e-7)


def test_embedding_get_config_round_trip():
    layer = TokenAndPositionEmbedding(10, 8, 4, position="sinusoidal")
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
