"""One vocabulary for the whole project: the tasks, the model kinds, the shipped models, and ``load_model``.

The pipeline, the CLI, the evaluation harness and the app all read these tables; nothing else
lists tasks or kinds.

A **task** is what a user wants done (``"lm"``, ``"translation"``, ``"summarization"``,
``"sentiment"``, ``"ner"``, ``"poem"``); a **kind** is how a checkpoint is built (``"transformer"``, ``"encoder-decoder"``,
...). A checkpoint's ``config.json`` records both: the two encoder–decoders share a kind and differ
in their task.
"""

import dataclasses
import os

from lmdemo.storage.checkpoint import read_checkpoint_config
from lmdemo.storage.hf_checkpoint import is_hf_folder, load_hf_model, read_gpt2_tokenizer, read_hf_config
from lmdemo.storage.hub import hub_folder, is_hub_id

MODELS_DIR = os.environ.get("LMDEMO_MODELS_DIR") or os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "models")


@dataclasses.dataclass(frozen=True)
class Task:
    """What one task is called, which model kinds do it, and which data columns it reads.

    Column names are tried in order and the first one a file has is read; an int stands for the
    file's column at that position (translation files name their languages, ``english\\tspanish``).
    """

    name: str
    aliases: tuple  # other names the pipeline accepts (Hugging Face's task names)
    kinds: tuple  # the model kinds that can do it
    default_model: str  # the shipped model used when none is named
    input_columns: tuple  # the input text's column: the default name first, then names well-known datasets use
    target_columns: tuple  # the reference text's or label's column (empty for lm)
    output_key: str = None  # the key of a pipeline result's text (None: sentiment gives a label)

    def column(self, role, available):
        """The column a file with ``available`` columns holds for ``role`` (``"input"`` or ``"target"``):
        the first candidate it has, else the default name (so that a refusal names it)."""
        candidates = self.input_columns if role == "input" else self.target_columns
        for candidate in candidates:
            if isinstance(candidate, int):
                if len(available) > candidate:
                    return list(available)[candidate]
            elif candidate in available:
                return candidate
        return candidates[0] if candidates else None


LM_KINDS = ("transformer", "lstm", "rnn", "ngram")
# the tasks of language models: a poem model (trained on poem records) continues any text as well, so it
# serves "lm" too; a plain language model writes no poems
LM_TASKS = ("lm", "poem")
TASKS = {
    "lm": Task("lm", ("text-generation",), LM_KINDS, "shakespeare-char", ("text",), (), "generated_text"),
    "translation": Task("translation", ("translation_en_to_es",), ("encoder-decoder",), "en-es-translation",
                        ("source", 0), ("reference", 1), "translation_text"),
    "summarization": Task("summarization", (), ("encoder-decoder",), "samsum-summarization", ("document", "dialogue"),
                          ("summary",), "summary_text"),
    "sentiment": Task("sentiment", ("sentiment-analysis", "text-classification"), ("classifier",), "sst2-sentiment",
                      ("text", "sentence"), ("label",)),
    "ner": Task("ner", ("token-classification",), ("tagger",), "pii-ner", ("text",), ("entities",)),
    # a poem's title in, a poem out; the form asked comes from a "form" column or a reference poem's form
    "poem": Task("poem", ("poem-generation",), LM_KINDS, "tang-poems-char", ("title",), ("form", "poem"), "poem"),
}
# what ``python -m lmdemo train-task`` trains: the three application tasks, and masked-lm, the pre-training
# of an encoder that a sentiment model starts from (not a task a pipeline serves)
TRAIN_TASKS = ("translation", "summarization", "sentiment", "masked-lm", "ner")
# the task a checkpoint of each kind does when its config.json does not say (checkpoints written before
# it did); an encoder-decoder's task must be recorded, as both of its tasks share the kind
KIND_TASKS = {**{kind: "lm" for kind in LM_KINDS}, "classifier": "sentiment", "tagger": "ner", "encoder-decoder": None,
              "masked-lm": None}


def canonical_task(task):
    """The registry's name of ``task`` (aliases accepted); ValueError naming the choices otherwise."""
    for name, spec in TASKS.items():
        if task == name or task in spec.aliases:
            return name
    names = sorted(list(TASKS) + [a for spec in TASKS.values() for a in spec.aliases])
    raise ValueError(f"unknown task={task!r}; choose one of {names}")


def model_classes():
    """{kind: the class that loads it}, for every kind a checkpoint can hold."""
    from lmdemo.lm import LSTMLM, RNNLM, NGramLM, TransformerLM
    from lmdemo.tasks import MaskedLMModel, SentimentModel, Seq2SeqModel, TaggerModel

    return {cls.kind: cls for cls in (TransformerLM, LSTMLM, RNNLM, NGramLM, Seq2SeqModel, SentimentModel,
                                     MaskedLMModel, TaggerModel)}


