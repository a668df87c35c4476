"""Reading text (lmdemo/data/text.py): UTF-8 checks, gzip, the validation split, Hugging Face sources."""

import gzip

import pytest

from lmdemo.data.text import load_text, read_text, split_text


def test_read_text_errors(tmp_path):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("café".encode("latin-1"))
    with pytest.raises(ValueError, match="is not UTF-8: invalid byte 0xe9 at offset 3"):
        read_text(str(latin1))
    binary = tmp_path / "bin.dat"
    binary.write_bytes(b"\x00\x01\x02abc")
    with pytest.raises(ValueError, match="looks binary"):
        read_text(str(binary))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(ValueError, match="is empty"):
        read_text(str(empty))
    with pytest.raises(ValueError, match="data file not found"):
        read_text(str(tmp_path / "nope.txt"))


def test_read_gzip(tmp_path):
    path = tmp_path / "t.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("床前明月光")
    assert read_text(str(path)) == "床前明月光"


def test_split_text():
    assert split_text("abcdefghij", 0.2) == ("abcdefgh", "ij")


@pytest.mark.slow
def test_hf_source_errors_clearly_offline():
    with pytest.raises(ValueError, match="could not load the Hugging Face dataset|needs the `datasets` package"):
        load_text("hf:this-dataset/does-not-exist-anywhere")
