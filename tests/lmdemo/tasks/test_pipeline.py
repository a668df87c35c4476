"""lmdemo.pipeline (lmdemo/tasks/pipeline.py): one callable per task, over one text or a batch."""

import pytest

import lmdemo


def test_pipeline_single_and_batch(seq2seq, classifier):
    translate = lmdemo.pipeline("translation_en_to_es", model=seq2seq)
    texts = ["one two three", "good night"]
    batch = translate(texts, num_beams=2)
    assert batch == [translate(t, num_beams=2) for t in texts]
    assert batch[0] == {"translation_text": seq2seq.generate([texts[0]], num_beams=2)[0]["text"], "truncated": False}
    classify = lmdemo.pipeline("sentiment-analysis", model=classifier)
    out = classify("good film")
    assert set(out) == {"label", "score", "probabilities", "truncated"} and out["label"] in ("negative", "positive")
    summarize = lmdemo.pipeline("summarization", model="lead-3")
    assert summarize("A: hi\nB: hello\nA: bye\nB: bye") == {"summary_text": "A: hi\nB: hello\nA: bye", "truncated": False}
    abstractive = lmdemo.pipeline("summarization", model=seq2seq)  # beam 4 without repeated 3-grams by default
    expected = seq2seq.generate(["good night"], num_beams=4, no_repeat_ngram_size=3)[0]["text"]
    assert abstractive("good night") == {"summary_text": expected, "truncated": False}
    assert abstractive("good night", num_beams=1, no_repeat_ngram_size=0)["summary_text"] == \
        seq2seq.generate(["good night"])[0]["text"]


def test_text_generation_pipeline_returns_prompt_and_continuation(toy_lm):
    gen = lmdemo.pipeline("text-generation", model=toy_lm, max_new_tokens=5, sampler="greedy")
    assert gen("First") == {"generated_text": "First" + toy_lm.generate("First", max_new_tokens=5, sampler="greedy")}


@pytest.mark.parametrize("call, error, message", [
    (lambda p: p(""), ValueError, "the text is empty"),
    (lambda p: p(["ok", ""]), ValueError, r"inputs\[1\] is empty"),
    (lambda p: p([]), ValueError, "inputs is an empty list"),
    (lambda p: p(5), TypeError, "inputs must be a string or a list of strings"),
    (lambda p: p("ok", temperature=2.0), ValueError,
     r"translation takes \['length_penalty', 'max_new_tokens', 'no_repeat_ngram_size', 'num_beams', 'script'\]"),
    (lambda p: p("ok", script="latin"), ValueError, r"script must be one of \('simplified', 'traditional'\) or None"),
])
def test_pipeline_bad_input(seq2seq, call, error, message):
    with pytest.raises(error, match=message):
        call(lmdemo.pipeline("translation", model=seq2seq))


def test_pipeline_refuses_unknown_tasks_and_wrong_models(classifier, toy_lm):
    with pytest.raises(ValueError, match=r"unknown task='poetry'; choose one of"):
        lmdemo.pipeline("poetry")
    with pytest.raises(ValueError, match="is a 'classifier' model; task='translation' needs a 'encoder-decoder' model"):
        lmdemo.pipeline("translation", model=classifier)
    with pytest.raises(ValueError, match="is a 'transformer' model; task='sentiment' needs a 'classifier' model"):
        lmdemo.pipeline("sentiment", model=toy_lm)
    with pytest.raises(ValueError, match="lead-3 summarization takes no options"):
        lmdemo.pipeline("summarization", model="lead-3")("A: hi", num_beams=2)


def test_translation_script_converts_the_output(seq2seq):
    from lmdemo.data.chinese_script import to_simplified, to_traditional
    from lmdemo.tasks.pipeline import pipeline

    translate = pipeline("translation", model=seq2seq)
    plain = translate("ok", max_new_tokens=6)["translation_text"]
    assert translate("ok", max_new_tokens=6, script="simplified")["translation_text"] == to_simplified(plain)
    assert translate("ok", max_new_tokens=6, script="traditional")["translation_text"] == to_traditional(plain)


def test_a_poem_model_continues_text_too(toy_lm):
    import copy

    from lmdemo.tasks.pipeline import pipeline

    poet = copy.copy(toy_lm)
    poet.task = "poem"
    assert pipeline("lm", model=poet, max_new_tokens=5, seed=0)("First")["generated_text"] == \
        pipeline("lm", model=toy_lm, max_new_tokens=5, seed=0)("First")["generated_text"]
