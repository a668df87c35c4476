"""Hugging Face BERT checkpoints read into lmdemo's sentiment model (``SentimentModel``), no torch involved.

A ``BertForSequenceClassification`` folder (``config.json`` with ``model_type: "bert"``,
``model.safetensors``, ``tokenizer.json`` or ``vocab.txt``) becomes a classifier whose labels are
``id2label``'s; a plain ``BertModel`` (or the encoder of ``BertForPreTraining`` / ``BertForMaskedLM``)
becomes one with a new, untrained label head: the starting point of
``python -m lmdemo train-task sentiment --init-from FOLDER``. The arrays are copied into a
``TextClassifier`` built from lmdemo's layers with BERT's options (``EncoderConfig``):

    BERT (transformers)                           lmdemo (inside the TextClassifier)
    embeddings.word / position / token_type       encoder/embedding: token, position, segment tables
    embeddings.LayerNorm                          encoder/embedding_norm      (normalize_first=False)
    layer.i.attention.self.query / key / value    block_i/attention/query, key, value
    layer.i.attention.output.dense, .LayerNorm    block_i/attention/attention_output, attention_norm
    layer.i.intermediate.dense, output.dense      block_i/feed_forward/inner, output
    layer.i.output.LayerNorm                      block_i/feed_forward_norm
    pooler.dense (tanh, on [CLS])                 pooler                      (pooling="first")
    classifier                                    label_head

transformers' ``nn.Linear`` stores its weight as (out, in), the transpose of a Keras ``Dense``
kernel, so every weight matrix is transposed (GPT-2's ``Conv1D`` is not). Both split the width
into heads the same way: (batch, seq, heads · head_dim) → (batch, seq, heads, head_dim), so the
query/key/value kernels copy over as they are. ``hidden_act: "gelu"`` is the exact (erf) GELU,
lmdemo's ``"gelu_exact"``; ``layer_norm_eps`` is the LayerNorm epsilon; a single text is segment 0
(``token_type_ids`` 0) and reads ``[CLS] … [SEP]``.
"""

import json
import os
import warnings

import numpy as np

from lmdemo.storage.hf_checkpoint import GELU_TANH, assign, imported_card, read_safetensors

# transformers' hidden_act → lmdemo's feed-forward activation
ACTIVATIONS = {"gelu": "gelu_exact", "relu": "relu", **{name: "gelu" for name in GELU_TANH}}
_BUFFERS = ("embeddings.position_ids", "embeddings.token_type_ids")  # index tables some checkpoints store
_PRETRAINING_HEADS = "cls."  # BertForPreTraining / BertForMaskedLM: the masked-LM and next-sentence heads


def read_bert_tokenizer(folder):
    """A ``WordPieceTokenizer`` from ``tokenizer.json``, or from ``vocab.txt`` (lower-casing as
    ``tokenizer_config.json``'s ``do_lower_case`` says, default True); ValueError naming the file."""
    from lmdemo.tokenizers.wordpiece_tokenizer import WordPieceTokenizer

    path = os.path.join(folder, "tokenizer.json")
    if os.path.isfile(path):
        try:
            with open(path, encoding="utf-8") as f:
                return WordPieceTokenizer(f.read())
        except (OSError, UnicodeDecodeError, ValueError) as e:
            raise ValueError(f"cannot read {path!r}: {e}") from None
    vocab = os.path.join(folder, "vocab.txt")
    if not os.path.isfile(vocab):
        raise ValueError(f"no tokenizer in {folder!r}: a BERT checkpoint needs tokenizer.json or vocab.txt")
    options = _tokenizer_options(folder)
    try:
        with open(vocab, encoding="utf-8") as f:
            tokens = [line.rstrip("\n") for line in f]  # as transformers' load_vocab: one token a line
        return WordPieceTokenizer.from_vocab(tokens, **options)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise ValueError(f"cannot read {vocab!r}: {e}") from None


def _tokenizer_options(folder):
    path = os.path.join(folder, "tokenizer_config.json")
    config = {}
    if os.path.isfile(path):
        try:
            with open(path, encoding="utf-8") as f:
                config = json.load(f)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ValueError(f"cannot read {path!r}: {e}") from None
    if not isinstance(config, dict):
        raise ValueError(f"{path!r} is not a JSON object")
    return {"lowercase": bool(config.get("do_lower_case", True)), "strip_accents": config.get("strip_accents"),
            "split_chinese": bool(config.get("tokenize_chinese_chars", True))}


