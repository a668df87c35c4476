import gzip

import pytest

from lmdemo.data.poems import MAX_TITLE_CHARS, clean_title, poem_prompt, poem_record, poems_text, read_poems

QUATRAIN = "床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。"


def test_poem_record_and_prompt_agree():
    record = poem_record("靜夜思", QUATRAIN)
    assert record == "五言絕句《靜夜思》" + QUATRAIN + "\n"
    assert ("\n" + record).startswith(poem_prompt("靜夜思", "五言絕句"))


def test_poem_record_collapses_mark_runs_and_skips_free_verse():
    assert poem_record("題", QUATRAIN[:-1] + "。。") == "五言絕句《題》" + QUATRAIN + "\n"
    assert poem_record("題", "床前明月光，疑是地上霜。") is None


def test_clean_title():
    assert clean_title(" 酒中十詠\t酒樽 ") == "酒中十詠 酒樽"
    assert clean_title("讀《離騷》") == "讀〈離騷〉"
    with pytest.raises(ValueError, match="title is empty"):
        clean_title("  ")
    with pytest.raises(ValueError, match=f"title has 65 characters; the limit is {MAX_TITLE_CHARS}"):
        clean_title("長" * 65)
    assert clean_title("長" * 65, cut=True) == "長" * MAX_TITLE_CHARS


def test_poems_text_from_a_tsv(tmp_path):
    path = tmp_path / "poems.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("title\tpoem\n靜夜思\t" + QUATRAIN + "\n散句\t床前明月光。\n\t" + QUATRAIN + "\n")
    text, kept, skipped = poems_text(str(path))
    assert (kept, skipped) == (2, 1)
    assert text == "五言絕句《靜夜思》" + QUATRAIN + "\n五言絕句《無題》" + QUATRAIN + "\n"


def test_read_poems_names_a_missing_column(tmp_path):
    path = tmp_path / "poems.tsv"
    path.write_text("name\tpoem\na\tb\n", encoding="utf-8")
    with pytest.raises(ValueError, match="has no column 'title'"):
        read_poems(str(path))
