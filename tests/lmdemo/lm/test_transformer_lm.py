"""TransformerLM (lmdemo/lm/transformer_lm.py): its scores are the network's softmax; inspect shows every step."""

import jax
import numpy as np


def test_log_probs_equal_manual_softmax(toy_lm):
    text = "Speak, speak."
    lp = toy_lm.log_probs(text)
    ids = [toy_lm.tokenizer.encode("\n")[0]] + toy_lm.tokenizer.encode(text)
    logits = np.asarray(toy_lm.network(np.asarray([ids[:-1]], np.int32)).output)[0]
    expected = np.asarray(jax.nn.log_softmax(logits, -1))[np.arange(len(ids) - 1), ids[1:]]
    assert lp.shape == (len(text),)
    np.testing.assert_allclose(lp, expected, atol=1e-5)


def test_inspect_returns_every_step(toy_lm):
    out = toy_lm.inspect("Speak")
    assert out["tokens"] == list("Speak")
    assert out["embeddings"].shape == (5, 32)
    assert len(out["blocks"]) == 2
    assert out["blocks"][0]["attention_weights"].shape == (2, 5, 5)
    np.testing.assert_allclose(out["probs"].sum(-1), 1.0, atol=1e-5)


def test_inspect_with_start_token_agrees_with_next_token_probs(toy_lm):
    out = toy_lm.inspect("Speak", add_start=True)
    assert out["tokens"][0] == "\n" and len(out["tokens"]) == 6
    np.testing.assert_allclose(out["probs"][-1], toy_lm.next_token_probs("Speak"), rtol=1e-4, atol=1e-6)
    assert toy_lm.inspect("Speak")["tokens"] == list("Speak")
