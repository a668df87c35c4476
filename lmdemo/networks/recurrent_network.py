"""The recurrent language-model network: embedding → stacked RNN/LSTM layers → logits."""

import keras
from keras import ops

from lmdemo.config import RecurrentConfig
from lmdemo.layers.dropout import Dropout
from lmdemo.layers.layer_output import LayerOutput
from lmdemo.layers.logits import tied_logits
from lmdemo.layers.recurrent import Recurrent

# token vectors start uniform in ±0.5: Keras' default (±0.05) leaves the gates and, with tied
# embeddings, the logits near zero, and a word-level LSTM then sat at unigram loss for an epoch
EMBED_INIT = 0.5


@keras.saving.register_keras_serializable(package="lmdemo")
class RecurrentNetwork(keras.Model):
    """token ids (batch, seq) → logits (batch, seq, vocab), reading left to right with a state.

    The state of all layers is one array, (num_layers, state_parts, batch, hidden_dim), so a
    generation loop can carry it from one token to the next instead of re-reading the text.

    Args:
        config: a ``RecurrentConfig`` or its dict.
    """

    def __init__(self, config, **kwargs):
        super().__init__(**kwargs)
        if isinstance(config, dict):
            config = RecurrentConfig.from_dict(config)
        self.config = config
        self.embedding = keras.layers.Embedding(config.vocab_size, config.embed_dim, name="embedding",
                                                embeddings_initializer=keras.initializers.RandomUniform(-EMBED_INIT, EMBED_INIT))
        self.layers_ = [Recurrent(config.hidden_dim, config.cell, name=f"{config.cell}_{i}")
                        for i in range(config.num_layers)]
        self.dropout = Dropout(config.dropout)
        if not config.tie_embeddings:
            self.lm_head = keras.layers.Dense(config.vocab_size, name="lm_head")

    def build(self, input_shape=(None, None)):
        c = self.config
        self.embedding.build(input_shape)
        dim = c.embed_dim
        for layer in self.layers_:
            layer.build(tuple(input_shape) + (dim,))
            dim = c.hidden_dim
        if c.tie_embeddings:
            self.output_bias = self.add_weight(shape=(c.vocab_size,), initializer="zeros", name="output_bias")
        else:
            self.lm_head.build(tuple(input_shape) + (dim,))
        self.built = True

    def initial_state(self, batch_size):
        return ops.stack([layer.initial_state(batch_size) for layer in self.layers_])

    def call(self, token_ids, state=None, step_mask=None, training=None):
        """A ``LayerOutput``: ``output``, the logits at every position, and ``cache``, the state after the
        last one (num_layers, parts, batch, hidden), to continue from.

        Args:
            token_ids: int (batch, seq).
            state: (num_layers, parts, batch, hidden) from a previous call, or None (zeros).
            step_mask: 0/1 (batch, seq); the state does not change at masked (padding) steps.
        """
        x = self.dropout(self.embedding(token_ids), training=training)
        states = []
        for i, layer in enumerate(self.layers_):
            x, s = layer(x, state=None if state is None else state[i], step_mask=step_mask)
            x = self.dropout(x, training=training)
            states.append(s)
        if self.config.tie_embeddings:
            logits = tied_logits(x, self.embedding.embeddings) + self.output_bias
        else:
            logits = self.lm_head(x)
        return LayerOutput(logits, ops.stack(states))

    def get_config(self):
        config = super().get_config()
        config.update({"config": self.config.to_dict()})
        return config
