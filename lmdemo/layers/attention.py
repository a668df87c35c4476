"""Multi-head attention written out as the formula: softmax(Q Kᵀ / √d_k) V."""

import math

import keras
from keras import ops

from lmdemo.layers.dropout import Dropout
from lmdemo.layers.layer_output import LayerOutput
from lmdemo.layers.linear import linear
from lmdemo.layers.logits import MASK_VALUE
from lmdemo.layers.rms_norm import rms_normalize

ROPE_BASE = 10000.0


def rotate(x, positions):
    """RoPE (Su et al., 2021): each pair of features (x_i, x_{i+d/2}) of a query or key at position p is
    rotated by the angle p · θ_i, θ_i = 10000^(−2i/d), so that q_m · k_n depends on m − n only.

        (x_i, x_{i+d/2}) → (x_i cos pθ_i − x_{i+d/2} sin pθ_i,  x_{i+d/2} cos pθ_i + x_i sin pθ_i)

    Args:
        x: (batch, heads, seq, d) queries or keys, d even.
        positions: (seq,) each row's position in the sequence.
    """
    half = x.shape[-1] // 2
    theta = ROPE_BASE ** (-ops.arange(half, dtype="float32") * 2.0 / x.shape[-1])  # (d/2,)
    angle = ops.cast(positions, "float32")[:, None] * theta[None, :]  # (seq, d/2)
    cos, sin = ops.cast(ops.cos(angle), x.dtype), ops.cast(ops.sin(angle), x.dtype)
    first, second = x[..., :half], x[..., half:]
    return ops.concatenate([first * cos - second * sin, second * cos + first * sin], axis=-1)


def empty_cache(batch_size, num_heads, max_length, head_dim, dtype="float32"):
    """An empty key/value cache for one attention layer: ``(keys, values)``, each zeros of shape
    (batch_size · num_heads, max_length, head_dim); rows b · num_heads … (b + 1) · num_heads − 1 are
    batch row b's heads.

    Keys and values are two arrays, each with the heads folded into its first axis, because that is
    the layout XLA:CPU updates in place and reads without a copy inside the generation loop: with one
    (batch, 2, heads, max_len, head_dim) array, splitting it into keys and values copied both at every
    token (4.8 of 30 ms a token at GPT-2 124M's shape, docs/speed.md), and with (batch, heads, ...)
    arrays the loop copied the whole cache.
    """
    shape = (batch_size * num_heads, max_length, head_dim)
    return ops.zeros(shape, dtype=dtype), ops.zeros(shape, dtype=dtype)



