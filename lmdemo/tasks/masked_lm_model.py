"""The pre-trained masked language model with its tokenizer: the starting point of a classifier."""

import dataclasses

from lmdemo.config import EncoderConfig
from lmdemo.networks.masked_lm import MaskedLM
from lmdemo.storage.network_model import NetworkModel


class MaskedLMModel(NetworkModel):
    """A pre-trained ``MaskedLM`` and its tokenizer (the tokenizer's start token is the mask token)."""

    kind = "masked-lm"
    config_class = EncoderConfig
    network_class = MaskedLM

    def describe(self):
        c = self.config
        return (f"A Transformer encoder pre-trained as a masked language model (BERT's task): {c.num_layers} layers, "
                f"{c.num_heads} heads, width {c.d_model}, up to {c.max_length} tokens")

    @property
    def mask_id(self):
        return self.tokenizer.start_id

    @classmethod
    def _from_files(cls, path, config, folder, tokenizer):
        # checkpoints written before EncoderConfig stored the classifier's config: its label fields do not apply
        fields = {f.name for f in dataclasses.fields(EncoderConfig)}
        return super()._from_files(path, {k: v for k, v in config.items() if k in fields}, folder, tokenizer)
