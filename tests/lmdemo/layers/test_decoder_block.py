"""DecoderBlock (lmdemo/layers/decoder_block.py)."""

from lmdemo.layers import DecoderBlock


def test_decoder_block_get_config_round_trip():
    layer = DecoderBlock(2, 16, activation="relu", dropout=0.1)
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