def bert_labels(hf, head=None):
    """The label names in id order: ``id2label``'s, else ``LABEL_0``, ``LABEL_1``, ... (transformers' names) for
    as many labels as the ``classifier`` weight ``head`` has (2 without one)."""
    if hf.get("problem_type") in ("regression", "multi_label_classification"):
        raise ValueError(f"config.json: problem_type={hf['problem_type']!r} is not supported; lmdemo's sentiment "
                         f"model gives one label (a softmax over the labels)")
    id2label = hf.get("id2label")
    if id2label:
        try:
            pairs = sorted((int(k), v) for k, v in id2label.items())
        except (AttributeError, TypeError, ValueError):
            raise ValueError(f"config.json: id2label must map the label ids 0, 1, ... to names, received "
                             f"{id2label!r:.200}") from None
        if [k for k, _ in pairs] != list(range(len(pairs))) or not all(isinstance(v, str) and v for _, v in pairs):
            raise ValueError(f"config.json: id2label must map the label ids 0, 1, ... to names, received "
                             f"{id2label!r:.200}")
        return tuple(v for _, v in pairs)
    count = int(head.shape[0]) if head is not None and head.ndim == 2 else 2
    return tuple(f"LABEL_{i}" for i in range(count))


def bert_config(hf, labels):
    """The ``ClassifierConfig`` of a BERT ``config.json`` (a dict); ValueError naming an unsupported key."""
    from lmdemo.config import ClassifierConfig

    activation = hf.get("hidden_act", "gelu")
    if activation not in ACTIVATIONS:
        raise ValueError(f"config.json: hidden_act={activation!r} is not supported; lmdemo has 'gelu' (exact, erf), "
                         f"the tanh GELU ({', '.join(GELU_TANH)}) and 'relu'")
    position = hf.get("position_embedding_type", "absolute")
    if position != "absolute":
        raise ValueError(f"config.json: position_embedding_type={position!r} is not supported; lmdemo's BERT has "
                         f"learned 'absolute' positions")
    for key in ("is_decoder", "add_cross_attention"):
        if hf.get(key):
            raise ValueError(f"config.json: {key}=true is not supported; lmdemo reads BERT as an encoder")
    try:
        width, heads = hf["hidden_size"], hf["num_attention_heads"]
        fields = dict(vocab_size=hf["vocab_size"], max_length=hf.get("max_position_embeddings", 512),
                      num_layers=hf["num_hidden_layers"], num_heads=heads, d_model=width,
                      hidden_dim=hf["intermediate_size"], activation=ACTIVATIONS[activation],
                      dropout=float(hf.get("hidden_dropout_prob", 0.1)),
                      layer_norm_epsilon=float(hf.get("layer_norm_eps", 1e-12)), normalize_first=False,
                      num_segments=hf.get("type_vocab_size", 2), labels=labels, pooling="first")
    except KeyError as e:
        raise ValueError(f"config.json has no {e.args[0]!r}, which a BERT config needs") from None
    except (TypeError, ValueError) as e:
        raise ValueError(f"config.json: hidden_dropout_prob and layer_norm_eps must be numbers ({e})") from None
    if isinstance(width, int) and isinstance(heads, int) and heads > 0 and width % heads:
        raise ValueError(f"config.json: hidden_size={width} is not divisible by num_attention_heads={heads}")
    try:
        return ClassifierConfig(**fields)
    except ValueError as e:  # names lmdemo's field: hidden_size is d_model, type_vocab_size num_segments, ...
        raise ValueError(f"config.json gives an encoder lmdemo cannot build: {e}") from None


