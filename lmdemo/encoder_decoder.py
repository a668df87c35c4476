"""The encoder–decoder Transformer (Vaswani et al., 2017): source ids → target-token logits.

The encoder reads the whole source at once. The decoder writes the target one token at a time:
each step attends causally to the target so far (self-attention, with a KV cache when
generating) and to every source token (cross-attention), then a linear layer tied to the
target embeddings gives the logits over the vocabulary.
"""

import keras
from keras import ops

from lmdemo.config import EncoderDecoderConfig
from lmdemo.layers.cross_attention_decoder_block import CrossAttentionDecoderBlock
from lmdemo.layers.position_embedding import TokenAndPositionEmbedding
from lmdemo.transformer_encoder import TransformerEncoder


@keras.saving.register_keras_serializable(package="lmdemo")
class EncoderDecoder(keras.Model):
    """(source ids, target ids) → (batch, tgt_len, vocab) logits of each next target token.

    Args:
        config: an ``EncoderDecoderConfig`` or its dict.
    """

    def __init__(self, config, **kwargs):
        super().__init__(**kwargs)
        if isinstance(config, dict):
            config = EncoderDecoderConfig.from_dict(config)
        self.config = c = config
        self.encoder = TransformerEncoder(c.vocab_size, c.max_source_length, c.encoder_layers, c.num_heads, c.d_model,
                                          c.hidden_dim, c.activation, c.dropout, c.layer_norm_epsilon, name="encoder")
        self.target_embedding = TokenAndPositionEmbedding(c.vocab_size, c.max_target_length, c.d_model,
                                                          name="target_embedding")
        self.embedding_dropout = keras.layers.Dropout(c.dropout, name="embedding_dropout")
        self.blocks = [CrossAttentionDecoderBlock(c.num_heads, c.hidden_dim, c.activation, c.dropout,
                                                  c.layer_norm_epsilon, name=f"decoder_block_{i}")
                       for i in range(c.decoder_layers)]
        self.final_norm = keras.layers.LayerNormalization(epsilon=c.layer_norm_epsilon, name="decoder_final_norm")

    def build(self, input_shape=None):
        self.encoder.build((None, None))
        self.target_embedding.build((None, None))
        for block in self.blocks:
            block.build((None, None, self.config.d_model))
        self.final_norm.build((None, None, self.config.d_model))
        self.output_bias = self.add_weight(shape=(self.config.vocab_size,), initializer="zeros", name="output_bias")
        self.built = True

    @property
    def head_dim(self):
        return self.config.d_model // self.config.num_heads

    # -- the two halves ----------------------------------------------------------------------------
    def encode(self, source_ids, source_mask, training=None):
        """The encoder's output, and each decoder block's cross-attention keys and values of it.

        Returns:
            (memory (batch, src, d_model), tuple of (batch, 2, heads, src, head_dim) per block).
        """
        memory = self.encoder(source_ids, source_mask, training=training)
        return memory, tuple(block.cross_attention.project_key_value(memory) for block in self.blocks)

    def empty_cache(self, batch_size, dtype="float32"):
        """One zero (batch, 2, heads, max_target_length, head_dim) self-attention cache per decoder block."""
        shape = (batch_size, 2, self.config.num_heads, self.config.max_target_length, self.head_dim)
        return tuple(ops.zeros(shape, dtype=dtype) for _ in self.blocks)

    def decode(self, target_ids, memory_kv, source_mask, cache=None, cache_index=None, training=None,
               return_attention_scores=False):
        """Target ids → logits, attending to the encoded source.

        Args:
            target_ids: (batch, tgt) ids, starting with the start token.
            memory_kv, source_mask: from ``encode`` and the source's padding mask.
            cache, cache_index: the self-attention cache (from ``empty_cache``) and the position
                of ``target_ids[:, 0]``; with them one new token per call is enough.
            return_attention_scores: also return each block's cross-attention weights.

        Returns:
            logits (batch, tgt, vocab); then the new cache if ``cache`` was given; then the
            list of cross-attention weights.
        """
        start = 0 if cache is None else cache_index
        x = self.embedding_dropout(self.target_embedding(target_ids, start_index=start), training=training)
        new_cache, weights = [], []
        for i, block in enumerate(self.blocks):
            result = block(x, memory_kv[i], source_mask, cache=None if cache is None else cache[i],
                           cache_index=cache_index, training=training, return_attention_scores=True)
            x = result[0]
            if cache is not None:
                new_cache.append(result[1])
            weights.append(result[-1])
        hidden = self.final_norm(x)
        table = self.target_embedding.token_embedding.embeddings  # output layer tied to the target embeddings
        logits = ops.matmul(hidden, ops.transpose(table)) + self.output_bias
        outputs = (logits,)
        if cache is not None:
            outputs += (tuple(new_cache),)
        if return_attention_scores:
            outputs += (weights,)
        return outputs[0] if len(outputs) == 1 else outputs

    def call(self, source_ids, target_ids, source_mask=None, training=None):
        """Teacher forcing: logits for every target position at once (training and scoring)."""
        if source_mask is None:
            source_mask = ops.ones_like(source_ids, dtype="bool")
        _, memory_kv = self.encode(source_ids, source_mask, training=training)
        return self.decode(target_ids, memory_kv, source_mask, training=training)

    def get_config(self):
        config = super().get_config()
        config.update({"config": self.config.to_dict()})
        return config
