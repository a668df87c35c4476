"""The model configurations (lmdemo/config.py): presets and their checks."""

import pytest

from lmdemo.config import PRESETS, ClassifierConfig, EncoderConfig, TransformerConfig, preset_config


def test_presets_and_config_errors():
    assert set(PRESETS) == {"tiny", "small", "base"}
    small = preset_config("small", vocab_size=65)
    assert (small.num_layers, small.d_model, small.max_length, small.hidden_dim) == (4, 256, 256, 1024)
    with pytest.raises(ValueError, match="unknown preset='huge'"):
        preset_config("huge")
    with pytest.raises(ValueError, match="d_model=10, num_heads=4"):
        TransformerConfig(d_model=10, num_heads=4)
    with pytest.raises(ValueError, match="num_layers must be a positive int, received num_layers=0"):
        TransformerConfig(num_layers=0)


def test_classifier_config_checks_labels():
    with pytest.raises(ValueError, match=r"labels must be ≥ 2 distinct non-empty names, received labels=\('a', 'a'\)"):
        ClassifierConfig(labels=("a", "a"))


def test_encoder_options_default_to_lmdemos_own_encoder_and_old_files_load():
    old = {"vocab_size": 100, "labels": ["negative", "positive"], "max_length": 64, "num_layers": 2, "num_heads": 4,
           "d_model": 128, "hidden_dim": 512, "activation": "gelu", "dropout": 0.3, "layer_norm_epsilon": 1e-05,
           "pooling": "mean", "ngram_expert": True}  # a config.json written before the BERT options
    c = ClassifierConfig.from_dict(old)
    assert (c.normalize_first, c.num_segments) == (True, 0)
    bert = ClassifierConfig(activation="gelu_exact", normalize_first=False, num_segments=2, pooling="first")
    assert ClassifierConfig.from_dict(bert.to_dict()) == bert
    assert EncoderConfig(normalize_first=False).encoder_args()["normalize_first"] is False


@pytest.mark.parametrize("field, value, message", [
    ("activation", "swish", r"activation must be one of \('gelu', 'gelu_exact', 'relu'\), received activation='swish'"),
    ("normalize_first", "no", "normalize_first must be a bool, received normalize_first='no'"),
    ("num_segments", -1, "num_segments must be an int ≥ 0, received num_segments=-1"),
    ("pooling", "cls", r"pooling must be one of \('mean', 'max', 'first'\), received pooling='cls'"),
])
def test_encoder_options_are_checked(field, value, message):
    with pytest.raises(ValueError, match=message):
        ClassifierConfig(**{field: value})
