"""The generation state: what a model carries from one token to the next (a KV cache, a recurrent state).

Beam search keeps ``beams`` rows and, at every step, continues each new beam from its parent's row:
``select_rows`` picks those rows from every array of the state. An array's first axis holds the batch
rows, each as one entry (a recurrent state, batch-first) or as a run of equal length (the Transformer's
key/value cache, whose first axis is batch · heads: ``lmdemo.layers.attention.empty_cache``).
"""

import jax
import jax.numpy as jnp


def select_rows(state, rows):
    """Every array of ``state`` at batch rows ``rows`` (ints, one per row of the result).

    The state has ``len(rows)`` batch rows before and after (beam search picks among its own beams).

    Example:
        >>> cache = jnp.arange(6).reshape(6, 1)  # 3 rows of 2 heads
        >>> select_rows({"kv": cache}, jnp.array([2, 2, 0]))["kv"][:, 0].tolist()
        [4, 5, 4, 5, 0, 1]
    """
    n = rows.shape[0]

    def pick(array):
        per_row = array.shape[0] // n
        if per_row == 1:
            return array[rows]
        return array[(rows[:, None] * per_row + jnp.arange(per_row)).reshape(-1)]

    return jax.tree.map(pick, state)
