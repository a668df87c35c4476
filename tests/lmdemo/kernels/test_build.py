import ctypes

import pytest

from lmdemo.kernels import build


@pytest.fixture
def cache(monkeypatch, tmp_path):
    monkeypatch.setenv("LMDEMO_KERNEL_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_source_is_compiled_once_and_then_read_from_the_cache(cache, tmp_path):
    source = tmp_path / "twice.cc"
    source.write_text('extern "C" int twice(int x) { return 2 * x; }\n')
    library = build.compiled(source)
    assert library.parent == cache and library.name.startswith("twice-") and library.suffix == ".so"
    assert ctypes.cdll.LoadLibrary(str(library)).twice(21) == 42
    stamp = library.stat().st_mtime_ns
    assert build.compiled(source) == library and library.stat().st_mtime_ns == stamp
    source.write_text('extern "C" int twice(int x) { return x + x; }\n')  # a new source: a new library
    assert build.compiled(source) != library


def test_a_missing_compiler_is_named(cache, tmp_path, monkeypatch):
    source = tmp_path / "k.cc"
    source.write_text("int f() { return 0; }\n")
    monkeypatch.setenv("CXX", "no-such-compiler")
    with pytest.raises(build.KernelUnavailable, match=r"kernel k.cc needs a C\+\+ compiler \(CXX='no-such-compiler' "
                                                      r"was not found\)"):
        build.compiled(source)


def test_a_failed_compilation_says_so_and_leaves_no_library(cache, tmp_path):
    source = tmp_path / "broken.cc"
    source.write_text("this is not C++\n")
    with pytest.raises(build.KernelUnavailable, match="compiling lmdemo's kernel broken.cc with .* failed: .*error"):
        build.compiled(source)
    assert not list(cache.glob("*.so"))


def test_a_library_the_system_will_not_load_is_refused_by_name(cache, tmp_path, monkeypatch):
    source = tmp_path / "k.cc"
    source.write_text('extern "C" int f() { return 0; }\n')
    library = build.compiled(source)
    library.write_bytes(b"not a shared library")  # as a folder mounted noexec would refuse it
    with pytest.raises(build.KernelUnavailable, match=r"kernel k.cc was compiled but cannot be loaded: k-[0-9a-f]+\.so"):
        build.load_library(source)


def test_a_missing_source_is_named(cache, tmp_path):
    with pytest.raises(build.KernelUnavailable, match="kernel source gone.cc is missing from this installation"):
        build.compiled(tmp_path / "gone.cc")
