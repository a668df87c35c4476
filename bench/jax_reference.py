"""A GPT train step in plain JAX, with no Keras: the ceiling lmdemo's trainer is measured against.

The same model as a lmdemo ``TransformerLM`` of the benchmark shape (pre-LayerNorm blocks, learned
positions, untied output layer, GELU or ReLU) and the same update (AdamW, decoupled weight decay,
global-norm clipping), written as functions of a dict of arrays and jitted as one step. Only
``bench/train_speed.py`` uses it; it is not part of lmdemo.
"""

import math

import jax
import jax.numpy as jnp


def init(key, vocab, context, layers, d_model, hidden):
    """Random weights of the shape lmdemo's ``GPT`` has (normal 0.02 embeddings, scaled normal matrices)."""
    keys = iter(jax.random.split(key, 4 + 6 * layers))
    dense = lambda n_in, n_out: jax.random.normal(next(keys), (n_in, n_out)) * math.sqrt(2.0 / (n_in + n_out))  # noqa: E731
    params = {"tok": jax.random.normal(next(keys), (vocab, d_model)) * 0.02,
              "pos": jax.random.normal(next(keys), (context, d_model)) * 0.02,
              "ln_f": (jnp.ones(d_model), jnp.zeros(d_model)),
              "head": (dense(d_model, vocab), jnp.zeros(vocab)), "blocks": []}
    for _ in range(layers):
        params["blocks"].append({
            "ln1": (jnp.ones(d_model), jnp.zeros(d_model)), "ln2": (jnp.ones(d_model), jnp.zeros(d_model)),
            "q": (dense(d_model, d_model), jnp.zeros(d_model)), "k": (dense(d_model, d_model), jnp.zeros(d_model)),
            "v": (dense(d_model, d_model), jnp.zeros(d_model)), "o": (dense(d_model, d_model), jnp.zeros(d_model)),
            "ff1": (dense(d_model, hidden), jnp.zeros(hidden)), "ff2": (dense(hidden, d_model), jnp.zeros(d_model))})
    return params


def _norm(x, scale_bias, eps=1e-5):
    scale, bias = scale_bias
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / jnp.sqrt(var + eps) * scale + bias


def _dense(x, kernel_bias):
    return x @ kernel_bias[0] + kernel_bias[1]


def forward(params, ids, heads, activation="gelu"):
    """(batch, seq) ids → (batch, seq, vocab) logits."""
    batch, seq = ids.shape
    x = params["tok"][ids] + params["pos"][:seq]
    causal = jnp.tril(jnp.ones((seq, seq), bool))
    act = jax.nn.relu if activation == "relu" else (lambda h: jax.nn.gelu(h, approximate=True))
    for b in params["blocks"]:
        h = _norm(x, b["ln1"])
        split = lambda t: t.reshape(batch, seq, heads, -1).transpose(0, 2, 1, 3)  # noqa: E731
        q, k, v = split(_dense(h, b["q"])), split(_dense(h, b["k"])), split(_dense(h, b["v"]))
        scores = jnp.einsum("bhqd,bhkd->bhqk", q, k) / math.sqrt(q.shape[-1])
        weights = jax.nn.softmax(jnp.where(causal, scores, -1e9), axis=-1)
        attended = jnp.einsum("bhqk,bhkd->bhqd", weights, v).transpose(0, 2, 1, 3).reshape(batch, seq, -1)
        x = x + _dense(attended, b["o"])
        x = x + _dense(act(_dense(_norm(x, b["ln2"]), b["ff1"])), b["ff2"])
    return _dense(_norm(x, params["ln_f"]), params["head"])


def loss_fn(params, x, y, heads, activation):
    logits = forward(params, x, heads, activation)
    return -jnp.take_along_axis(jax.nn.log_softmax(logits, -1), y[..., None], -1).mean()


def make_step(heads, activation="gelu", lr=1e-3, beta_1=0.9, beta_2=0.99, eps=1e-7, weight_decay=0.1, clip=1.0):
    """A jitted ``step(params, m, v, t, x, y) -> (params, m, v, t, loss)``: AdamW with global-norm clipping."""

    def step(params, m, v, t, x, y):
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y, heads, activation)
        norm = jnp.sqrt(sum(jnp.sum(g ** 2) for g in jax.tree.leaves(grads)))
        grads = jax.tree.map(lambda g: g * jnp.minimum(1.0, clip / (norm + 1e-6)), grads)
        t = t + 1
        m = jax.tree.map(lambda a, g: beta_1 * a + (1 - beta_1) * g, m, grads)
        v = jax.tree.map(lambda a, g: beta_2 * a + (1 - beta_2) * g * g, v, grads)
        alpha = lr * jnp.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        params = jax.tree.map(lambda p, a, b: p - lr * weight_decay * p * (p.ndim == 2) - alpha * a / (jnp.sqrt(b) + eps),
                              params, m, v)
        return params, m, v, t, loss

    return jax.jit(step, donate_argnums=(0, 1, 2))
