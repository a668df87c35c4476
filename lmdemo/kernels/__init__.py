"""Hand-written CPU kernels for what XLA:CPU does slowly (compiled on first use, called through XLA's FFI)."""
