"""Hugging Face checkpoints read into lmdemo's own networks: GPT-2 as a ``TransformerLM``.

A Hugging Face model folder holds ``config.json`` (with ``model_type``), the weights in
``model.safetensors`` (or shards listed in ``model.safetensors.index.json``) and the tokenizer files
(``tokenizer.json``, or ``vocab.json`` + ``merges.txt``). Nothing in it is run: the arrays are read
with ``safetensors`` and copied into a network built from lmdemo's layers, whose shapes and
equations are GPT-2's:

    GPT-2 (transformers)                       lmdemo
    wte, wpe                                   token and learned position embeddings
    h.i.ln_1, h.i.ln_2, ln_f                   attention_norm, feed_forward_norm, final_norm
    h.i.attn.c_attn  (d, 3d): [W_q | W_k | W_v] query, key, value kernels (d, d) each
    h.i.attn.c_proj, h.i.mlp.c_fc, h.i.mlp.c_proj  attention_output, feed_forward inner, output
    lm_head = wteᵀ (tied; often absent)        the tied output layer, its bias 0

GPT-2's ``Conv1D`` stores its weight as (in, out), as a Keras ``Dense`` kernel does, so nothing is
transposed. ``gelu_new`` is the tanh GELU lmdemo's feed-forward uses; the LayerNorm epsilon comes from
``layer_norm_epsilon``; ``<|endoftext|>`` is the tokenizer's start text, as it is GPT-2's.
"""

import json
import os

import numpy as np

CONFIG_FILE = "config.json"
SAFETENSORS_FILE = "model.safetensors"
SAFETENSORS_INDEX = "model.safetensors.index.json"
SUPPORTED = ("gpt2", "bert")
GELU_TANH = ("gelu_new", "gelu_pytorch_tanh", "gelu_fast")
_BUFFERS = (".attn.bias", ".attn.masked_bias")  # causal masks older GPT-2 checkpoints store as weights


