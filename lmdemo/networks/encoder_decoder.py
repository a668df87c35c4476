"""The encoder–decoder Transformer (Vaswani et al., 2017): source ids → target-token logits.

The encoder reads the whole source at once. The decoder writes the target one token at a time:
each step attends causally to the target so far (self-attention, with a KV cache when
generating) and to every source token (cross-attention), then a linear layer tied to the
target embeddings gives the logits over the vocabulary.

With ``copy_attention`` the decoder is a pointer-generator (See et al., 2017): besides the
vocabulary softmax it has one more attention over the source tokens, and a gate p_gen that
mixes the two,

    P(w) = p_gen · softmax(logits)[w] + (1 − p_gen) · Σ_{source positions s holding w} a_s,

so a name or a number that appears in the source can be written even when the vocabulary
softmax has barely learned it. ``decode`` then returns ln P(w): log-probabilities that every
consumer of logits (argmax, log-softmax, the loss) reads as they are.
"""

import math

import jax.numpy as jnp
import keras
from keras import ops

from lmdemo.config import EncoderDecoderConfig
from lmdemo.layers.attention import empty_cache
from lmdemo.layers.dropout import Dropout
from lmdemo.layers.layer_output import LayerOutput
from lmdemo.layers.logits import MASK_VALUE, tied_logits
from lmdemo.layers.cross_attention_decoder_block import CrossAttentionDecoderBlock
from lmdemo.layers.position_embedding import TokenAndPositionEmbedding
from lmdemo.networks.transformer_encoder import TransformerEncoder


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
        self.embedding_dropout = Dropout(c.dropout, name="embedding_dropout")
        self.blocks = [CrossAttentionDecoderBlock(c.num_heads, c.hidden_dim, c.activation, c.dropout,
                                                  c.layer_norm_epsilon, name=f"decoder_block_{i}")
                       for i in range(c.decoder_layers)]
        self.final_norm = keras.layers.LayerNormalization(epsilon=c.layer_norm_epsilon, name="decoder_final_norm")
        if c.copy_attention:
            self.copy_query = keras.layers.Dense(c.d_model, use_bias=False, name="copy_query")
            self.copy_key = keras.layers.Dense(c.d_model, use_bias=False, name="copy_key")
            self.copy_gate = keras.layers.Dense(1, name="copy_gate")

    def build(self, input_shape=None):
        self.encoder.build((None, None))
        self.target_embedding.build((None, None))
        for block in self.blocks:
            block.build((None, None, self.config.d_model))
        self.final_norm.build((None, None, self.config.d_model))
        if self.config.copy_attention:
            for layer in (self.copy_query, self.copy_key, self.copy_gate):
                layer.build((None, None, self.config.d_model))
        self.output_bias = self.add_weight(shape=(self.config.vocab_size,), initializer="zeros", name="output_bias")
        self.built = True

    @property
    def head_dim(self):
        return self.config.d_model // self.config.num_heads

    # -- the two halves ----------------------------------------------------------------------------
    def encode(self, source_ids, source_mask, training=None):
        """The encoder's output, and what the decoder reads of it at every step.

        Returns:
            (memory (batch, src, d_model), memory_kv): ``memory_kv`` holds each decoder block's
            cross-attention keys and values, (batch, 2, heads, src, head_dim); with
            ``copy_attention`` one more item follows them: the copy attention's keys
            (batch, src, d_model) and the source ids, which say what each position would copy.
        """
        memory = self.encoder(source_ids, source_mask, training=training).output
        memory_kv = tuple(block.cross_attention.project_key_value(memory) for block in self.blocks)
        if self.config.copy_attention:
            memory_kv += ((self.copy_key(memory), ops.cast(source_ids, "int32")),)
        return memory, memory_kv

    def empty_cache(self, batch_size, dtype="float32"):
        """One empty self-attention cache per decoder block (``lmdemo.layers.attention.empty_cache``)."""
        c = self.config
        return tuple(empty_cache(batch_size, c.num_heads, c.max_target_length, self.head_dim, dtype)
                     for _ in self.blocks)

    def decode(self, target_ids, memory_kv, source_mask, cache=None, cache_index=None, training=None,
               return_details=False):
        """Target ids → logits, attending to the encoded source.

        Args:
            target_ids: (batch, tgt) ids, starting with the start token.
            memory_kv, source_mask: from ``encode`` and the source's padding mask.
            cache, cache_index: the self-attention cache (from ``empty_cache``) and the position
                of ``target_ids[:, 0]``; with them one new token per call is enough.
            return_details: also return ``{"cross_attention_weights": [each block's (batch, heads, tgt, src)]}``
                and, with ``copy_attention``, ``"copy_weights"`` (batch, tgt, src) and ``"copy_gate"``
                (batch, tgt), the probability of generating rather than copying.

        Returns:
            a ``LayerOutput``: ``output``, the logits (batch, tgt, vocab); ``cache``, the new cache
            when one was given; ``details``, the dict above when ``return_details``.
        """
        start = 0 if cache is None else cache_index
        x = self.embedding_dropout(self.target_embedding(target_ids, start_index=start), training=training)
        new_cache, weights = [], []
        for i, block in enumerate(self.blocks):
            result = block(x, memory_kv[i], source_mask, cache=None if cache is None else cache[i],
                           cache_index=cache_index, training=training, return_details=return_details)
            x = result.output
            new_cache.append(result.cache)
            if return_details:
                weights.append(result.details["cross_attention_weights"])
        hidden = self.final_norm(x)
        table = self.target_embedding.token_embedding.embeddings  # output layer tied to the target embeddings
        logits = tied_logits(hidden, table) + self.output_bias
        details = {"cross_attention_weights": weights}
        if self.config.copy_attention:
            logits, details["copy_weights"], details["copy_gate"] = self._copy_mixture(
                hidden, logits, memory_kv[-1], source_mask)
        return LayerOutput(logits, None if cache is None else tuple(new_cache), details if return_details else None)

    def _copy_mixture(self, hidden, logits, copy_memory, source_mask):
        """ln(p_gen · softmax(logits) + (1 − p_gen) · copy distribution), (batch, tgt, vocab); and the
        copy attention's weights (batch, tgt, src) and p_gen (batch, tgt)."""
        keys, source_ids = copy_memory
        scores = ops.einsum("btd,bsd->bts", self.copy_query(hidden), keys) / math.sqrt(self.config.d_model)
        scores = ops.where(source_mask[:, None, :], ops.cast(scores, "float32"), MASK_VALUE)
        weights = ops.softmax(scores, axis=-1)  # (batch, tgt, src): where to copy from
        gate = ops.sigmoid(ops.cast(self.copy_gate(hidden), "float32"))  # (batch, tgt, 1): p_gen
        batch, vocab = ops.shape(source_ids)[0], self.config.vocab_size
        # scatter-add each position's weight onto its source token id: (batch, vocab, tgt)
        rows = jnp.arange(batch)[:, None]
        copied = jnp.zeros((batch, vocab, weights.shape[1]), "float32").at[rows, source_ids].add(
            jnp.swapaxes(weights, 1, 2))
        probs = gate * ops.softmax(ops.cast(logits, "float32"), axis=-1) + (1.0 - gate) * jnp.swapaxes(copied, 1, 2)
        return ops.log(ops.maximum(probs, 1e-9)), weights, gate[..., 0]

    def call(self, source_ids, target_ids, source_mask=None, training=None):
        """Teacher forcing: logits for every target position at once (training and scoring)."""
        if source_mask is None:
            source_mask = ops.ones_like(source_ids, dtype="bool")
        _, memory_kv = self.encode(source_ids, source_mask, training=training)
        return self.decode(target_ids, memory_kv, source_mask, training=training).output

    def get_config(self):
        config = super().get_config()
        config.update({"config": self.config.to_dict()})
        return config
