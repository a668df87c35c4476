"""The token tagger network: each word read from its characters, then in the context of its neighbours.

    chars of word w  →  embed, trigram detectors h_j = relu(W [c_{j-1}; c_j; c_{j+1}] + b), max over j  →  v_w
    x_t = W_in [v_{w_t}; E[hash(lower(w_t))]] + p_t       (p_t: learned positions, Transformer only)
    h = context(x)                                          (an LSTM each way, dilated convolutions, or encoder blocks)
    P(tag_t | text) = softmax(W_out LN(h_t))

Reading characters is what lets a name never seen in training be recognized by its shape (Lample et
al., 2016; Ma & Hovy, 2016): "Árnþórsson" and "Paavolainen" share endings and capitals with names the
tagger did see. The character part runs once per *distinct* word of a batch (``word_chars``), and each
position points into that table (``word_index``): in real text most words repeat.

The ``cnn`` context is a stack of dilated convolutions over the words (Strubell et al., 2017), written out
as the character detectors are, a Dense layer over shifted copies:

    x ← x + relu(W_i [y_{t−d}; y_t; y_{t+d}] + b_i),   y = LN(x) at real words (0 at padding),   d = 2^i

Layer i sees 2^{i+1} − 1 words each side, so 4 layers read ±15 words; there is no loop over time, which
is what makes it the fastest of the three contexts on a CPU (docs/privacy.md).
"""

import keras
from keras import ops

from lmdemo.config import TaggerConfig
from lmdemo.layers.dropout import Dropout
from lmdemo.layers.encoder_block import EncoderBlock
from lmdemo.layers.recurrent import Recurrent, bidirectional


@keras.saving.register_keras_serializable(package="lmdemo")
class TokenTagger(keras.Model):
    """(distinct words' characters, word positions, word hashes, padding mask) → (batch, words, num_labels) logits.

    Inputs:
        word_chars: (distinct, max_word_chars) character ids + 1 (0 pads).
        word_index: (batch, words) row of ``word_chars`` each position holds.
        word_hash: (batch, words) bucket of each lower-cased word in ``[0, word_buckets)``.
        padding_mask: (batch, words) True at real words.

    Args:
        config: a ``TaggerConfig`` or its dict.
    """

    def __init__(self, config, **kwargs):
        super().__init__(**kwargs)
        if isinstance(config, dict):
            config = TaggerConfig.from_dict(config)
        self.config = c = config
        self.char_embedding = keras.layers.Embedding(c.vocab_size + 1, c.char_dim, name="char_embedding")
        self.char_trigrams = keras.layers.Dense(c.char_filters, activation="relu", name="char_trigrams")
        self.word_embedding = (keras.layers.Embedding(c.word_buckets, c.word_dim, name="word_embedding")
                               if c.word_buckets else None)
        self.input_projection = keras.layers.Dense(c.d_model, name="input_projection")
        self.input_dropout = Dropout(c.dropout, name="input_dropout")
        self.position_embedding = None
        if c.context == "transformer":
            self.position_embedding = keras.layers.Embedding(c.max_words, c.d_model, name="position_embedding")
            self.blocks = [EncoderBlock(c.num_heads, c.hidden_dim, c.activation, c.dropout, c.layer_norm_epsilon,
                                        name=f"block_{i}") for i in range(c.num_layers)]
        elif c.context == "cnn":
            self.blocks = [(keras.layers.LayerNormalization(epsilon=c.layer_norm_epsilon, name=f"conv_norm_{i}"),
                            keras.layers.Dense(c.d_model, activation="relu", name=f"conv_{i}"))
                           for i in range(c.num_layers)]
            self.block_dropout = Dropout(c.dropout, name="block_dropout")
        else:
            self.blocks = [(Recurrent(c.d_model // 2, "lstm", name=f"forward_{i}"),
                            Recurrent(c.d_model - c.d_model // 2, "lstm", name=f"backward_{i}"))
                           for i in range(c.num_layers)]
        self.final_norm = keras.layers.LayerNormalization(epsilon=c.layer_norm_epsilon, name="final_norm")
        self.tag_head = keras.layers.Dense(c.num_labels, name="tag_head")

    def build(self, input_shape=None):
        c = self.config
        self.char_embedding.build((None, None))
        self.char_trigrams.build((None, None, 3 * c.char_dim))
        in_dim = c.char_filters
        if self.word_embedding is not None:
            self.word_embedding.build((None, None))
            in_dim += c.word_dim
        self.input_projection.build((None, None, in_dim))
        hidden = (None, None, c.d_model)
        if self.config.context == "transformer":
            self.position_embedding.build((None,))
            for block in self.blocks:
                block.build(hidden)
        elif self.config.context == "cnn":
            for norm, conv in self.blocks:
                norm.build(hidden)
                conv.build((None, None, 3 * c.d_model))
        else:
            for forward, backward in self.blocks:
                forward.build(hidden)
                backward.build(hidden)
        self.final_norm.build(hidden)
        self.tag_head.build(hidden)
        self.built = True

    def word_vectors(self, word_chars):
        """(distinct, chars) ids → (distinct, char_filters): the max of each trigram detector over the word."""
        x = self.char_embedding(word_chars)  # (n, L, char_dim)
        padded = ops.pad(x, [[0, 0], [1, 1], [0, 0]])
        trigrams = ops.concatenate([padded[:, :-2], padded[:, 1:-1], padded[:, 2:]], axis=-1)
        h = self.char_trigrams(trigrams)  # (n, L, filters), ≥ 0
        real = ops.cast(word_chars > 0, h.dtype)[..., None]
        return ops.max(h * real, axis=1)  # relu ≥ 0, so zeroing the padding leaves every max unchanged

    def call(self, word_chars, word_index, word_hash, padding_mask, training=None):
        features = ops.take(self.word_vectors(word_chars), word_index, axis=0)  # (batch, words, filters)
        return self.tag_logits(features, word_hash, padding_mask, training=training)

    def tag_logits(self, features, word_hash, padding_mask, training=None):
        """(batch, words, char_filters) word vectors (``word_vectors``, 0 at padding) → (batch, words, num_labels)
        logits: ``call`` after the character part, for callers that keep the vectors of words they have read."""
        if self.word_embedding is not None:
            features = ops.concatenate([features, self.word_embedding(word_hash)], axis=-1)
        x = self.input_projection(features)
        if self.position_embedding is not None:
            x = x + self.position_embedding(ops.arange(ops.shape(x)[1]))[None]
        x = self.input_dropout(x, training=training)
        if self.config.context == "transformer":
            for block in self.blocks:
                x = block(x, padding_mask=padding_mask, training=training).output
        elif self.config.context == "cnn":
            real = ops.cast(padding_mask, x.dtype)[..., None]
            for i, (norm, conv) in enumerate(self.blocks):
                y = norm(x) * real  # padding reads as zeros, like the text's edges
                d = 2 ** i
                shifted = ops.pad(y, [[0, 0], [d, d], [0, 0]])
                before, after = shifted[:, :-2 * d], shifted[:, 2 * d:]
                x = x + self.block_dropout(conv(ops.concatenate([before, y, after], axis=-1)), training=training)
        else:
            step_mask = ops.cast(padding_mask, x.dtype)
            for forward, backward in self.blocks:
                ahead, behind = bidirectional(forward, backward, x, step_mask)
                x = x + ops.concatenate([ahead, behind], axis=-1)
        logits = self.tag_head(self.final_norm(x))
        return logits

    def get_config(self):
        config = super().get_config()
        config.update({"config": self.config.to_dict()})
        return config