def is_hf_folder(path):
    """True for a folder whose ``config.json`` is a Hugging Face one (it has ``model_type``, not lmdemo's ``kind``)."""
    config = os.path.join(str(path), CONFIG_FILE)
    if not os.path.isfile(config):
        return False
    try:
        with open(config, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(data, dict) and "model_type" in data and "kind" not in data


def read_hf_config(folder):
    """The parsed ``config.json`` of a Hugging Face folder; ValueError naming the file when it is unusable."""
    path = os.path.join(folder, CONFIG_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    except FileNotFoundError:
        raise ValueError(f"not a Hugging Face checkpoint: {CONFIG_FILE} is missing in {folder!r}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"cannot read {path!r}: {e}") from None
    if not isinstance(config, dict) or "model_type" not in config:
        raise ValueError(f"{path!r} has no model_type: not a Hugging Face model config")
    if config["model_type"] not in SUPPORTED:
        raise ValueError(f"{path!r} has model_type={config['model_type']!r}; lmdemo reads {', '.join(SUPPORTED)}")
    return config


def estimate_params(hf):
    """About how many weights a GPT-2 or BERT ``config.json`` (a dict) describes: embeddings plus, per layer,
    the four attention projections and the two feed-forward layers (biases and LayerNorms left out).
    Used to refuse a model too big for the machine before its weights are downloaded."""
    d = hf.get("n_embd") or hf.get("hidden_size") or 0
    layers = hf.get("n_layer") or hf.get("num_hidden_layers") or 0
    inner = hf.get("n_inner") or hf.get("intermediate_size") or 4 * d
    positions = hf.get("n_positions") or hf.get("max_position_embeddings") or 0
    try:
        return int((hf.get("vocab_size", 0) + positions) * d + layers * (4 * d * d + 2 * d * inner))
    except TypeError:
        raise ValueError("config.json: vocab_size, the width, the layers and the positions must be numbers") from None


def read_safetensors(folder):
    """{name: numpy array} of every weight in the folder (one file, or the shards its index lists)."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    index = os.path.join(folder, SAFETENSORS_INDEX)
    if os.path.isfile(index):
        try:
            with open(index, encoding="utf-8") as f:
                files = sorted(set(json.load(f)["weight_map"].values()))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as e:
            raise ValueError(f"cannot read {index!r}: {e}") from None
    elif os.path.isfile(os.path.join(folder, SAFETENSORS_FILE)):
        files = [SAFETENSORS_FILE]
    else:
        others = [n for n in ("pytorch_model.bin", "tf_model.h5", "flax_model.msgpack")
                  if os.path.isfile(os.path.join(folder, n))]
        hint = f" (it has {', '.join(others)}: lmdemo reads safetensors only, which hold arrays and no code)" \
            if others else ""
        raise ValueError(f"no {SAFETENSORS_FILE} in {folder!r}{hint}")
    tensors = {}
    for name in files:
        path = os.path.join(folder, name)
        try:
            tensors.update(load_file(path))
        except FileNotFoundError:
            raise ValueError(f"weights file {name!r} is missing in {folder!r}") from None
        except (SafetensorError, OSError, ValueError) as e:
            raise ValueError(f"cannot read weights file {path!r}: {e}") from None
    return tensors


def read_gpt2_tokenizer(folder):
    """A ``BPETokenizer`` from ``tokenizer.json``, or from ``vocab.json`` + ``merges.txt``."""
    from lmdemo.tokenizers.bpe_tokenizer import END_OF_TEXT, BPETokenizer

    path = os.path.join(folder, "tokenizer.json")
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            return BPETokenizer(text)
        except ValueError as e:
            raise ValueError(f"cannot read {path!r}: {e}") from None
    vocab, merges = os.path.join(folder, "vocab.json"), os.path.join(folder, "merges.txt")
    if not (os.path.isfile(vocab) and os.path.isfile(merges)):
        raise ValueError(f"no tokenizer in {folder!r}: it needs tokenizer.json, or vocab.json and merges.txt")
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    try:
        tok = Tokenizer(models.BPE.from_file(vocab, merges))
    except Exception as e:  # tokenizers raises its own Exception type on bad files
        raise ValueError(f"cannot read {vocab!r} and {merges!r}: {e}") from None
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens([END_OF_TEXT])
    return BPETokenizer(tok.to_str())


def gpt2_config(hf):
    """The ``TransformerConfig`` of a GPT-2 ``config.json`` (a dict); ValueError naming an unsupported key."""
    from lmdemo.config import TransformerConfig

    activation = hf.get("activation_function", "gelu_new")
    if activation not in GELU_TANH + ("relu",):
        raise ValueError(f"config.json: activation_function={activation!r} is not supported; lmdemo has the tanh "
                         f"GELU ({', '.join(GELU_TANH)}) and relu")
    for key in ("scale_attn_by_inverse_layer_idx", "add_cross_attention"):
        if hf.get(key):
            raise ValueError(f"config.json: {key}=true is not supported by lmdemo's GPT")
    try:
        return TransformerConfig(
            vocab_size=hf["vocab_size"], max_length=hf.get("n_positions", hf.get("n_ctx", 1024)),
            num_layers=hf["n_layer"], num_heads=hf["n_head"], d_model=hf["n_embd"],
            hidden_dim=hf.get("n_inner") or 4 * hf["n_embd"], activation="relu" if activation == "relu" else "gelu",
            position="learned", dropout=float(hf.get("resid_pdrop", 0.0)),
            layer_norm_epsilon=float(hf.get("layer_norm_epsilon", 1e-5)),
            tie_embeddings=bool(hf.get("tie_word_embeddings", True)))
    except KeyError as e:
        raise ValueError(f"config.json has no {e.args[0]!r}, which a GPT-2 config needs") from None


def gpt2_weights(tensors, config):
    """{lmdemo variable path (inside the ``GPT``): array} from GPT-2's safetensors names (with or without
    ``transformer.``)."""
    t = {k[len("transformer."):] if k.startswith("transformer.") else k: v for k, v in tensors.items()}
    used = set()

    def take(name):
        if name not in t:
            raise ValueError(f"the weights have no {name!r} (nor 'transformer.{name}'), which config.json implies")
        used.add(name)
        return t[name]

    d = config.d_model
    out = {"backbone/embedding/token_embedding/embeddings": take("wte.weight"),
           "backbone/embedding/position_embedding/embeddings": take("wpe.weight"),
           "backbone/final_norm/gamma": take("ln_f.weight"), "backbone/final_norm/beta": take("ln_f.bias")}
    for i in range(config.num_layers):
        p, q = f"h.{i}.", f"backbone/block_{i}/"
        qkv, qkv_bias = take(p + "attn.c_attn.weight"), take(p + "attn.c_attn.bias")
        if qkv.shape != (d, 3 * d) or qkv_bias.shape != (3 * d,):
            raise ValueError(f"{p}attn.c_attn has shape {qkv.shape}, but config.json says n_embd={d}: ({d}, {3 * d})")
        for j, name in enumerate(("query", "key", "value")):
            out[q + f"attention/{name}/kernel"] = qkv[:, j * d:(j + 1) * d]
            out[q + f"attention/{name}/bias"] = qkv_bias[j * d:(j + 1) * d]
        for ours, theirs in (("attention_norm/gamma", "ln_1.weight"), ("attention_norm/beta", "ln_1.bias"),
                             ("attention/attention_output/kernel", "attn.c_proj.weight"),
                             ("attention/attention_output/bias", "attn.c_proj.bias"),
                             ("feed_forward_norm/gamma", "ln_2.weight"), ("feed_forward_norm/beta", "ln_2.bias"),
                             ("feed_forward/inner/kernel", "mlp.c_fc.weight"), ("feed_forward/inner/bias", "mlp.c_fc.bias"),
                             ("feed_forward/output/kernel", "mlp.c_proj.weight"),
                             ("feed_forward/output/bias", "mlp.c_proj.bias")):
            out[q + ours] = take(p + theirs)
    vocab = config.vocab_size
    if config.tie_embeddings:
        out["output_bias"] = np.zeros(vocab, np.float32)
        used.add("lm_head.weight")  # when present, a copy of wte
    else:
        out["lm_head/kernel"] = take("lm_head.weight").T
        out["lm_head/bias"] = np.zeros(vocab, np.float32)
    unknown = sorted(k for k in t if k not in used and not k.endswith(_BUFFERS))
    if unknown:
        raise ValueError(f"the weights hold {len(unknown)} tensors a GPT-2 does not have, e.g. {unknown[0]!r}")
    return out


def assign(network, weights, source):
    """Copies ``weights`` ({variable path inside the network: array}) into ``network``; ValueError naming a
    mismatch. Paths leave out the network's own name (Keras numbers it: ``gpt``, ``gpt_1``, ...)."""
    variables = {v.path.split("/", 1)[1]: v for v in network.weights}
    missing = sorted(set(variables) - set(weights))
    if missing:
        raise ValueError(f"{source}: nothing for {missing[0]!r}")
    for path, variable in variables.items():
        value = np.asarray(weights[path])
        if tuple(value.shape) != tuple(variable.shape):
            raise ValueError(f"{source}: the weight for {path!r} has shape {tuple(value.shape)}, the config gives "
                             f"{tuple(variable.shape)}")
        if not np.issubdtype(value.dtype, np.floating):
            raise ValueError(f"{source}: the weight for {path!r} is {value.dtype}, not floating point")
        variable.assign(value.astype(np.float32))


def load_hf_model(folder, source=None):
    """The lmdemo model of a Hugging Face checkpoint folder (GPT-2: a ``TransformerLM``; BERT:
    ``lmdemo.storage.hf_bert``).

    Args:
        folder: the folder (``config.json``, safetensors weights, tokenizer files).
        source: what to call it in the card and in errors (default: the folder), e.g. ``hf:gpt2``.

    Raises:
        ValueError: not a supported checkpoint, a missing file or key, or shapes that disagree with
            ``config.json`` (each message names the file, the key or the shape).
    """
    from lmdemo.lm.transformer_lm import TransformerLM

    source = source or folder
    hf = read_hf_config(folder)
    if hf["model_type"] == "bert":
        from lmdemo.storage.hf_bert import load_bert

        return load_bert(folder, hf, source)
    config = gpt2_config(hf)
    tokenizer = read_gpt2_tokenizer(folder)
    if tokenizer.vocab_size != config.vocab_size:
        raise ValueError(f"{source}: the tokenizer has {tokenizer.vocab_size} tokens but config.json says "
                         f"vocab_size={config.vocab_size}")
    weights = gpt2_weights(read_safetensors(folder), config)
    model = TransformerLM.create(tokenizer, config)
    assign(model.network, weights, source)
    model.card = imported_card(model, hf, source, "GPT-2") + ".\n"
    return model


def imported_card(model, hf, source, family):
    """The card of a model read from Hugging Face checkpoint ``source`` (its title and what it is), without the
    final full stop: the caller may say what the checkpoint lacked."""
    names = hf.get("_name_or_path") or source
    return (f"# {os.path.basename(str(source).rstrip('/')) or source}\n\nA {family} checkpoint ({names}) read from "
            f"Hugging Face safetensors into lmdemo's own layers: {model.describe()}; {model.num_params():,} "
            f"parameters. The weights are the checkpoint's, unchanged")
