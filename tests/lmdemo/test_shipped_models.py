"""Every shipped checkpoint loads, scores, generates, and has a card with the command that made it."""

import json
import os

import numpy as np
import pytest

import lmdemo
from lmdemo.models import MODELS_DIR, SHIPPED


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_model_loads_scores_generates_and_is_carded(name):
    if name not in lmdemo.available_models():
        pytest.skip(f"{name} is not in {MODELS_DIR}")
    lm = lmdemo.load_model(name)
    prompt = "ROMEO:\n" if name.startswith("shakespeare") else "the company said"
    lp = lm.log_probs(prompt)
    assert np.all(np.isfinite(lp)) and len(lp) == len(lm.tokenizer.encode(prompt))  # the first after the start token
    text = lm.generate(prompt, max_new_tokens=5, sampler="greedy")
    assert text == lm.generate(prompt, max_new_tokens=5, sampler="beam", num_beams=1)
    card = open(os.path.join(MODELS_DIR, name, "README.md"), encoding="utf-8").read()
    assert "python -m lmdemo train" in card
    metrics = json.load(open(os.path.join(MODELS_DIR, name, "metrics.json"), encoding="utf-8"))
    assert metrics["params"] == lm.num_params()
