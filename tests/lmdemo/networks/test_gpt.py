"""GPT (lmdemo/networks/gpt.py): configuration, serialization, the intermediates, parameter count, tied output."""

import keras
import numpy as np

from lmdemo.config import TransformerConfig, preset_config
from lmdemo.networks import GPT


def test_gpt_config_round_trip():
    cfg = TransformerConfig(vocab_size=11, max_length=8, num_layers=1, num_heads=2, d_model=8)
    gpt = GPT(cfg)
    clone = GPT.from_config(gpt.get_config())
    assert clone.config == cfg


def test_gpt_serialization_registered():
    gpt = GPT(TransformerConfig(vocab_size=11, max_length=8, num_layers=1, num_heads=2, d_model=8))
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(gpt))
    assert isinstance(restored, GPT)


def test_intermediates_have_every_layer():
    gpt = GPT(TransformerConfig(vocab_size=11, max_length=8, num_layers=2, num_heads=2, d_model=8))
    result = gpt(np.array([[1, 2, 3]]), return_details=True)
    logits, inter = result.output, result.details
    assert logits.shape == (1, 3, 11) and result.cache is None
    assert len(inter["blocks"]) == 2
    assert inter["blocks"][1]["attention_weights"].shape == (1, 2, 3, 3)
    assert inter["blocks"][0]["feed_forward_hidden"].shape == (1, 3, 32)
    np.testing.assert_allclose(np.asarray(inter["logits"]), np.asarray(logits))


def test_intermediates_follow_the_formulas():
    """Each step's numbers are the previous step's numbers put through its formula."""
    gpt = GPT(TransformerConfig(vocab_size=11, max_length=8, num_layers=1, num_heads=2, d_model=8, activation="relu"))
    inter = gpt(np.array([[1, 2, 3, 4]]), return_details=True).details
    b = {k: np.asarray(v)[0] for k, v in inter["blocks"][0].items()}
    q, k, v = b["query"], b["key"], b["value"]  # (heads, seq, d_k)
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])
    np.testing.assert_allclose(b["attention_scores"], scores, rtol=1e-5, atol=1e-6)
    causal = np.where(np.tril(np.ones((4, 4), bool)), scores, -np.inf)
    weights = np.exp(causal - causal.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    np.testing.assert_allclose(b["attention_weights"], weights, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b["head_outputs"], weights @ v, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b["heads_combined"], (weights @ v).transpose(1, 0, 2).reshape(4, -1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b["feed_forward_hidden"], np.maximum(b["feed_forward_pre_activation"], 0), rtol=1e-6)


def test_small_preset_parameter_count():
    gpt = GPT(preset_config("small", vocab_size=65))
    gpt.build((None, None))
    assert gpt.count_params() == 3_258_433


def test_tied_output_layer_is_the_embedding_matrix_transposed():
    cfg = dict(vocab_size=11, max_length=8, num_layers=1, num_heads=2, d_model=8)
    untied, tied = GPT(TransformerConfig(**cfg)), GPT(TransformerConfig(**cfg, tie_embeddings=True))
    untied.build((None, None))
    tied.build((None, None))
    assert untied.count_params() - tied.count_params() == 11 * 8  # the output kernel is shared, its bias kept
    ids = np.array([[1, 2, 3]])
    logits = tied(ids).output
    table = np.asarray(tied.backbone.embedding.token_embedding.embeddings)
    hidden = np.asarray(tied.backbone(ids).output)
    np.testing.assert_allclose(np.asarray(logits), hidden @ table.T + np.asarray(tied.output_bias), rtol=1e-5, atol=1e-6)
