"""Every shipped checkpoint loads, scores, answers exactly as when it was shipped, and has a card with the
command that made it.

The expected texts were read off the shipped weights: decoding is greedy (or sampled with a fixed
seed, which fixes every random draw), so a change in them means the weights, the tokenizer or the
decoding changed.
"""

import json
import os

import numpy as np
import pytest

import lmdemo
from lmdemo.registry import MODELS_DIR, SHIPPED


TASK_MODELS = {"sst2-sentiment", "en-es-translation", "en-zh-translation", "samsum-summarization", "pii-ner"}
# name → (prompt, its greedy 20-token continuation, its 20-token continuation sampled from the top 5 with seed 0)
LM_OUTPUTS = {
    "shakespeare-char": ("ROMEO:\n", 'I will not speak to ', 'Not made me now to b'),
    "shakespeare-lstm": ("ROMEO:\n", "I will not see the s", "Not all.\n\nPOMPEY:\nAn"),
    "shakespeare-rnn": ("ROMEO:\n", "I will not the sent ", "And what I shall be "),
    "shakespeare-5gram": ("ROMEO:\n", "I will the shall the", "Out, let me that I m"),
    "ptb-transformer": ("the company said",
                        "\nthe company said it expects to report a third-quarter loss of $ N million or N cents a share",
                        " it will be a $ N billion reserve for the fourth quarter because of a $ N million provision for"),
    "ptb-lstm": ("the company said",
                 "\nthe company said it will sell its <unk> <unk> <unk> <unk> and <unk> <unk> <unk> and <unk> <unk>\n",
                 " it will be a $ N billion takeover bid to the company 's N shares outstanding\nthe company has"),
    "tang-poems-char": ("\n五言絕句《春夜》", "春風吹柳絮，春色滿庭花。不知春色好，不是", "秋風吹落葉，月明月下人。不知秋雨後，誰是"),
    "ptb-5gram": ("the company said",
                  "\nthe company said it expects to report a loss for the third quarter\nthe company said it expects",
                  " it will be a big <unk> <unk> and a <unk> of the company 's shares in a <unk> <unk> and"),
}
DIALOGUE = "Anna: Are you coming to the party tonight?\nTom: Yes, I'll bring the cake.\nAnna: Great!"


def test_every_shipped_model_has_an_expected_output():
    assert set(LM_OUTPUTS) | TASK_MODELS == set(SHIPPED)


@pytest.mark.parametrize("name", sorted(set(SHIPPED) - TASK_MODELS))
def test_shipped_model_loads_scores_generates_and_is_carded(name):
    if name not in lmdemo.available_models():
        pytest.skip(f"{name} is not in {MODELS_DIR}")
    lm = lmdemo.load_model(name)
    prompt, greedy, sampled = LM_OUTPUTS[name]
    lp = lm.log_probs(prompt)
    assert np.all(np.isfinite(lp)) and len(lp) == len(lm.tokenizer.encode(prompt))  # the first after the start token
    text = lm.generate(prompt, max_new_tokens=5, sampler="greedy")
    assert text == lm.generate(prompt, max_new_tokens=5, sampler="beam", num_beams=1)
    assert lm.generate(prompt, max_new_tokens=20, sampler="greedy") == greedy
    assert greedy.startswith(text)
    assert lm.generate(prompt, max_new_tokens=20, sampler="top_k", top_k=5, seed=0) == sampled
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
        assert [r["label_id"] for r in result] == [1, 0] and [r["truncated"] for r in result] == [False, False]
        assert [r["score"] for r in result] == pytest.approx([0.9999966936, 0.9999989525], abs=1e-8)
        assert [r["experts"]["transformer"]["positive"] for r in result] == pytest.approx([0.99854833, 0.00357525],
                                                                                           abs=1e-6)
        assert [r["experts"]["ngrams"]["positive"] for r in result] == pytest.approx([0.99773070, 0.00029185],
                                                                                      abs=1e-6)
    elif name == "en-es-translation":
        assert model.generate(["I love you."], num_beams=1) == [{"text": "Te quiero.", "truncated": False,
                                                                 "finished": True}]
        assert model.generate(["Thank you."], num_beams=4) == [{"text": "Gracias.", "truncated": False,
                                                                "finished": True}]
    elif name == "en-zh-translation":
        assert model.generate(["I love you."], num_beams=1) == [{"text": "我爱你。", "truncated": False,
                                                                 "finished": True}]
        assert model.generate(["What time is it now?"], num_beams=4)[0]["text"] == "现在几点了？"
        assert model.generate(["I like to drink tea."], num_beams=1)[0]["text"] == "我喜欢喝茶。"
        assert model.generate(["Where is the train station?"], num_beams=4)[0]["text"] == "火車站在哪裡？"  # scripts mix
    elif name == "pii-ner":
        texts = [DIALOGUE, "Ship it to 12 Elm Street, Leeds."]
        found = model.tag(texts)
        assert [[(t[s:e], k) for s, e, k, _ in row] for t, row in zip(texts, found)] == [
            [("Anna", "PERSON"), ("Tom", "PERSON"), ("Anna", "PERSON")], [("12 Elm Street", "ADDRESS")]]
        assert [score for row in found for *_, score in row] == pytest.approx([0.9999, 0.9999, 0.9995, 0.9679],
                                                                              abs=2e-4)
    else:
        assert model.generate([DIALOGUE]) == [{"text": "Tom will bring the party tonight.", "truncated": False,
                                               "finished": True}]
        # the pipeline's default decoding for summaries: 4 beams, no repeated 3-gram
        assert model.generate([DIALOGUE], num_beams=4, no_repeat_ngram_size=3) == [
            {"text": "Tom is coming to the party tonight.", "truncated": False, "finished": True}]
    card = open(os.path.join(MODELS_DIR, name, "README.md"), encoding="utf-8").read()
    assert "python -m lmdemo train-task" in card
    metrics = json.load(open(os.path.join(MODELS_DIR, name, "metrics.json"), encoding="utf-8"))
    assert metrics["params"] == model.num_params() and "final" in metrics
