"""What every model does with logits: the value that masks a position out, ln P of a target token, and
the logits of an output layer tied to the token embeddings."""

import jax
import jax.numpy as jnp
import keras

from lmdemo.kernels import bf16_matmul

# Added to (or put in place of) the scores of masked positions and forbidden tokens: exp(-1e9 - max)
# underflows to exactly 0 in float32, and unlike -inf it never turns a fully masked row into NaN.
MASK_VALUE = -1e9


def target_log_probs(logits, targets):
    """ln softmax(logits)[target] at every position: (..., vocab), (...) → (...), in float32."""
    log_probs = jax.nn.log_softmax(logits.astype(jnp.float32), axis=-1)
    return jnp.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]


def tied_logits(hidden, table):
    """h Eᵀ: hidden states (..., d) against the token embedding table (vocab, d) → (..., vocab) logits.

    One einsum over the table as it is stored: written ``matmul(h, transpose(E))``, XLA:CPU copied the
    transposed table at every call (76 ms against 4.6 ms at GPT-2's 50,257 × 768; docs/pretrained.md).
    Inside ``bf16_matmul.packed_weights`` holding the table (packed as Eᵀ), its bfloat16 copy is read.
    """
    packed = bf16_matmul.packed_for(table)
    if packed is not None:
        return bf16_matmul.matmul(hidden, packed, table.shape[0])
    return keras.ops.einsum("...d,vd->...v", hidden, table)