def bert_weights(tensors, config):
    """{lmdemo variable path (inside the ``TextClassifier``): (checkpoint name, array)} from BERT's safetensors
    names (with or without ``bert.``, LayerNorms as ``weight``/``bias`` or the older ``gamma``/``beta``).

    The pooler and the label head are there only when the checkpoint has them. Raises ValueError naming a
    tensor that is missing, or one that this config's BERT does not have."""
    found = {}  # the name in lmdemo's terms → the name in the file
    for name in tensors:
        short = name[len("bert."):] if name.startswith("bert.") else name
        if short.endswith((".LayerNorm.gamma", ".LayerNorm.beta")):
            short = short.rsplit(".", 1)[0] + (".weight" if short.endswith("gamma") else ".bias")
        found[short] = name
    out, used = {}, set()

    def take(ours, theirs, transpose=False):
        if theirs not in found:
            raise ValueError(f"the weights have no {theirs!r} (nor 'bert.{theirs}'), which config.json implies")
        used.add(theirs)
        value = tensors[found[theirs]]
        out[ours] = (found[theirs], value.T if transpose else value)

    def dense(ours, theirs):
        take(ours + "/kernel", theirs + ".weight", transpose=True)  # (out, in) → (in, out)
        take(ours + "/bias", theirs + ".bias")

    def norm(ours, theirs):
        take(ours + "/gamma", theirs + ".weight")
        take(ours + "/beta", theirs + ".bias")

    take("encoder/embedding/token_embedding/embeddings", "embeddings.word_embeddings.weight")
    take("encoder/embedding/position_embedding/embeddings", "embeddings.position_embeddings.weight")
    take("encoder/embedding/segment_embedding/embeddings", "embeddings.token_type_embeddings.weight")
    norm("encoder/embedding_norm", "embeddings.LayerNorm")
    for i in range(config.num_layers):
        p, q = f"encoder.layer.{i}.", f"encoder/block_{i}/"
        for name in ("query", "key", "value"):
            dense(q + f"attention/{name}", p + f"attention.self.{name}")
        dense(q + "attention/attention_output", p + "attention.output.dense")
        norm(q + "attention_norm", p + "attention.output.LayerNorm")
        dense(q + "feed_forward/inner", p + "intermediate.dense")
        dense(q + "feed_forward/output", p + "output.dense")
        norm(q + "feed_forward_norm", p + "output.LayerNorm")
    if "pooler.dense.weight" in found or "pooler.dense.bias" in found:
        dense("pooler", "pooler.dense")
    if "classifier.weight" in found or "classifier.bias" in found:
        dense("label_head", "classifier")
    unknown = sorted(found[k] for k in found if k not in used and k not in _BUFFERS
                     and not k.startswith(_PRETRAINING_HEADS))
    if unknown:
        raise ValueError(f"the weights hold {len(unknown)} tensors this BERT (config.json: num_hidden_layers="
                         f"{config.num_layers}) does not have, e.g. {unknown[0]!r}")
    return out


def load_bert(folder, hf, source=None):
    """The ``SentimentModel`` of a Hugging Face BERT folder (see the module docstring).

    Args:
        folder: the folder (``config.json``, safetensors weights, ``tokenizer.json`` or ``vocab.txt``).
        hf: its parsed ``config.json``.
        source: what to call it in the card and in errors (default: the folder).

    Raises:
        ValueError: an unsupported option, a missing file, tensor or tokenizer, or a shape that disagrees
            with ``config.json`` (each message names the file, the key or the shape).
    """
    from lmdemo.tasks.sentiment_model import SentimentModel

    source = source or folder
    tensors = read_safetensors(folder)
    head = tensors.get("classifier.weight")
    config = bert_config(hf, bert_labels(hf, head))
    tokenizer = read_bert_tokenizer(folder)
    if tokenizer.vocab_size != config.vocab_size:
        raise ValueError(f"{source}: the tokenizer has {tokenizer.vocab_size} tokens but config.json says "
                         f"vocab_size={config.vocab_size}")
    named = bert_weights(tensors, config)
    model = SentimentModel.create(tokenizer, config)
    variables = {v.path.split("/", 1)[1]: v for v in model.network.weights}
    for ours, (theirs, value) in named.items():
        expected = tuple(variables[ours].shape)
        if tuple(value.shape) != expected:  # named as the file stores it: a kernel as (out, in)
            flip = ours.endswith("/kernel")
            stored, wanted = (value.T.shape, expected[::-1]) if flip else (value.shape, expected)
            raise ValueError(f"{source}: {theirs} has shape {tuple(stored)}, but config.json implies {tuple(wanted)}")
    weights = {ours: value for ours, (_, value) in named.items()}
    fresh = [path for path in variables if path not in weights]  # the pooler's or the label head's: kept as built
    weights.update({path: np.asarray(variables[path].value) for path in fresh})
    assign(model.network, weights, source)
    model.card = imported_card(model, hf, source, "BERT")
    new = " and ".join(name for prefix, name in (("pooler/", "pooler (pooler.dense)"),
                                                 ("label_head/", "label head (classifier)"))
                       if any(path.startswith(prefix) for path in fresh))
    if new:
        model.card += (f", except the {new}, which it does not have: random until fine-tuned "
                       f"(`python -m lmdemo train-task sentiment --init-from {source}`)")
        warnings.warn(f"{source} has no {new}: random weights stand in until it is fine-tuned "
                      f"(python -m lmdemo train-task sentiment --init-from ...)", stacklevel=2)
    model.card += ".\n"
    return model
