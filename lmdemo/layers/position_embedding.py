"""Token embeddings plus position embeddings (learned, or the fixed sinusoids of Vaswani et al.), and BERT's
segment embeddings."""


import keras
import numpy as np
from keras import ops

POSITION_KINDS = ("learned", "sinusoidal", "rope")


def sinusoidal_table(max_length, dim):
    """PE[pos, 2i] = sin(pos / 10000^(2i/dim)), PE[pos, 2i+1] = cos(pos / 10000^(2i/dim))."""
    pos = np.arange(max_length)[:, None]
    i = np.arange(0, dim, 2)[None, :]
    angle = pos / np.power(10000.0, i / dim)
    table = np.zeros((max_length, dim), dtype="float32")
    table[:, 0::2] = np.sin(angle)
    table[:, 1::2] = np.cos(angle)[:, : dim // 2]
    return table


@keras.saving.register_keras_serializable(package="lmdemo")
class TokenAndPositionEmbedding(keras.layers.Layer):
    """x_i = E[token_i] + P[i]: what the token is plus where it is.

    With ``num_segments`` > 0, also + S[segment_i], the segment (BERT's "token type") the token belongs
    to: BERT reads a pair of texts as segments 0 and 1, and a single text as segment 0 throughout.

    Args:
        vocab_size: number of token ids.
        max_length: the longest sequence (the context window).
        embedding_dim: size of each vector (d_model).
        position: ``"learned"`` (a trained table, as GPT-2), ``"sinusoidal"`` (fixed), or ``"rope"``: no
            vector is added here, the attention rotates its queries and keys by their positions instead.
        num_segments: rows of the segment table S (0: no segments; BERT has 2).
    """

    def __init__(self, vocab_size, max_length, embedding_dim, position="learned",
                 embeddings_initializer=None, num_segments=0, **kwargs):
        super().__init__(**kwargs)
        if position not in POSITION_KINDS:
            raise ValueError(f"position must be one of {POSITION_KINDS}, received position={position!r}")
        if isinstance(num_segments, bool) or not isinstance(num_segments, int) or num_segments < 0:
            raise ValueError(f"num_segments must be an int ≥ 0, received num_segments={num_segments!r}")
        self.vocab_size = int(vocab_size)
        self.max_length = int(max_length)
        self.embedding_dim = int(embedding_dim)
        self.position = position
        self.num_segments = num_segments
        init = embeddings_initializer or keras.initializers.RandomNormal(stddev=0.02)
        self.embeddings_initializer = keras.initializers.get(init)
        self.token_embedding = keras.layers.Embedding(
            self.vocab_size, self.embedding_dim, embeddings_initializer=self.embeddings_initializer,
            name="token_embedding")
        if position == "learned":
            self.position_embedding = keras.layers.Embedding(
                self.max_length, self.embedding_dim, embeddings_initializer=self.embeddings_initializer,
                name="position_embedding")
        else:
            self.position_table = sinusoidal_table(self.max_length, self.embedding_dim)
        if num_segments:
            self.segment_embedding = keras.layers.Embedding(
                num_segments, self.embedding_dim, embeddings_initializer=self.embeddings_initializer,
                name="segment_embedding")

    def build(self, input_shape):
        self.token_embedding.build(input_shape)
        if self.position == "learned":
            self.position_embedding.build(input_shape)
        if self.num_segments:
            self.segment_embedding.build(input_shape)
        self.built = True

    def position_vectors(self, seq_len, start_index=0):
        """(seq_len, dim) position vectors for positions start_index, start_index + 1, ..."""
        positions = start_index + ops.arange(seq_len)
        if self.position == "rope":
            return ops.zeros((seq_len, self.embedding_dim))
        if self.position == "learned":
            return self.position_embedding(positions)
        return ops.take(ops.convert_to_tensor(self.position_table), positions, axis=0)

    def call(self, token_ids, start_index=0, return_parts=False, segment_ids=None):
        """(batch, seq) ids → (batch, seq, dim); with ``return_parts`` also the token and position summands.

        ``segment_ids`` (batch, seq), with ``num_segments``: each token's segment; None means segment 0
        for every token (a single text).
        """
        tokens = self.token_embedding(token_ids)  # (batch, seq, dim)
        positions = self.position_vectors(ops.shape(token_ids)[1], start_index)  # (seq, dim)
        positions = ops.cast(positions, tokens.dtype)
        out = tokens + positions[None]
        if self.num_segments:
            segment_ids = ops.zeros_like(token_ids) if segment_ids is None else segment_ids
            out = out + self.segment_embedding(segment_ids)  # (batch, seq, dim)
        elif segment_ids is not None:
            raise ValueError("segment_ids were given, but this embedding has num_segments=0")
        if return_parts:
            return out, tokens, positions
        return out

    def get_config(self):
        config = super().get_config()
        config.update({
            "vocab_size": self.vocab_size,
            "max_length": self.max_length,
            "embedding_dim": self.embedding_dim,
            "position": self.position,
            "num_segments": self.num_segments,
            "embeddings_initializer": keras.initializers.serialize(self.embeddings_initializer),
        })
        return config


