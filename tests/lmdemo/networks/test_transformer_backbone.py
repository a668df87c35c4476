"""TransformerBackbone (lmdemo/networks/transformer_backbone.py)."""

from lmdemo.config import TransformerConfig
from lmdemo.networks import TransformerBackbone


def test_backbone_config_round_trip():
    cfg = TransformerConfig(vocab_size=11, max_length=8, num_layers=1, num_heads=2, d_model=8)
    backbone = TransformerBackbone(**cfg.backbone_args())
    assert TransformerBackbone.from_config(backbone.get_config()).get_config() == backbone.get_config()
