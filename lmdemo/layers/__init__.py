"""The Transformer's layers, each the formula it implements."""

from lmdemo.layers.attention import MultiHeadAttention
from lmdemo.layers.cross_attention_decoder_block import CrossAttentionDecoderBlock
from lmdemo.layers.decoder_block import DecoderBlock
from lmdemo.layers.encoder_block import EncoderBlock
from lmdemo.layers.feed_forward import FeedForward
from lmdemo.layers.position_embedding import TokenAndPositionEmbedding, sinusoidal_table

__all__ = ["CrossAttentionDecoderBlock", "DecoderBlock", "EncoderBlock", "FeedForward", "MultiHeadAttention", "TokenAndPositionEmbedding", "sinusoidal_table"]
