"""Model hyperparameters in one place (Transformer and recurrent), and the named size presets."""

import dataclasses


class _DictIO:
    """``to_dict`` / ``from_dict`` for the config dataclasses (unknown keys are refused)."""

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        return _from_dict(cls, data)


WEIGHTS = ("f32", "bf16")  # what a Transformer reads its weights as, at run time (``TransformerLM.use_weights``)


@dataclasses.dataclass
class TransformerConfig(_DictIO):
    vocab_size: int = 65  # number of token ids (set from the tokenizer)
    max_length: int = 256  # context window: the most tokens the model sees at once
    num_layers: int = 4  # decoder blocks
    num_heads: int = 4  # attention heads per block
    d_model: int = 256  # width of every token vector
    hidden_dim: int = 0  # feed-forward inner width; 0 means 4 × d_model
    activation: str = "gelu"  # "gelu" (GPT-2), "relu" (the original Transformer), "relu2" (ReLU²) or "swiglu"
    position: str = "learned"  # "learned" (GPT-2), "sinusoidal" (Vaswani et al.) or "rope" (rotary, Su et al.)
    dropout: float = 0.0  # on attention weights and residual branches while training
    layer_norm_epsilon: float = 1e-5
    tie_embeddings: bool = False  # the output layer reuses the token embedding matrix (Press & Wolf, 2017)
    norm: str = "layer"  # "layer" (LayerNorm) or "rms" (RMSNorm) before each sub-block and at the end
    qk_norm: bool = False  # RMS-normalize queries and keys per head before Q Kᵀ

    def __post_init__(self):
        if not self.hidden_dim:
            self.hidden_dim = 4 * self.d_model
        for name in ("vocab_size", "max_length", "num_layers", "num_heads", "d_model", "hidden_dim"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive int, received {name}={value!r}")
        if self.d_model % self.num_heads:
            raise ValueError(
                f"d_model must be divisible by num_heads, received d_model={self.d_model}, num_heads={self.num_heads}")
        if self.activation not in ("gelu", "relu", "relu2", "swiglu"):
            raise ValueError(f"activation must be 'gelu', 'relu', 'relu2' or 'swiglu', received "
                             f"activation={self.activation!r}")
        if self.position not in ("learned", "sinusoidal", "rope"):
            raise ValueError(f"position must be 'learned', 'sinusoidal' or 'rope', received position={self.position!r}")
        if self.norm not in ("layer", "rms"):
            raise ValueError(f"norm must be 'layer' or 'rms', received norm={self.norm!r}")
        if self.position == "rope" and (self.d_model // self.num_heads) % 2:
            raise ValueError(f"position='rope' needs an even head width, received d_model={self.d_model}, "
                             f"num_heads={self.num_heads}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), received dropout={self.dropout!r}")

    def backbone_args(self):
        """The fields ``TransformerBackbone`` takes (all but the output layer's ``tie_embeddings``)."""
        return {k: v for k, v in self.to_dict().items() if k != "tie_embeddings"}


@dataclasses.dataclass
class RecurrentConfig(_DictIO):
    vocab_size: int = 65  # number of token ids (set from the tokenizer)
    cell: str = "lstm"  # "lstm" or "rnn" (Elman)
    num_layers: int = 2  # stacked recurrent layers
    hidden_dim: int = 256  # width of the recurrent state
    embed_dim: int = 0  # token vector width; 0 means hidden_dim
    dropout: float = 0.0  # between layers (not on the recurrence), as Zaremba et al. (2014)
    tie_embeddings: bool = True  # the output layer reuses the embedding matrix (Press & Wolf, 2017)
    train_length: int = 128  # tokens per training window (truncated backpropagation through time)

    def __post_init__(self):
        if not self.embed_dim:
            self.embed_dim = self.hidden_dim
        if self.cell not in ("lstm", "rnn"):
            raise ValueError(f"cell must be 'lstm' or 'rnn', received cell={self.cell!r}")
        for name in ("vocab_size", "num_layers", "hidden_dim", "embed_dim", "train_length"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive int, received {name}={value!r}")
        if self.tie_embeddings and self.embed_dim != self.hidden_dim:
            raise ValueError(f"tie_embeddings needs embed_dim == hidden_dim, received embed_dim={self.embed_dim}, "
                             f"hidden_dim={self.hidden_dim}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), received dropout={self.dropout!r}")



@dataclasses.dataclass
class EncoderDecoderConfig(_DictIO):
    vocab_size: int = 8000  # one vocabulary for source and target (set from the tokenizer)
    max_source_length: int = 64  # the most source tokens the encoder reads (longer texts are truncated)
    max_target_length: int = 64  # the most target tokens the decoder writes, end token included
    encoder_layers: int = 3
    decoder_layers: int = 3
    num_heads: int = 4
    d_model: int = 256
    hidden_dim: int = 0  # feed-forward inner width; 0 means 4 × d_model
    activation: str = "relu"  # the original Transformer's
    dropout: float = 0.1
    layer_norm_epsilon: float = 1e-5
    copy_attention: bool = False  # pointer-generator: the decoder may also copy source tokens (See et al., 2017)

    def __post_init__(self):
        if not self.hidden_dim:
            self.hidden_dim = 4 * self.d_model
        _check_positive(self, ("vocab_size", "max_source_length", "max_target_length", "encoder_layers",
                               "decoder_layers", "num_heads", "d_model", "hidden_dim"))
        _check_common(self)
        if not isinstance(self.copy_attention, bool):
            raise ValueError(f"copy_attention must be a bool, received copy_attention={self.copy_attention!r}")



ENCODER_ACTIVATIONS = ("gelu", "gelu_exact", "relu")  # as lmdemo.layers.feed_forward.ACTIVATIONS


@dataclasses.dataclass
class EncoderConfig(_DictIO):
    """A bidirectional Transformer encoder (BERT-style): the masked language model's whole config, and the
    part of ``ClassifierConfig`` its encoder reads, so one pre-trained encoder's weights fit both."""

    vocab_size: int = 8000  # set from the tokenizer
    max_length: int = 64  # the most tokens read (longer texts are truncated)
    num_layers: int = 2
    num_heads: int = 4
    d_model: int = 128
    hidden_dim: int = 0  # feed-forward inner width; 0 means 4 × d_model
    activation: str = "gelu"  # "gelu" (tanh approximation), "gelu_exact" (erf: BERT's "gelu") or "relu"
    dropout: float = 0.1
    layer_norm_epsilon: float = 1e-5  # BERT's is 1e-12
    normalize_first: bool = True  # pre-LN blocks, final LN; False: BERT's x = LN(x + f(x)), embeddings LN'd
    num_segments: int = 0  # segment ("token type") embeddings: 0 none; BERT has 2, S[0] added to a single text

    def __post_init__(self):
        if not self.hidden_dim:
            self.hidden_dim = 4 * self.d_model
        _check_positive(self, ("vocab_size", "max_length", "num_layers", "num_heads", "d_model", "hidden_dim"))
        if self.d_model % self.num_heads:
            raise ValueError(f"d_model must be divisible by num_heads, received d_model={self.d_model}, "
                             f"num_heads={self.num_heads}")
        if self.activation not in ENCODER_ACTIVATIONS:
            raise ValueError(f"activation must be one of {ENCODER_ACTIVATIONS}, received "
                             f"activation={self.activation!r}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), received dropout={self.dropout!r}")
        if not isinstance(self.normalize_first, bool):
            raise ValueError(f"normalize_first must be a bool, received normalize_first={self.normalize_first!r}")
        if isinstance(self.num_segments, bool) or not isinstance(self.num_segments, int) or self.num_segments < 0:
            raise ValueError(f"num_segments must be an int ≥ 0, received num_segments={self.num_segments!r}")

    def encoder_args(self):
        """The fields ``TransformerEncoder`` takes."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(EncoderConfig)}


POOLINGS = ("mean", "max", "first")


@dataclasses.dataclass
class ClassifierConfig(EncoderConfig):
    """A text classifier: an ``EncoderConfig`` encoder, its pooling and its labels."""

    labels: tuple = ("negative", "positive")  # label names, in label-id order
    pooling: str = "mean"  # the text vector: "mean" or "max" over the real tokens, or "first" (BERT's [CLS])
    ngram_expert: bool = False  # a bag-of-n-grams expert is stored beside the weights (its probabilities multiply)

    def __post_init__(self):
        super().__post_init__()
        if not isinstance(self.ngram_expert, bool):
            raise ValueError(f"ngram_expert must be a bool, received ngram_expert={self.ngram_expert!r}")
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, received pooling={self.pooling!r}")
        self.labels = tuple(self.labels)
        if len(self.labels) < 2 or not all(isinstance(x, str) and x for x in self.labels) or \
                len(set(self.labels)) != len(self.labels):
            raise ValueError(f"labels must be ≥ 2 distinct non-empty names, received labels={self.labels!r}")

    @property
    def num_labels(self):
        return len(self.labels)

    def to_dict(self):
        data = dataclasses.asdict(self)
        data["labels"] = list(self.labels)
        return data


TAGGER_CONTEXTS = ("bilstm", "cnn", "transformer")


@dataclasses.dataclass
class TaggerConfig(_DictIO):
    """A token tagger (``lmdemo.networks.token_tagger``): words read from their characters, then in context."""

    vocab_size: int = 1000  # characters (set from the character tokenizer)
    labels: tuple = ("O", "B-PERSON", "I-PERSON", "B-ADDRESS", "I-ADDRESS")  # tag names, in tag-id order
    max_words: int = 96  # the window: the most words read at once (longer texts are read in windows)
    window_overlap: int = 24  # words shared by neighbouring windows
    max_word_chars: int = 12  # characters of a word read (longer words: the first 6 and the last 6)
    char_dim: int = 16  # character embedding width
    char_filters: int = 64  # character trigram detectors (a convolution of width 3, max-pooled over the word)
    word_buckets: int = 0  # hashed embeddings of the lower-cased word (0: none; they memorized template words)
    word_dim: int = 64
    context: str = "bilstm"  # "bilstm" (an LSTM each way), "cnn" (dilated convolutions) or "transformer"
    num_layers: int = 1  # LSTM layers, encoder blocks, or convolutions (dilations 1, 2, 4, ...)
    num_heads: int = 4  # Transformer only
    d_model: int = 64
    hidden_dim: int = 0  # feed-forward inner width; 0 means 2 × d_model
    activation: str = "gelu"
    dropout: float = 0.3
    layer_norm_epsilon: float = 1e-5
    threshold: float = 0.5  # a word is in an entity when its B + I probabilities reach this (tuned on dev data)

    def __post_init__(self):
        if not self.hidden_dim:
            self.hidden_dim = 2 * self.d_model
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, (int, float)) or \
                not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be a number in (0, 1], received threshold={self.threshold!r}")
        _check_positive(self, ("vocab_size", "max_words", "max_word_chars", "char_dim", "char_filters", "word_dim",
                               "num_layers", "num_heads", "d_model", "hidden_dim"))
        _check_common(self)
        if self.context not in TAGGER_CONTEXTS:
            raise ValueError(f"context must be one of {TAGGER_CONTEXTS}, received context={self.context!r}")
        if not isinstance(self.word_buckets, int) or self.word_buckets < 0:
            raise ValueError(f"word_buckets must be an int ≥ 0, received word_buckets={self.word_buckets!r}")
        if not isinstance(self.window_overlap, int) or not 0 <= self.window_overlap < self.max_words:
            raise ValueError(f"window_overlap must be an int in [0, max_words={self.max_words}), received "
                             f"window_overlap={self.window_overlap!r}")
        self.labels = tuple(self.labels)
        if not self.labels or self.labels[0] != "O" or len(set(self.labels)) != len(self.labels) or any(
                not (isinstance(x, str) and (x == "O" or x[:2] in ("B-", "I-"))) for x in self.labels):
            raise ValueError(f"labels must be 'O' then distinct 'B-TYPE' / 'I-TYPE' names, received labels={self.labels!r}")

    @property
    def num_labels(self):
        return len(self.labels)

    @property
    def entity_types(self):
        """The entity types, in label order: ("PERSON", "ADDRESS")."""
        return tuple(dict.fromkeys(x[2:] for x in self.labels[1:]))

    def to_dict(self):
        data = dataclasses.asdict(self)
        data["labels"] = list(self.labels)
        return data


def _check_positive(config, names):
    for name in names:
        value = getattr(config, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive int, received {name}={value!r}")


def _check_common(config):
    if config.d_model % config.num_heads:
        raise ValueError(f"d_model must be divisible by num_heads, received d_model={config.d_model}, "
                         f"num_heads={config.num_heads}")
    if config.activation not in ("gelu", "relu"):
        raise ValueError(f"activation must be 'gelu' or 'relu', received activation={config.activation!r}")
    if not 0.0 <= config.dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), received dropout={config.dropout!r}")


def _from_dict(cls, data):
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown {cls.__name__} keys: {sorted(unknown)}")
    return cls(**data)


# Named sizes (vocab_size comes from the tokenizer). Parameters are for a 65-character vocabulary.
PRESETS = {
    # 2 layers × 64 wide: tests and the app's in-browser training (~0.1M parameters)
    "tiny": dict(max_length=64, num_layers=2, num_heads=2, d_model=64),
    # the benchmark shape of bench/: 4 layers × 256 wide, context 256 (~3.2M parameters)
    "small": dict(max_length=256, num_layers=4, num_heads=4, d_model=256),
    # nanoGPT's "baby GPT" for Shakespeare: 6 layers × 384 wide (~10.7M parameters)
    "base": dict(max_length=256, num_layers=6, num_heads=6, d_model=384, dropout=0.2),
}


def preset_config(name, **overrides):
    """The config of a named preset, with ``overrides`` applied (e.g. ``vocab_size=...``)."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset={name!r}; choose one of {sorted(PRESETS)}")
    return TransformerConfig(**{**PRESETS[name], **overrides})
