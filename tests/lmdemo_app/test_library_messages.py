"""lmdemo's and evals' messages in Chinese (lmdemo_app/library_messages.py): each message is raised by the
library itself, so a change of its wording fails here instead of falling back to English silently."""

import httpx
import pytest
from huggingface_hub.errors import (EntryNotFoundError, GatedRepoError, HfHubHTTPError, LocalEntryNotFoundError,
                                    RepositoryNotFoundError, RevisionNotFoundError)

from evals.datasets import column_values, read_local
from lmdemo.generation.samplers import make_sampler
from lmdemo.storage.hub import _fetch, hub_config, parse_hub_id
from lmdemo_app.library_messages import library_text, translate


def message_of(call, *args, **kwargs):
    with pytest.raises(ValueError) as raised:
        call(*args, **kwargs)
    return str(raised.value)


def zh(message):
    translated = translate(message, "zh")
    assert translated is not None, message
    return translated


@pytest.mark.parametrize("settings, chinese", [
    (dict(sampler="top_p", top_p=0), "top_p 必须在 (0, 1] 范围内，收到 top_p=0"),
    (dict(sampler="top_k", top_k=0), "top_k 必须为不小于 1 的整数，收到 top_k=0"),
    (dict(sampler="temperature", temperature=0.0), "temperature 必须为大于 0 的有限数，收到 temperature=0.0"),
    (dict(sampler="beam", num_beams=99), "num_beams 必须为 [1, 16] 内的整数，收到 num_beams=99"),
    (dict(sampler="nucleus"), "sampler 必须为 ['beam', 'greedy', 'temperature', 'top_k', 'top_p'] 之一，"
                              "收到 sampler='nucleus'"),
])
def test_sampler_settings(settings, chinese):
    assert zh(message_of(make_sampler, **settings)) == chinese


def write(path, data):
    path.write_bytes(data)
    return str(path)


def test_dataset_files(tmp_path):
    import pandas as pd

    cases = [
        ("e.csv", b"", "数据集 '{p}'：文件是空的"),
        ("h.csv", b"text,label\n", "数据集 '{p}'：只有表头，没有数据行"),
        ("u.csv", b"text\n\xff\xfe\n", "数据集 '{p}' 不是有效的 UTF-8 文本：第 2 行（字节偏移 5）的字节 b'\\xff'"),
        ("j.jsonl", b'{"text": 1}\n{oops\n', "数据集 '{p}' 第 2 行不是有效的 JSON："),
        ("l.jsonl", b'[1, 2]\n', "数据集 '{p}' 第 1 行应为 JSON 对象，收到的是 list"),
        ("g.csv.gz", b"not gzip", "数据集 '{p}' 不是有效的 gzip 文件："),
    ]
    for name, data, chinese in cases:
        path = write(tmp_path / name, data)
        assert zh(message_of(read_local, path)).startswith(chinese.format(p=path)), name
    frame = pd.DataFrame({"text": ["a", None]})
    assert zh(message_of(column_values, frame, "label", "d.csv", "label_column")) == \
        "数据集 'd.csv' 没有列 'label'（label_column='label'）；它的列为 ['text']"
    assert zh(message_of(column_values, frame, "text", "d.csv", "text_column")) == \
        "数据集 'd.csv' 第 2 行、列 'text'：缺少值（NaN）"


def hub_error(cls):
    if cls in (EntryNotFoundError, LocalEntryNotFoundError):
        return cls("not found")
    return cls("refused", response=httpx.Response(404, request=httpx.Request("GET", "https://huggingface.co/a/b")))


@pytest.mark.parametrize("error, chinese", [
    (GatedRepoError, "'hf:a/b@v1' 在 Hugging Face Hub 上需要授权：请先在那里接受其条款并登录（`hf auth login`）"),
    (RepositoryNotFoundError, "'hf:a/b@v1'：Hugging Face Hub 上没有模型 'a/b'（或它是私有的）"),
    (RevisionNotFoundError, "'hf:a/b@v1'：这个模型没有版本 'v1'"),
    (EntryNotFoundError, "'hf:a/b@v1' 没有 config.json：lmdemo 读不了这个模型"),
    (HfHubHTTPError, "'hf:a/b@v1' 无法从 Hugging Face Hub 下载：refused"),
    (LocalEntryNotFoundError, "'hf:a/b@v1' 无法下载：本机连不上 Hugging Face Hub，本地缓存里也没有这个模型"),
    (OSError, "'hf:a/b@v1' 无法下载：连不上 Hugging Face Hub，或缓存无法写入"),
])
def test_hub_errors(error, chinese):
    exc = hub_error(error) if error is not OSError else OSError("disk full")

    def download():
        raise exc

    assert zh(message_of(_fetch, "hf:a/b@v1", download)) == chinese


def test_hub_ids_offline():
    assert zh(message_of(parse_hub_id, "hf:../../etc")) == \
        "'hf:../../etc' 不是 Hugging Face 模型名：请写成 hf:NAME 或 hf:OWNER/NAME，例如 hf:openai-community/gpt2"
    assert zh(message_of(hub_config, "hf:lmdemo-tests/absent")).startswith("'hf:lmdemo-tests/absent' 无法下载")


def test_a_harness_run_wraps_the_message_it_translates():
    inner = message_of(make_sampler, sampler="top_p", top_p=0)
    assert zh(f"run 'app-lm': model='m': {inner}") == "运行 'app-lm'，model='m'：top_p 必须在 (0, 1] 范围内，收到 top_p=0"


def test_an_unknown_message_stays_in_english_after_a_note():
    from lmdemo_app.i18n import use_language

    assert translate("something new went wrong", "zh") is None
    assert translate("something new went wrong", "en") == "something new went wrong"
    use_language("zh")
    try:
        assert library_text("something new went wrong") == "输入有误（以下为英文原文）：something new went wrong"
        assert library_text("run 'x': model='m': something new") == \
            "输入有误（以下为英文原文）：run 'x': model='m': something new"
    finally:
        use_language("en")
    assert library_text("something new went wrong") == "something new went wrong"
