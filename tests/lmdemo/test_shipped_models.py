"""Every shipped checkpoint loads, scores, generates, and has a card with the command that made it."""

import json
import os

import numpy as np
import pytest

import lmdemo
from lmdemo.registry import MODELS_DIR, SHIPPED


TASK_MODELS = {"sst2-sentiment", "en-es-translation", "samsum-summarization"}


@pytest.mark.parametrize("name", sorted(set(SHIPPED) - TASK_MODELS))
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


@pytest.mark.parametrize("name", sorted(TASK_MODELS))
def test_shipped_task_model_answers_and_is_carded(name):
    if name not in lmdemo.available_models():
        pytest.skip(f"{name} is not in {MODELS_DIR}")
    model = lmdemo.load_model(name)
    if name == "sst2-sentiment":
        result = model.classify(["a gorgeous , witty , seductive movie .", "a dull , lifeless mess ."])
        assert [r["label"] for r in result] == ["positive", "negative"]
    elif name == "en-es-translation":
        assert model.generate(["I love you."], num_beams=1) == model.generate(["I love you."], num_beams=1)
        assert model.generate(["Thank you."], num_beams=4)[0]["text"].lower().startswith("gracias")
    else:
        dialogue = "Anna: Are you coming to the party tonight?\nTom: Yes, I'll bring the cake.\nAnna: Great!"
        summary = model.generate([dialogue])[0]["text"]
        assert summary
    card = open(os.path.join(MODELS_DIR, name, "README.md"), encoding="utf-8").read()
    assert "python -m lmdemo train-task" in card
    metrics = json.load(open(os.path.join(MODELS_DIR, name, "metrics.json"), encoding="utf-8"))
    assert metrics["params"] == model.num_params() and "final" in metrics
