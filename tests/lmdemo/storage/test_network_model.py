"""NetworkModel (lmdemo/storage/network_model.py): a network and the tokenizer it was built for."""

import pytest

import lmdemo


def test_network_and_tokenizer_vocabularies_must_match(toy_lm):
    with pytest.raises(ValueError, match="vocab_size"):
        lmdemo.TransformerLM(toy_lm.network, lmdemo.CharTokenizer.train("ab"))
