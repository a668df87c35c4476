"""Picking beam rows from a generation state (lmdemo/generation/state.py)."""

import jax.numpy as jnp
import numpy as np

from lmdemo.generation.state import select_rows


def test_rows_of_one_entry_and_runs_of_heads_are_picked_alike():
    recurrent = jnp.arange(3 * 2).reshape(3, 2)  # batch-first: one entry per row
    cache = (jnp.arange(3 * 4 * 5).reshape(3 * 4, 5), -jnp.arange(3 * 4 * 5).reshape(3 * 4, 5))  # 4 heads a row
    out = select_rows({"h": recurrent, "kv": cache}, jnp.array([1, 1, 0]))
    assert np.asarray(out["h"]).tolist() == [[2, 3], [2, 3], [0, 1]]
    keys = np.asarray(out["kv"][0]).reshape(3, 4, 5)
    expected = np.arange(3 * 4 * 5).reshape(3, 4, 5)[[1, 1, 0]]
    assert np.array_equal(keys, expected) and np.array_equal(np.asarray(out["kv"][1]).reshape(3, 4, 5), -expected)