@keras.saving.register_keras_serializable(package="lmdemo")
class MultiHeadAttention(keras.layers.Layer):
    """Multi-head scaled dot-product attention, one step of the formula per line.

    1. project the inputs to queries, keys and values: Q = X W_q, K = X W_k, V = X W_v;
    2. split each into ``num_heads`` heads of ``key_dim`` features;
    3. per head, weights = softmax(Q Kᵀ / √d_k) with masked positions set to -∞;
    4. per head, output = weights V;
    5. concatenate the heads and project back: O = concat(heads) W_o.

    With ``cache`` it attends over a fixed-size key/value cache instead of recomputing keys
    and values for earlier positions (used by generation).

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head's queries and keys (d_k).
        value_dim: size of each head's values; defaults to ``key_dim``.
        output_dim: size of the output; defaults to the last dimension of the query input.
        use_bias: whether the four projections have biases.
        dropout: dropout rate on the attention weights during training.
        rotary: rotate queries and keys by their positions (RoPE, ``rotate``) before Q Kᵀ.
        qk_norm: RMS-normalize each head's queries and keys before Q Kᵀ (QK-norm: the scores stay
            bounded however large the projections grow).
    """

    def __init__(self, num_heads, key_dim, value_dim=None, output_dim=None, use_bias=True,
                 dropout=0.0, kernel_initializer="glorot_uniform", rotary=False, qk_norm=False, **kwargs):
        super().__init__(**kwargs)
        if rotary and int(key_dim) % 2:
            raise ValueError(f"rotary needs an even key_dim, received key_dim={key_dim!r}")
        self.rotary = bool(rotary)
        self.qk_norm = bool(qk_norm)
        if int(num_heads) < 1:
            raise ValueError(f"num_heads must be ≥ 1, received num_heads={num_heads!r}")
        if int(key_dim) < 1:
            raise ValueError(f"key_dim must be ≥ 1, received key_dim={key_dim!r}")
        self.num_heads = int(num_heads)
        self.key_dim = int(key_dim)
        self.value_dim = int(value_dim or key_dim)
        self.output_dim = output_dim
        self.use_bias = use_bias
        self.dropout = dropout
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.dropout_layer = Dropout(dropout, name="attention_dropout")

    def build(self, query_shape, value_shape=None):
        value_shape = value_shape or query_shape
        output_dim = self.output_dim or query_shape[-1]
        dense = lambda units, name: keras.layers.Dense(  # noqa: E731
            units, use_bias=self.use_bias, kernel_initializer=self.kernel_initializer, name=name)
        self.query_dense = dense(self.num_heads * self.key_dim, "query")
        self.key_dense = dense(self.num_heads * self.key_dim, "key")
        self.value_dense = dense(self.num_heads * self.value_dim, "value")
        self.output_dense = dense(output_dim, "attention_output")
        self.query_dense.build(query_shape)
        self.key_dense.build(value_shape)
        self.value_dense.build(value_shape)
        self.output_dense.build(tuple(query_shape[:-1]) + (self.num_heads * self.value_dim,))
        self.built = True

    def _split_heads(self, x, head_dim):
        batch, seq = ops.shape(x)[0], ops.shape(x)[1]
        x = ops.reshape(x, (batch, seq, self.num_heads, head_dim))  # (batch, seq, heads, head_dim)
        return ops.transpose(x, (0, 2, 1, 3))  # (batch, heads, seq, head_dim)

    def call(self, query, value=None, key=None, attention_mask=None, use_causal_mask=False, cache=None,
             cache_index=None, training=None, return_details=False, key_value=None, head_mask=None):
        """Attend from ``query`` to ``value`` (self-attention when ``value`` is None).

        Args:
            query: (batch, q_len, dim) inputs the queries come from.
            value: (batch, k_len, dim) inputs the keys and values come from.
            key: inputs for the keys only; defaults to ``value``.
            attention_mask: bool, (batch, k_len) padding mask or (batch, q_len, k_len); True = attend.
            use_causal_mask: a query at position i attends only to keys at positions ≤ i.
            cache: ``(keys, values)`` of earlier positions (``empty_cache``: each (batch · heads,
                max_len, head_dim)); the new keys/values are written at ``cache_index`` and the updated
                cache returned.
            cache_index: int position of the first query in the sequence (with ``cache``).
            return_details: also return a dict with every step's numbers: ``query``, ``key``,
                ``value`` (batch, heads, seq, head_dim), ``scores`` = Q Kᵀ / √d_k before masking and
                ``weights`` after the softmax (batch, heads, q_len, k_len), ``head_outputs`` =
                weights · V per head (batch, heads, q_len, d_v) and ``combined``, the heads
                concatenated before the output projection W_o (batch, q_len, heads · d_v).
            key_value: the keys and values already projected, (batch, 2, heads, k_len, d_k) from
                ``project_key_value``; ``value`` and ``key`` are then not read. Cross-attention
                projects the encoder's output once per source, not once per generated token.
            head_mask: optional (heads,) floats multiplying each head's output before W_o; a 0
                switches that head off (ablation).

        Returns:
            a ``LayerOutput``: ``output`` (batch, q_len, output_dim); ``cache``, the updated cache when
            one was given; ``details``, the dict above when ``return_details``.
        """
        value = query if value is None else value
        key = value if key is None else key

        # 1-2. linear projections, split into heads
        q = self._split_heads(linear(self.query_dense, query), self.key_dim)  # (batch, heads, q_len, d_k)
        if key_value is None:
            k = self._split_heads(linear(self.key_dense, key), self.key_dim)  # (batch, heads, k_len, d_k)
            v = self._split_heads(linear(self.value_dense, value), self.value_dim)  # (batch, heads, k_len, d_v)
        else:
            k, v = key_value[:, 0], key_value[:, 1]

        q_len = ops.shape(q)[2]
        q_start = 0 if cache is None else cache_index
        if self.qk_norm:
            q = rms_normalize(q)
            if key_value is None:
                k = rms_normalize(k)
        if self.rotary:  # the new keys sit at the same positions as the queries
            positions = q_start + ops.arange(q_len)
            q = rotate(q, positions)
            if key_value is None:
                k = rotate(k, positions)
        batch = ops.shape(q)[0]
        if cache is not None:
            # write the new keys/values into the fixed-size cache in place, then attend over all of it;
            # the cache has the heads folded into its first axis (``empty_cache``), so these products
            # are written with (batch · heads) rows and only the small results are reshaped
            rows = batch * self.num_heads
            keys = ops.slice_update(cache[0], [0, cache_index, 0], ops.reshape(k, (rows, q_len, self.key_dim)))
            values = ops.slice_update(cache[1], [0, cache_index, 0], ops.reshape(v, (rows, q_len, self.value_dim)))
            cache = (keys, values)  # each (batch · heads, max_len, d)
            k_len = ops.shape(keys)[1]
        else:
            k_len = ops.shape(k)[2]

        mask = None
        if use_causal_mask or cache is not None:
            # query at absolute position i sees keys at positions ≤ i (the cache past i is empty)
            q_pos = q_start + ops.arange(q_len)[:, None]
            k_pos = ops.arange(k_len)[None, :]
            mask = ops.expand_dims(q_pos >= k_pos, 0)  # (1, q_len, k_len)
        if attention_mask is not None:
            attention_mask = ops.cast(attention_mask, "bool")
            if len(attention_mask.shape) == 2:
                attention_mask = attention_mask[:, None, :]  # padding mask over keys
            mask = attention_mask if mask is None else ops.logical_and(mask, attention_mask)

        # 3. scores = Q Kᵀ / √d_k, masked, softmax over the keys
        if cache is None:
            scores = ops.einsum("bhqd,bhkd->bhqk", q, k)
        else:
            scores = ops.einsum("nqd,nkd->nqk", ops.reshape(q, (rows, q_len, self.key_dim)), keys)
            scores = ops.reshape(scores, (batch, self.num_heads, q_len, k_len))
        scores = scores / math.sqrt(self.key_dim)  # (batch, heads, q_len, k_len)
        masked = scores if mask is None else ops.where(mask[:, None, :, :], scores, MASK_VALUE)
        weights = ops.softmax(masked, axis=-1)  # (batch, heads, q_len, k_len)
        dropped = self.dropout_layer(weights, training=training)

        # 4. weighted sum of values; 5. concatenate heads and project
        if cache is None:
            head_outputs = ops.matmul(dropped, v)  # (batch, heads, q_len, d_v)
        else:
            head_outputs = ops.einsum("nqk,nkd->nqd", ops.reshape(dropped, (rows, q_len, k_len)), values)
            head_outputs = ops.reshape(head_outputs, (batch, self.num_heads, q_len, self.value_dim))
        if head_mask is not None:  # ablation: a head whose mask is 0 adds nothing to the output
            head_outputs = head_outputs * ops.cast(head_mask, head_outputs.dtype)[None, :, None, None]
        heads = ops.transpose(head_outputs, (0, 2, 1, 3))  # (batch, q_len, heads, d_v)
        combined = ops.reshape(heads, (batch, q_len, self.num_heads * self.value_dim))  # (batch, q_len, heads*d_v)
        output = linear(self.output_dense, combined)

        details = None
        if return_details:
            if cache is not None:  # the whole cache, as (batch, heads, max_len, d)
                k = ops.reshape(cache[0], (batch, self.num_heads, k_len, self.key_dim))
                v = ops.reshape(cache[1], (batch, self.num_heads, k_len, self.value_dim))
            details = {"query": q, "key": k, "value": v, "scores": scores, "weights": weights,
                       "head_outputs": head_outputs, "combined": combined}
        return LayerOutput(output, cache, details)

    def project_key_value(self, value):
        """K = X W_k and V = X W_v for ``value`` (batch, k_len, dim), stacked: (batch, 2, heads, k_len, d_k).

        Needs ``value_dim == key_dim`` (true in every lmdemo model).
        """
        k = self._split_heads(self.key_dense(value), self.key_dim)
        v = self._split_heads(self.value_dense(value), self.value_dim)
        return ops.stack([k, v], axis=1)

    def compute_output_shape(self, query_shape, value_shape=None):
        return tuple(query_shape[:-1]) + (self.output_dim or query_shape[-1],)

    def get_config(self):
        config = super().get_config()
        config.update({
            "num_heads": self.num_heads,
            "key_dim": self.key_dim,
            "value_dim": self.value_dim,
            "output_dim": self.output_dim,
            "use_bias": self.use_bias,
            "dropout": self.dropout,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "rotary": self.rotary,
            "qk_norm": self.qk_norm,
        })
        return config
