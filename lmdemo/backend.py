"""Keras runs on JAX in lmdemo: this module makes sure of it before Keras is imported.

Keras 3 picks its backend once, when it is first imported, from the ``KERAS_BACKEND``
environment variable. lmdemo's layers and its jitted KV-cache generation are written for
JAX, so this module sets ``KERAS_BACKEND=jax`` before the first ``import keras`` and refuses
to continue if Keras was already imported with another backend.
"""

import os
import sys
import warnings

REQUIRED_BACKEND = "jax"


def ensure_jax_backend():
    """Select the JAX backend for Keras, or raise if another one is already active.

    Raises:
        ImportError: Keras was imported before lmdemo with a backend other than JAX.
    """
    if "keras" in sys.modules:
        import keras

        backend = keras.backend.backend()
        if backend != REQUIRED_BACKEND:
            raise ImportError(
                f"lmdemo needs the Keras JAX backend, but Keras was already imported with "
                f"backend={backend!r}. Set KERAS_BACKEND=jax before importing keras, or import "
                f"lmdemo first."
            )
        return
    requested = os.environ.get("KERAS_BACKEND")
    if requested not in (None, "", REQUIRED_BACKEND):
        warnings.warn(
            f"KERAS_BACKEND={requested!r} is overridden to 'jax': lmdemo runs Keras on JAX.",
            stacklevel=3,
        )
    os.environ["KERAS_BACKEND"] = REQUIRED_BACKEND


def enable_compile_cache(path=None):
    """Turn on JAX's persistent compilation cache (halves the next process's first step).

    Args:
        path: folder for the cache; defaults to ``$LMDEMO_CACHE`` or ``~/.cache/lmdemo/jax``.
    """
    import jax

    path = path or os.environ.get("LMDEMO_CACHE") or os.path.expanduser("~/.cache/lmdemo/jax")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return  # a read-only home (some Spaces) only costs compile time
    jax.config.update("jax_compilation_cache_dir", path)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
