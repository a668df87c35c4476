"""x W with W stored as bfloat16 (weight-only bfloat16): half the bytes a decoding step reads.

Generating one token multiplies a single row by every weight matrix, so the time goes into reading
the weights from memory (docs/speed.md: 18.5 of 19.5 ms a token at GPT-2 124M's shape). XLA:CPU has
no fast product for bfloat16 weights (the ones tried were slower than float32), so this one is written
by hand in ``bf16_matmul.cc``: each weight is widened to float32 as it is read and every multiply and
sum is in float32, so the result is exactly x times the weights rounded to bfloat16 (up to the order
of the sums). The C++ file is compiled on first use (``lmdemo.kernels.build``, about 2 s) and called
from jitted code through XLA's FFI, on XLA's own threads.

How a model uses it: ``packed_weights({variable path: pack(matrix)})`` is entered while the model's
function is traced; ``lmdemo.layers.linear.linear`` (every ``Dense`` of the Transformer) and
``tied_logits`` multiply through ``matmul`` where their matrix is in it; ``TransformerLM.use_weights("bf16")``
enters it for every call of the model. The kernel reads each tile of W once per four rows of x: made for one row
(a decoding step), it is still about as fast as XLA's float32 product at 64 rows (a prompt) and 1.3×
slower at 256 (docs/speed.md).
"""

import contextlib
import contextvars
import math
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from lmdemo.kernels import build
from lmdemo.kernels.build import KernelUnavailable

SOURCE = Path(__file__).with_name("bf16_matmul.cc")
TARGET = "lmdemo_bf16_matmul"
TILE = 64  # output columns per tile of the packed layout (bf16_matmul.cc)


_loaded = None  # None: not tried; True: registered; a KernelUnavailable: why not
_scope = contextvars.ContextVar("lmdemo_packed_weights", default=None)


def load():
    """Compile (once per source, JAX version and machine: ``lmdemo.kernels.build``) and register the kernel
    with XLA.

    Raises:
        KernelUnavailable: JAX does not run on the CPU, or the kernel cannot be compiled.
    """
    global _loaded
    if _loaded is None:
        try:
            if jax.default_backend() != "cpu":
                raise KernelUnavailable(f"runs on a CPU; JAX runs on {jax.default_backend()!r} here")
            handler = build.load_library(SOURCE).LmdemoBf16Matmul
            jax.ffi.register_ffi_target(TARGET, jax.ffi.pycapsule(handler), platform="cpu")
            _loaded = True
        except KernelUnavailable as error:
            _loaded = KernelUnavailable(f"weights='bf16' cannot be used here: {error}")
    if _loaded is not True:
        raise _loaded


def pack(matrix):
    """A (K, N) float matrix → the kernel's layout: bfloat16 tiles (ceil(N / 64), K, 64), the last tile
    padded with zero columns. Rounds each weight to the nearest bfloat16."""
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError(f"pack takes a (K, N) matrix, received shape {matrix.shape}")
    k, n = matrix.shape
    padded = np.pad(matrix, ((0, 0), (0, -n % TILE)))
    tiles = padded.reshape(k, -1, TILE).transpose(1, 0, 2)  # (N / 64, K, 64)
    return jnp.asarray(np.ascontiguousarray(tiles)).astype(jnp.bfloat16)


def unpack(packed, n):
    """The float32 matrix (K, n) a packed matrix holds: the weights as the kernel multiplies them."""
    tiles = np.asarray(packed.astype(jnp.float32))
    return tiles.transpose(1, 0, 2).reshape(tiles.shape[1], -1)[:, :n]


def matmul(x, packed, n):
    """x (..., K) float32 times a packed (K, n) matrix → (..., n) float32, through the kernel."""
    rows = math.prod(x.shape[:-1])
    flat = jnp.reshape(x.astype(jnp.float32), (rows, x.shape[-1]))
    out = jax.ffi.ffi_call(TARGET, jax.ShapeDtypeStruct((rows, packed.shape[0] * TILE), jnp.float32))(flat, packed)
    return jnp.reshape(out[:, :n], (*x.shape[:-1], n))


@contextlib.contextmanager
def packed_weights(weights):
    """While tracing inside it, the matrices in ``weights`` ({variable path: packed array}) are multiplied
    by ``matmul`` where ``packed_for`` finds them."""
    token = _scope.set(weights)
    try:
        yield
    finally:
        _scope.reset(token)


def packed_for(variable):
    """The packed copy of ``variable`` (a Keras variable) in the active ``packed_weights`` scope, or None."""
    weights = _scope.get()
    return weights.get(getattr(variable, "path", None)) if weights else None
