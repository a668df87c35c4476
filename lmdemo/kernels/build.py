"""Compiling a kernel's C++ file on first use, once per source, JAX version and machine.

The library goes to ``$LMDEMO_KERNEL_CACHE`` (default ``~/.cache/lmdemo/kernels``, the temporary folder when
that cannot be written), built with the machine's C++ compiler (``$CXX``, else ``c++``, ``g++`` or ``clang++``)
with ``-O3 -march=native``: the loops are plain C++ that the compiler vectorizes for the CPU it runs on.
"""

import ctypes
import hashlib
import os
import platform
import shutil
import subprocess
import tempfile
from pathlib import Path

import jax

COMPILE_FLAGS = ("-O3", "-march=native", "-ffp-contract=fast", "-std=c++17", "-shared", "-fPIC")


class KernelUnavailable(ValueError):
    """A kernel cannot run here: no C++ compiler, or its compilation failed (a ValueError, as every refused
    argument in lmdemo, so the CLI and the app show its message)."""


def cache_dir():
    return Path(os.environ.get("LMDEMO_KERNEL_CACHE") or Path.home() / ".cache" / "lmdemo" / "kernels")


def compiled(source, flags=()):
    """The path of the shared library built from ``source`` (a .cc file) with ``COMPILE_FLAGS`` and ``flags``,
    compiling it if needed.

    Raises:
        KernelUnavailable: no C++ compiler, or the compilation failed (the message quotes its errors).
    """
    source = Path(source)
    if not source.is_file():
        raise KernelUnavailable(f"lmdemo's kernel source {source.name} is missing from this installation")
    key = hashlib.sha256(source.read_bytes() + " ".join(
        (*COMPILE_FLAGS, *flags, jax.__version__, platform.machine(), platform.node())).encode()).hexdigest()[:16]
    name = f"{source.stem}-{key}.so"
    for folder in (cache_dir(), Path(tempfile.gettempdir()) / "lmdemo-kernels"):
        library = folder / name
        if library.exists():
            return library
        try:
            _compile(source, library, flags)
            return library
        except OSError:  # a read-only home (some Spaces): the temporary folder next
            continue
    raise KernelUnavailable(f"lmdemo's kernel {source.name} could not be written to its cache folder "
                            "($LMDEMO_KERNEL_CACHE) or the temporary folder")


def load_library(source, flags=()):
    """``ctypes.CDLL`` of the library ``compiled(source, flags)``.

    Raises:
        KernelUnavailable: it cannot be compiled, or the system refuses to load it (a temporary folder mounted
            without the right to run code, say).
    """
    library = compiled(source, flags)
    try:
        return ctypes.CDLL(str(library))
    except OSError as error:
        raise KernelUnavailable(f"lmdemo's kernel {Path(source).name} was compiled but cannot be loaded: "
                                f"{str(error).replace(str(library), library.name)}") from None


def _compile(source, library, flags):
    named = os.environ.get("CXX")
    compiler = shutil.which(named) if named else (shutil.which("c++") or shutil.which("g++") or shutil.which("clang++"))
    if compiler is None:
        raise KernelUnavailable(f"lmdemo's kernel {source.name} needs a C++ compiler ("
                                + (f"CXX={named!r} was not found" if named else "none found: install g++ or set CXX")
                                + ")")
    library.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=library.parent) as tmp:
        built = Path(tmp) / library.name
        command = [compiler, *COMPILE_FLAGS, *flags, f"-I{jax.ffi.include_dir()}", str(source), "-o", str(built)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            errors = [line for line in result.stderr.splitlines() if "error" in line][:3]
            raise KernelUnavailable(f"compiling lmdemo's kernel {source.name} with {compiler} failed: "
                                    + ("; ".join(errors) or f"exit status {result.returncode}"))
        os.replace(built, library)  # whole or not at all: another process may be loading it
