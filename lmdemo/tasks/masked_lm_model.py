"""The pre-trained masked language model with its tokenizer: the starting point of a classifier."""

from lmdemo.config import ClassifierConfig
from lmdemo.networks.masked_lm import MaskedLM
from lmdemo.storage.network_model import NetworkModel


class MaskedLMModel(NetworkModel):
    """A pre-trained ``MaskedLM`` and its tokenizer (the tokenizer's start token is the mask token)."""

    kind = "masked-lm"
    config_class = ClassifierConfig
    network_class = MaskedLM

    def describe(self):
        c = self.config
        return (f"A Transformer encoder pre-trained as a masked language model (BERT's task): {c.num_layers} layers, "
                f"{c.num_heads} heads, width {c.d_model}, up to {c.max_length} tokens")

    @property
    def mask_id(self):
        return self.tokenizer.start_id
