"""lmdemo's and evals' own error messages in the visitor's language.

The libraries raise ValueError in English, each message naming the argument and the value (their
tests pin the wording). The app shows them on a Chinese page in Chinese: `MESSAGES` holds one pattern
per message a visitor can reach from a tab (a dataset that lacks a column, a Hub id that does not
exist, a sampler setting out of range, ...) with its Chinese template, filled with the pattern's named
groups. A message no pattern matches is shown in English after a Chinese note (``err_library``), never
dropped. ``tests/lmdemo_app/test_library_messages.py`` raises each real message and checks it is
translated, so a change of wording in lmdemo or evals fails a test instead of falling back silently.
"""

import re

from lmdemo_app.i18n import current_language, text

QUOTED = r"'[^']*'"

# the RULE of "NAME must be RULE, received NAME=VALUE" (lmdemo's and evals' argument checks)
RULES = [
    (r"in (?P<range>[\[(].*[\])])", "在 {range} 范围内"),
    (r"one of (?P<choices>.+)", "为 {choices} 之一"),
    (r"an int ≥ (?P<low>\S+)", "为不小于 {low} 的整数"),
    (r"an int in (?P<range>\[.*\])", "为 {range} 内的整数"),
    (r"a finite number > (?P<low>\S+)", "为大于 {low} 的有限数"),
    (r"a whole number in (?P<range>\[.*\])", "为 {range} 内的整数"),
]

DATASET = rf"dataset (?P<file>{QUOTED})"
HUB_ID = rf"(?P<id>{QUOTED})"

MESSAGES = [
    # argument checks: samplers, generation, tasks
    (r"(?P<name>\w+) must be (?P<rule>.+?),? received (?P=name)=(?P<value>.+)", "{name} 必须{rule}，收到 {name}={value}"),
    # datasets (evals.datasets): the Evaluate tab's uploads
    (rf"{DATASET}: missing column (?P<column>{QUOTED}) \((?P<key>\w+)={QUOTED}\); columns are (?P<columns>\[.*\])",
     "数据集 {file} 没有列 {column}（{key}={column}）；它的列为 {columns}"),
    (rf"{DATASET}: row (?P<row>\d+), column (?P<column>{QUOTED}): missing value \(NaN\)",
     "数据集 {file} 第 {row} 行、列 {column}：缺少值（NaN）"),
    (rf"{DATASET}: the file is empty", "数据集 {file}：文件是空的"),
    (rf"{DATASET}: the file has a header but no data rows", "数据集 {file}：只有表头，没有数据行"),
    (rf"{DATASET}: not valid UTF-8: byte (?P<byte>.+) at byte offset (?P<offset>\d+) \(line (?P<line>\d+)\)"
     r"(?: of the decompressed data)?",
     "数据集 {file} 不是有效的 UTF-8 文本：第 {line} 行（字节偏移 {offset}）的字节 {byte}"),
    (rf"{DATASET}: cannot parse as (?P<format>\w+): (?P<detail>.+)", "数据集 {file} 无法按 {format} 解析：{detail}"),
    (rf"{DATASET}: row (?P<row>\d+): not valid JSON: (?P<detail>.+)", "数据集 {file} 第 {row} 行不是有效的 JSON：{detail}"),
    (rf"{DATASET}: row (?P<row>\d+): expected a JSON object, received (?P<type>\w+)",
     "数据集 {file} 第 {row} 行应为 JSON 对象，收到的是 {type}"),
    (rf"{DATASET}: not a valid gzip file: (?P<detail>.+)", "数据集 {file} 不是有效的 gzip 文件：{detail}"),
    # Hugging Face Hub ids (lmdemo.storage.hub): typed into a model box
    (rf"{HUB_ID} is not a Hugging Face model id: write hf:NAME or hf:OWNER/NAME, e\.g\. (?P<example>\S+)",
     "{id} 不是 Hugging Face 模型名：请写成 hf:NAME 或 hf:OWNER/NAME，例如 {example}"),
    (rf"{HUB_ID} cannot be downloaded: this machine cannot reach the Hugging Face Hub and the model is not in the "
     r"local cache", "{id} 无法下载：本机连不上 Hugging Face Hub，本地缓存里也没有这个模型"),
    (rf"{HUB_ID}: the Hugging Face Hub has no model (?P<repo>{QUOTED}) \(or it is private\)",
     "{id}：Hugging Face Hub 上没有模型 {repo}（或它是私有的）"),
    (rf"{HUB_ID}: the model has no revision (?P<revision>{QUOTED})", "{id}：这个模型没有版本 {revision}"),
    (rf"{HUB_ID} is gated on the Hugging Face Hub: accept its terms there and log in \(`hf auth login`\)",
     "{id} 在 Hugging Face Hub 上需要授权：请先在那里接受其条款并登录（`hf auth login`）"),
    (rf"{HUB_ID} has no config\.json: not a model lmdemo can read", "{id} 没有 config.json：lmdemo 读不了这个模型"),
    (rf"{HUB_ID}: its config\.json cannot be read", "{id}：无法读取它的 config.json"),
    (rf"{HUB_ID} cannot be downloaded: the Hugging Face Hub cannot be reached, or the cache cannot be written",
     "{id} 无法下载：连不上 Hugging Face Hub，或缓存无法写入"),
    (rf"{HUB_ID} cannot be downloaded from the Hugging Face Hub: (?P<detail>.+)",
     "{id} 无法从 Hugging Face Hub 下载：{detail}"),
    # harness runs (evals.harness): the message of the model or data step comes after the run's name
    (rf"run (?P<run>{QUOTED}): model=(?P<model>{QUOTED}): (?P<message>.+)", "运行 {run}，model={model}：{message}"),
]

_RULES = [(re.compile(pattern), template) for pattern, template in RULES]
_MESSAGES = [(re.compile(pattern, re.DOTALL), template) for pattern, template in MESSAGES]


def translate(message, language=None):
    """``message`` in ``language`` (default: the handler's); None when no pattern matches it."""
    language = current_language() if language is None else language
    if language == "en":
        return message
    for pattern, template in _MESSAGES:
        match = pattern.fullmatch(message)
        if match is None:
            continue
        values = match.groupdict()
        if "rule" in values:
            values["rule"] = next((t.format(**m.groupdict()) for p, t in _RULES if (m := p.fullmatch(values["rule"]))),
                                  None)
            if values["rule"] is None:
                return None
        if "message" in values:
            values["message"] = translate(values["message"], language)
            if values["message"] is None:
                return None
        return template.format(**values)
    return None


def library_text(message):
    """What the visitor reads for lmdemo's or evals' ``message``: translated, or in English after a note."""
    translated = translate(message)
    return translated if translated is not None else text("err_library", message=message)
