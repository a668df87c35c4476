"""A language model backed by a Keras network: checkpoints, parameters and pure calls.

``TransformerLM`` and the recurrent models share this: they differ in their network and in
how they read a prompt, not in how they are stored or called.
"""

import jax
import jax.numpy as jnp
import numpy as np

from lmdemo.language_model import LanguageModel
from lmdemo.network_model import NetworkModel


class NetworkLM(NetworkModel, LanguageModel):
    """Base of the Keras-network language models. Subclasses set ``kind``, ``config_class`` and ``network_class``."""


@jax.jit
def target_log_probs(logits, targets):
    """ln softmax(logits)[target] at every position: (..., vocab), (...) → (...)."""
    log_probs = jax.nn.log_softmax(logits.astype(jnp.float32), axis=-1)
    return jnp.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]


def bucket(length, cap):
    """Round a length up to a power of two (≥ 8, ≤ ``cap``) so a jitted call compiles a few times only."""
    size = 8
    while size < length:
        size *= 2
    return min(size, cap)


def pad_rows(rows, width):
    """Right-pad equal- or unequal-length token lists with 0 to (len(rows), width) int32."""
    ids = np.zeros((len(rows), width), dtype=np.int32)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = r
    return ids
