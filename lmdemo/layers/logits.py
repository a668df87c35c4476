"""What every model does with logits: the value that masks a position out, and ln P of a target token."""

import jax
import jax.numpy as jnp

# Added to (or put in place of) the scores of masked positions and forbidden tokens: exp(-1e9 - max)
# underflows to exactly 0 in float32, and unlike -inf it never turns a fully masked row into NaN.
MASK_VALUE = -1e9


def target_log_probs(logits, targets):
    """ln softmax(logits)[target] at every position: (..., vocab), (...) → (...), in float32."""
    log_probs = jax.nn.log_softmax(logits.astype(jnp.float32), axis=-1)
    return jnp.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]
