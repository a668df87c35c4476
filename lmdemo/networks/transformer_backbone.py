"""The decoder-only Transformer backbone: token ids → hidden states."""

import keras

from lmdemo.layers.attention import empty_cache
from lmdemo.layers.decoder_block import DecoderBlock
from lmdemo.layers.dropout import Dropout
from lmdemo.layers.layer_output import LayerOutput
from lmdemo.layers.position_embedding import TokenAndPositionEmbedding


@keras.saving.register_keras_serializable(package="lmdemo")
class TransformerBackbone(keras.Model):
    """Embeddings + positions, a stack of pre-LayerNorm decoder blocks, and a final LayerNorm.

    Args:
        vocab_size, max_length, num_layers, num_heads, d_model, hidden_dim, activation,
        position, dropout, layer_norm_epsilon, norm, qk_norm: see ``lmdemo.config.TransformerConfig``.
    """

    def __init__(self, vocab_size, max_length, num_layers, num_heads, d_model, hidden_dim,
                 activation="gelu", position="learned", dropout=0.0, layer_norm_epsilon=1e-5, norm="layer",
                 qk_norm=False, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.max_length = max_length
        self.num_layers = num_layers
        self.num_heads = num_heads
        self.d_model = d_model
        self.hidden_dim = hidden_dim
        self.activation = activation
        self.position = position
        self.dropout = dropout
        self.layer_norm_epsilon = layer_norm_epsilon
        self.norm = norm
        self.qk_norm = qk_norm
        self.embedding = TokenAndPositionEmbedding(vocab_size, max_length, d_model, position=position, name="embedding")
        self.embedding_dropout = Dropout(dropout, name="embedding_dropout")
        self.blocks = [
            DecoderBlock(num_heads, hidden_dim, activation, dropout, layer_norm_epsilon, norm=norm, qk_norm=qk_norm,
                         rotary=position == "rope", name=f"block_{i}")
            for i in range(num_layers)
        ]
        self.final_norm = self.blocks[0].layer_norm("final_norm")  # the blocks' kind of norm

    def build(self, input_shape):
        self.embedding.build(input_shape)
        hidden_shape = tuple(input_shape) + (self.d_model,)
        for block in self.blocks:
            block.build(hidden_shape)
        self.final_norm.build(hidden_shape)
        self.built = True

    @property
    def head_dim(self):
        return self.d_model // self.num_heads

    def empty_cache(self, batch_size, dtype="float32"):
        """One empty key/value cache per block (``lmdemo.layers.attention.empty_cache``)."""
        return tuple(empty_cache(batch_size, self.num_heads, self.max_length, self.head_dim, dtype)
                     for _ in self.blocks)

    def call(self, token_ids, padding_mask=None, cache=None, cache_index=None, training=None, return_details=False,
             head_mask=None):
        """(batch, seq) ids → (batch, seq, d_model) hidden states.

        Args:
            token_ids: int (batch, seq), seq ≤ max_length.
            padding_mask: optional bool (batch, seq); False marks padding to ignore.
            cache: the tuple from ``empty_cache`` (or a previous call); enables the KV cache.
            cache_index: position of ``token_ids[:, 0]`` in the sequence (with ``cache``).
            return_details: also return a dict with the embeddings and every block's
                activations and attention weights (for looking inside the model).
            head_mask: optional (num_layers, num_heads) floats; each head's output is multiplied
                by its entry before the block's W_o (0 switches the head off).

        Returns:
            a ``LayerOutput``: ``output``, the hidden states; ``cache``, the new cache when one was
            given; ``details``, the dict above when ``return_details``.
        """
        start = 0 if cache is None else cache_index
        x, token_vectors, position_vectors = self.embedding(token_ids, start_index=start, return_parts=True)
        x = self.embedding_dropout(x, training=training)
        intermediates = {"token_embeddings": token_vectors, "position_embeddings": position_vectors,
                         "embeddings": x, "blocks": []}
        new_cache = []
        for i, block in enumerate(self.blocks):
            result = block(
                x, padding_mask=padding_mask, cache=None if cache is None else cache[i], cache_index=cache_index,
                training=training, return_details=return_details,
                head_mask=None if head_mask is None else head_mask[i])
            x = result.output
            new_cache.append(result.cache)
            intermediates["blocks"].append(result.details)
        hidden = self.final_norm(x)
        intermediates["final_hidden"] = hidden
        return LayerOutput(hidden, None if cache is None else tuple(new_cache),
                           intermediates if return_details else None)

    def get_config(self):
        config = super().get_config()
        config.update({
            "vocab_size": self.vocab_size, "max_length": self.max_length, "num_layers": self.num_layers,
            "num_heads": self.num_heads, "d_model": self.d_model, "hidden_dim": self.hidden_dim,
            "activation": self.activation, "position": self.position, "dropout": self.dropout,
            "layer_norm_epsilon": self.layer_norm_epsilon, "norm": self.norm, "qk_norm": self.qk_norm,
        })
        return config
