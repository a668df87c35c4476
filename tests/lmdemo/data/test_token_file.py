"""Token folders (lmdemo/data/token_file.py): a text tokenized once, streamed in chunks, read back memory-mapped."""

import json
import os

import numpy as np
import pytest

from lmdemo.data.token_file import file_chunks, is_token_folder, prepare_token_folder, read_token_folder
from tests.conftest import TOY_TEXT


@pytest.fixture
def toy_file(tmp_path):
    path = tmp_path / "toy.txt"
    path.write_text(TOY_TEXT, encoding="utf-8")
    return str(path)


def test_chunks_join_to_the_text_and_never_split_a_word_or_a_character(tmp_path):
    text = "生存还是毁灭 to be or not to be\n" * 50 + "the end"
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    chunks = list(file_chunks(str(path), chunk_bytes=7))
    assert "".join(chunks) == text and len(chunks) > 50
    assert all(c[-1] in " \n" for c in chunks[:-1])


def test_a_folder_holds_the_ids_its_tokenizer_gives(tmp_path, toy_file):
    meta = prepare_token_folder(toy_file, str(tmp_path / "tokens"), val_fraction=0.1)
    assert is_token_folder(str(tmp_path / "tokens")) and not is_token_folder(toy_file)
    tok, train, val, read_meta = read_token_folder(str(tmp_path / "tokens"))
    assert read_meta == meta and isinstance(train, np.memmap) and train.dtype == np.uint16
    ids = tok.encode(TOY_TEXT)
    assert meta["tokens"] == len(ids) == meta["chars"] == len(TOY_TEXT)
    assert meta["val_start"] == int(len(ids) * 0.9) and meta["unknown_tokens"] == 0
    np.testing.assert_array_equal(np.concatenate([train, val]), ids)


def test_max_chars_stops_early_and_unseen_characters_are_counted(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("abc abc abc " * 100 + "xyz " * 10, encoding="utf-8")
    meta = prepare_token_folder(str(path), str(tmp_path / "a"), sample_chars=50, val_fraction=0.0)
    assert meta["unknown_tokens"] == 30 and meta["val_start"] == meta["tokens"]  # x, y, z came after the sample
    assert read_token_folder(str(tmp_path / "a"))[2] is None
    assert prepare_token_folder(str(path), str(tmp_path / "b"), max_chars=100)["chars"] == 100


@pytest.mark.parametrize("content, message", [
    (b"caf\xe9 au lait", "is not UTF-8: invalid byte at offset 3"),
    (b"\x00\x01\x02binary", "looks binary"),
])
def test_bad_files_are_named(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        prepare_token_folder(str(path), str(tmp_path / "out"))


def test_arguments_are_checked(tmp_path, toy_file):
    with pytest.raises(ValueError, match="val_fraction must be in \\[0, 0.5\\)"):
        prepare_token_folder(toy_file, str(tmp_path / "o"), val_fraction=0.5)
    with pytest.raises(ValueError, match="max_chars must be a positive int or None"):
        prepare_token_folder(toy_file, str(tmp_path / "o"), max_chars=0)
    with pytest.raises(ValueError, match="is not a token folder"):
        read_token_folder(str(tmp_path))


def test_a_truncated_token_file_is_refused(tmp_path, toy_file):
    folder = tmp_path / "tokens"
    prepare_token_folder(toy_file, str(folder))
    data = (folder / "tokens.bin").read_bytes()
    (folder / "tokens.bin").write_bytes(data[:-10])
    with pytest.raises(ValueError, match="tokens.bin holds .* tokens and tokens.json says"):
        read_token_folder(str(folder))


def test_a_hub_dataset_streams_from_a_local_folder_laid_out_as_the_hub(tmp_path):
    """``hf:NAME`` goes through ``datasets.load_dataset(NAME, streaming=True)``; a local folder with a data file
    stands in for the Hub here (no network)."""
    pytest.importorskip("datasets")
    repo = tmp_path / "owner" / "tiny-text"
    (repo / "data").mkdir(parents=True)
    rows = [{"text": line} for line in TOY_TEXT.splitlines() if line]
    with open(repo / "data" / "train.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in rows)
    meta = prepare_token_folder(f"hf:{repo}", str(tmp_path / "tokens"), val_fraction=0.1)
    tok, train, val, _ = read_token_folder(str(tmp_path / "tokens"))
    expected = "".join(r["text"] + "\n" for r in rows)
    assert meta["chars"] == len(expected)
    assert tok.decode(np.concatenate([train, val]).tolist()) == expected
    with pytest.raises(ValueError, match="has no column text_column='body'"):
        prepare_token_folder(f"hf:{repo}", str(tmp_path / "other"), text_column="body")


def test_training_from_a_token_folder_equals_training_from_the_text(tmp_path, toy_file):
    from lmdemo.training.lm_training import train_language_model
    from tests.lmdemo.training.conftest import TINY, toy_train_config

    prepare_token_folder(toy_file, str(tmp_path / "tokens"), val_fraction=0.1)
    runs = {}
    for name, data in (("text", toy_file), ("folder", str(tmp_path / "tokens"))):
        train_language_model(data, str(tmp_path / name), preset="tiny", model_overrides=TINY,
                             train_config=toy_train_config(steps=20, eval_interval=10), progress=False)
        with open(tmp_path / name / "metrics.json", encoding="utf-8") as f:
            runs[name] = json.load(f)
    losses = lambda run: [(r["step"], r["train_loss"], r["val_loss"]) for r in run["history"]]  # noqa: E731
    assert losses(runs["folder"]) == losses(runs["text"])  # same ids, same seed: the same run
    assert runs["folder"]["final_val_nats_per_token"] == pytest.approx(runs["text"]["val_loss_nats_per_token"])
    assert "val_nats_per_char" not in runs["folder"] and os.path.isfile(tmp_path / "folder" / "README.md")
    with pytest.raises(ValueError, match="is a token folder: it holds its own validation split"):
        train_language_model(str(tmp_path / "tokens"), str(tmp_path / "ngram"), model="ngram")
