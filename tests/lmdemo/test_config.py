"""The model configurations (lmdemo/config.py): presets and their checks."""

import pytest

from lmdemo.config import PRESETS, ClassifierConfig, TransformerConfig, preset_config


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
