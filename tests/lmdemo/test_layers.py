import keras
import numpy as np
import pytest

from lmdemo.config import PRESETS, TransformerConfig, preset_config
from lmdemo.networks.gpt import GPT
from lmdemo.layers import DecoderBlock, FeedForward, TokenAndPositionEmbedding, sinusoidal_table
from lmdemo.networks.transformer_backbone import TransformerBackbone


def test_sinusoidal_table_values():
    table = sinusoidal_table(3, 4)
    np.testing.assert_allclose(table[0], [0, 1, 0, 1])
    np.testing.assert_allclose(table[1], [np.sin(1), np.cos(1), np.sin(1e-2), np.cos(1e-2)], rtol=1e-6)


@pytest.mark.parametrize("position", ["learned", "sinusoidal"])
def test_embedding_is_token_plus_position(position):
    emb = TokenAndPositionEmbedding(10, 8, 4, position=position)
    ids = np.array([[1, 2, 3]])
    out, tokens, positions = emb(ids, return_parts=True)
    np.testing.assert_allclose(np.asarray(out), np.asarray(tokens) + np.asarray(positions)[None], atol=1e-7)
    shifted = emb(ids[:, 1:], start_index=1)
    np.testing.assert_allclose(np.asarray(shifted), np.asarray(out)[:, 1:], atol=1e-7)


@pytest.mark.parametrize("activation,fn", [("relu", lambda h: np.maximum(h, 0)),
                                           ("gelu", lambda h: np.asarray(keras.ops.gelu(h, approximate=True)))])
def test_feed_forward_is_act_of_linear(activation, fn):
    ff = FeedForward(6, activation=activation)
    x = np.random.default_rng(0).normal(size=(1, 2, 4)).astype("float32")
    out = np.asarray(ff(x))
    w1, b1 = ff.inner_dense.kernel.numpy(), ff.inner_dense.bias.numpy()
    w2, b2 = ff.output_dense.kernel.numpy(), ff.output_dense.bias.numpy()
    np.testing.assert_allclose(out, fn(x @ w1 + b1) @ w2 + b2, atol=1e-5)


def test_feed_forward_rejects_unknown_activation():
    with pytest.raises(ValueError, match="activation='tanh'"):
        FeedForward(4, activation="tanh")


@pytest.mark.parametrize("layer", [
    TokenAndPositionEmbedding(10, 8, 4, position="sinusoidal"),
    FeedForward(16, activation="relu", dropout=0.1),
    DecoderBlock(2, 16, activation="relu", dropout=0.1),
])
def test_layer_get_config_round_trip(layer):
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


def test_backbone_and_gpt_config_round_trip():
    cfg = TransformerConfig(vocab_size=11, max_length=8, num_layers=1, num_heads=2, d_model=8)
    gpt = GPT(cfg)
    clone = GPT.from_config(gpt.get_config())
    assert clone.config == cfg
    backbone = TransformerBackbone(**cfg.backbone_args())
    assert TransformerBackbone.from_config(backbone.get_config()).get_config() == backbone.get_config()


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