# name → what it is (the card in models/NAME/README.md has the numbers)
SHIPPED = {
    "shakespeare-char": "character-level GPT trained on tinyshakespeare",
    "shakespeare-lstm": "character-level LSTM trained on tinyshakespeare",
    "shakespeare-rnn": "character-level Elman RNN trained on tinyshakespeare",
    "shakespeare-5gram": "character 5-gram (Kneser-Ney) counted on tinyshakespeare",
    "ptb-transformer": "word-level GPT trained on Penn Treebank",
    "ptb-lstm": "word-level LSTM trained on Penn Treebank",
    "ptb-5gram": "word 5-gram (Kneser-Ney) counted on Penn Treebank",
    "sst2-sentiment": "sentiment classifier (Transformer encoder × n-gram expert) trained on SST-2",
    "en-es-translation": "English→Spanish encoder–decoder Transformer trained on Tatoeba pairs",
    "en-zh-translation": "English→Chinese encoder–decoder Transformer trained on Tatoeba pairs",
    "samsum-summarization": "dialogue summarizer (encoder–decoder Transformer) trained on SAMSum",
    "pii-ner": "PII tagger (person names, street addresses) trained on synthetic and weakly labelled text",
    "tang-poems-char": "character-level GPT that writes regulated Tang verse (絕句, 律詩) to a title",
}


def available_models():
    """Shipped model names whose checkpoint is present."""
    return [n for n in SHIPPED if os.path.isfile(os.path.join(MODELS_DIR, n, "config.json"))]


def model_path(name_or_path):
    """The checkpoint folder of a shipped name, a folder path or a Hub id (``hf:owner/name``, downloaded when
    needed); ValueError when it is none of them."""
    if not isinstance(name_or_path, (str, os.PathLike)) or not str(name_or_path):
        raise ValueError(f"name_or_path must be a model name or a checkpoint folder, received {name_or_path!r}")
    path = str(name_or_path)
    if is_hub_id(path):
        return hub_folder(path)
    if path in SHIPPED:
        path = os.path.join(MODELS_DIR, path)
        if not os.path.isdir(path):
            raise ValueError(f"shipped model {name_or_path!r} is missing from {MODELS_DIR!r}")
    elif not os.path.isdir(path):
        raise ValueError(
            f"unknown model {name_or_path!r}: not a shipped model ({', '.join(SHIPPED)}), not a checkpoint folder "
            f"and not a Hugging Face id (hf:OWNER/NAME)")
    return path


def _hf_info(path):
    """The ``read_checkpoint_config`` answer for a Hugging Face folder: GPT-2 is a transformer language model,
    BERT a sentiment classifier (unsupported model types are refused by name)."""
    kind, task = {"gpt2": ("transformer", "lm"), "bert": ("classifier", "sentiment")}[read_hf_config(path)["model_type"]]
    return {"kind": kind, "task": task, "config": None, "encryption": None}


def _info(path):
    return _hf_info(path) if is_hf_folder(path) else read_checkpoint_config(path)


def config_task(info):
    """The task of a checkpoint whose parsed ``config.json`` is ``info``: the one it records, else its kind's."""
    return info.get("task") or KIND_TASKS.get(info["kind"])


def checkpoint_task(name_or_path):
    """The task the checkpoint does, from its ``config.json`` alone (no weights are read); None if unknown."""
    return config_task(_info(model_path(name_or_path)))


def load_model_tokenizer(name_or_path, key=None, passphrase=None):
    """The tokenizer of a shipped model or checkpoint folder, without loading its weights.

    An encrypted checkpoint's tokenizer is authenticated and decrypted with ``key`` or ``passphrase``
    (or the environment variables), as ``load_model`` does.
    """
    from lmdemo.storage.checkpoint import TOKENIZER_FILE, opened
    from lmdemo.tokenizers import load_tokenizer

    path = model_path(name_or_path)
    if is_hf_folder(path):
        if read_hf_config(path)["model_type"] == "bert":
            from lmdemo.storage.hf_bert import read_bert_tokenizer

            return read_bert_tokenizer(path)
        return read_gpt2_tokenizer(path)
    kind = read_checkpoint_config(path)["kind"]
    with opened(path, kind, files=(TOKENIZER_FILE,), key=key, passphrase=passphrase) as (_, folder, _):
        return load_tokenizer(os.path.join(folder, TOKENIZER_FILE))


def load_model(name_or_path, key=None, passphrase=None):
    """Load a shipped model by name (``"shakespeare-char"``), any checkpoint folder, or a Hugging Face model.

    Args:
        name_or_path: a shipped name, a checkpoint folder, a Hugging Face model folder (``config.json``,
            ``model.safetensors``, tokenizer files: GPT-2) or a Hub id ``"hf:openai-community/gpt2"``
            (downloaded into the Hugging Face cache when needed).
        key, passphrase: for encrypted checkpoints (else read from ``$LMDEMO_CHECKPOINT_KEY`` /
            ``$LMDEMO_CHECKPOINT_PASSPHRASE``).

    Raises:
        ValueError: neither a shipped name nor a checkpoint folder, or the checkpoint is corrupt.
    """
    path = model_path(name_or_path)
    if is_hf_folder(path):
        return load_hf_model(path, source=str(name_or_path))
    kind = read_checkpoint_config(path)["kind"]
    classes = model_classes()
    if kind not in classes:
        raise ValueError(f"checkpoint {path!r} has unknown model kind={kind!r}; known: {sorted(classes)}")
    return classes[kind].load(path, key=key, passphrase=passphrase)
