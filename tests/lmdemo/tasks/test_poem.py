import keras
import numpy as np
import pytest

import lmdemo
from lmdemo.data.poem_form import FORMS, check_form
from lmdemo.tasks.poem import FormConstraint, write_poem

QUATRAIN = "床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。"
REGULATED_7 = ("風急天高猿嘯哀，渚清沙白鳥飛迴。無邊落木蕭蕭下，不盡長江滾滾來。"
               "萬里悲秋常作客，百年多病獨登臺。艱難苦恨繁霜鬢，潦倒新停濁酒杯。")


@pytest.fixture(scope="module")
def poem_lm():
    tok = lmdemo.CharTokenizer.train("\n五言絕句七律詩《》靜夜思春" + QUATRAIN + "？！；")
    keras.utils.set_random_seed(0)
    lm = lmdemo.TransformerLM.create(tok, lmdemo.TransformerConfig(max_length=64, num_layers=1, num_heads=2,
                                                                   d_model=16))
    lm.task = "poem"
    return lm


def test_pipeline_writes_the_form_asked_in_either_script(poem_lm):
    write = lmdemo.pipeline("poem", model=poem_lm)
    for form in ("五言绝句", "七言律詩"):
        r = write("静夜思", form=form, seed=0)
        assert r["form_ok"] and check_form(r["poem"], form)["form_ok"]
        assert r["title"] == "靜夜思" and r["constrained"] and r["truncated"] is False
        assert r["lines"] == [line for line in r["lines"] if line[-1] in "，；？！。"]
    assert write("靜夜思", form="五言絕句", seed=1) == write("静夜思", form="五言绝句", seed=1)
    assert [r["poem"] for r in write(["春", "靜夜思"], seed=2)] == [write("春", seed=2)["poem"],
                                                                    write("靜夜思", seed=2)["poem"]]


def test_unconstrained_poems_stop_at_the_record_end(poem_lm):
    r = lmdemo.pipeline("poem", model=poem_lm)("春", form="五言絕句", seed=0, constrained=False)
    assert "\n" not in r["poem"] and not r["constrained"]
    assert len(r["poem"]) <= 36
    assert r["form_ok"] == check_form(r["poem"], "五言絕句")["form_ok"]


def test_script_converts_the_poem(poem_lm):
    write = lmdemo.pipeline("poem", model=poem_lm)
    traditional = write("春", seed=4)["poem"]
    simplified = write("春", seed=4, script="simplified")["poem"]
    assert len(simplified) == len(traditional)
    assert "靜" not in simplified and "詩" not in simplified


def test_poem_refusals(poem_lm, toy_lm):
    write = lmdemo.pipeline("poem", model=poem_lm)
    with pytest.raises(ValueError, match="unknown form='十言絕句'"):
        write("春", form="十言絕句")
    with pytest.raises(ValueError, match="title is empty"):
        write_poem(poem_lm, "\t")
    with pytest.raises(ValueError, match="sampler must be one of"):
        write("春", sampler="beam")
    with pytest.raises(ValueError, match="script must be one of"):
        write("春", script="latin")
    with pytest.raises(ValueError, match=r"poem takes .*unknown: \['num_beams'\]"):
        write("春", num_beams=2)
    with pytest.raises(ValueError, match="trained for task='lm', not task='poem'"):
        lmdemo.pipeline("poem", model=toy_lm)


def toy_poem_tokenizer():
    return lmdemo.CharTokenizer.train("\n五言絕句七律詩《》" + QUATRAIN + REGULATED_7 + "？！；abc 1")


def test_form_constraint_masks_follow_the_form():
    tok = toy_poem_tokenizer()
    c = FormConstraint(tok, "五言绝句")
    ids = tok.encode(QUATRAIN)
    assert c.num_tokens == len(ids) == 24
    for k, token in enumerate(ids):
        mask = c(ids[:k])
        assert mask[token], (k, tok.decode([token]))
        allowed = {tok.decode([i]) for i in np.flatnonzero(mask)}
        if k % 6 < 5:
            assert allowed.isdisjoint(set("，。？！；ab 1\n《》")) and "床" in allowed
        elif k % 12 == 5:
            assert allowed == set("，；？！")
        else:
            assert allowed == set("。？！")
    assert not c(ids[:3])[tok.unk_id]
    with pytest.raises(ValueError, match="already has its 4 lines"):
        c(ids)


def test_form_constraint_refusals():
    with pytest.raises(ValueError, match="character tokenizer"):
        FormConstraint(lmdemo.load_model_tokenizer("en-es-translation"), "五言絕句")
    with pytest.raises(ValueError, match="no token for any of '，；？！'"):
        FormConstraint(lmdemo.CharTokenizer.train("床前明月光。"), "五言絕句")


@pytest.mark.parametrize("form", list(FORMS))
def test_constrained_decoding_never_breaks_the_form_on_a_toy_model(form):
    import keras

    tok = toy_poem_tokenizer()
    keras.utils.set_random_seed(0)
    lm = lmdemo.TransformerLM.create(tok, lmdemo.TransformerConfig(max_length=32, num_layers=1, num_heads=2,
                                                                   d_model=16))
    c = FormConstraint(tok, form)
    for seed in range(3):
        poem = lm.generate("\n" + form, max_new_tokens=c.num_tokens, sampler="temperature", temperature=2.0,
                           seed=seed, allowed_tokens=c)
        r = check_form(poem, form)
        assert r["form_ok"] and r["marks_ok"] == FORMS[form][0], poem
    # the window (32) slides inside a 七言律詩 (64 tokens): the cache is re-read, the form still holds
    greedy = lm.generate("\n" + form, max_new_tokens=c.num_tokens, allowed_tokens=c)
    assert check_form(greedy, form)["form_ok"]
    assert greedy == lm.generate("\n" + form, max_new_tokens=c.num_tokens, allowed_tokens=c, use_cache=False)
