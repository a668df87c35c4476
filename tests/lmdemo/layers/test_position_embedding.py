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


def test_segments_add_their_row_and_a_single_text_is_segment_0():
    emb = TokenAndPositionEmbedding(10, 8, 4, num_segments=2)
    ids = np.array([[1, 2, 3]])
    out, tokens, positions = emb(ids, return_parts=True)
    table = emb.segment_embedding.embeddings.numpy()
    np.testing.assert_allclose(np.asarray(out), np.asarray(tokens) + np.asarray(positions)[None] + table[0], atol=1e-7)
    pair = np.asarray(emb(ids, segment_ids=np.array([[0, 1, 1]])))
    np.testing.assert_allclose(pair[0, 1:] - np.asarray(out)[0, 1:], np.stack([table[1] - table[0]] * 2), atol=1e-6)
    assert TokenAndPositionEmbedding.from_config(emb.get_config()).num_segments == 2
    plain = TokenAndPositionEmbedding(10, 8, 4)
    plain.build((None, None))
    assert [w.path.split("/")[-2] for w in plain.weights] == ["token_embedding", "position_embedding"]  # as before


@pytest.mark.parametrize("num_segments", [-1, 1.5, True])
def test_num_segments_must_be_a_count(num_segments):
    with pytest.raises(ValueError, match=f"num_segments must be an int ≥ 0, received num_segments={num_segments!r}"):
        TokenAndPositionEmbedding(10, 8, 4, num_segments=num_segments)


def test_segment_ids_without_segments_are_refused():
    with pytest.raises(ValueError, match="segment_ids were given, but this embedding has num_segments=0"):
        TokenAndPositionEmbedding(10, 8, 4)(np.array([[1, 2]]), segment_ids=np.array([[0, 0]]))
