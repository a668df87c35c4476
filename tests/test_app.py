"""The app served in-process and called through gradio_client, as a Space visitor's script would.

Every endpoint is called with valid input (checked against ``lmdemo``/``evals`` called directly)
and with invalid input (checked for the message the visitor sees). The helper functions of
``lmdemo_app`` that shape the UI are tested on their own at the end.
"""

import json
import os
import urllib.error
import urllib.request

import numpy as np
import pytest
import yaml

import lmdemo
from evals.suite import TASK_METRICS
from lmdemo.data.chinese_script import to_simplified, to_traditional
from lmdemo_app.i18n import text as text_of
from tests.conftest import offline_hub_cache, served_app

MODEL = "shakespeare-char"


@pytest.fixture(scope="module")
def server():
    yield from served_app("LMDEMO_TEST_PORT", 7871)


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server, verbose=False)


@pytest.fixture(scope="module")
def lm():
    return lmdemo.load_model(MODEL)


def app_error(match):
    """The call ran and failed: the page shows ``match`` as a toast."""
    from gradio_client.exceptions import AppError

    return pytest.raises(AppError, match=match)


def field_error(field, match):
    """The call was refused before it ran (the event's validator): the page shows ``match`` under the input
    ``field`` (a handler's parameter) and the outputs keep their last result."""
    from gradio_client.exceptions import ValidationError

    return pytest.raises(ValidationError, match=rf"\n- {field}: {match}")


def plot_data(plot):
    assert plot["type"] == "plotly"
    return json.loads(plot["plot"])["data"]


# -- the page -------------------------------------------------------------------------------------
def test_every_tab_has_its_endpoint(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    names = set(endpoints)
    unnamed = [(name, r["label"]) for name, e in endpoints.items() for r in e["returns"]
               if str(r.get("label") or "value_").startswith("value_")]
    assert unnamed == []  # every output has a name in the API, not Gradio's value_NN
    assert {"/generate", "/next_token", "/sampling_steps", "/inspect", "/logit_lens", "/ablate", "/head_effects",
            "/tokenize", "/compare", "/evaluate", "/privacy", "/train", "/train_generate", "/translate",
            "/cross_attention", "/summarize", "/summary_attention", "/sentiment", "/history", "/score_history",
            "/compare_runs", "/poem"} <= names


def test_config_serves_english_and_chinese_strings(server):
    from lmdemo_app.i18n import STRINGS

    with urllib.request.urlopen(server + "config") as response:
        config = json.load(response)
    translations = config["i18n_translations"]
    assert translations["en"]["lmdemo_tab_generate"] == "Generate"
    assert translations["zh"]["lmdemo_tab_generate"] == "生成"
    assert translations["zh"]["lmdemo_language_code"] == "zh"  # what the hidden language box becomes
    assert translations["zh-CN"] == translations["zh"]
    assert set(translations["zh"]) == {"lmdemo_" + key for key in STRINGS}


# -- Generate ---------------------------------------------------------------------------------------
def test_generate_endpoint_streams_reproducible_text(client, lm):
    args = dict(prompt="ROMEO:", model_name=MODEL, sampler="top_k", max_new_tokens=30,
                temperature=0.8, top_k=20, top_p=0.9, num_beams=4, seed=7, api_name="/generate")
    job = client.submit(**args)
    chunks = list(job)
    assert len(chunks) >= 2 and chunks[-1].startswith(chunks[0])
    assert len(chunks[-1]) == 30
    assert client.predict(**args) == chunks[-1]
    assert chunks[-1] == lm.generate("ROMEO:", 30, sampler="top_k", temperature=0.8, top_k=20, top_p=0.9, seed=7)


def test_generate_endpoint_continues_chinese_prompt(client, lm):
    text = client.predict("生存还是毁灭", MODEL, "greedy", 12, 1.0, 10, 0.9, 4, 0, api_name="/generate")
    assert text == lm.generate("生存还是毁灭", 12, sampler="greedy")
    assert len(text) == 12


def test_generate_endpoint_reports_bad_input(client):
    with field_error("max_new_tokens", r"max_new_tokens must be in \[1, 1000\], received max_new_tokens=0"):  # the slider's check
        client.predict("ROMEO:", MODEL, "greedy", 0, 1.0, 10, 0.9, 4, 0, api_name="/generate")
    with field_error("prompt", "prompt has 20,000 characters"):
        client.predict("a" * 20_000, MODEL, "greedy", 5, 1.0, 10, 0.9, 4, 0, api_name="/generate")
    with field_error("model_name", r"model_name must be one of \[.*\], received model_name='no-such-model'"):  # Hub ids may be typed in
        client.predict("ROMEO:", "no-such-model", "greedy", 5, 1.0, 10, 0.9, 4, 0, api_name="/generate")


def test_next_token_chart_shows_the_models_top_probabilities(client, lm):
    from lmdemo_app.charts import show_token

    bars = plot_data(client.predict("ROMEO:", MODEL, "temperature", 1.0, 20, 0.9, api_name="/next_token"))[0]
    probs = lm.next_token_probs("ROMEO:")
    order = np.argsort(-probs, kind="stable")[:15]
    # drawn bottom-up: the most probable token is the last bar
    assert bars["y"][::-1] == [f"{show_token(lm.tokenizer.id_to_token(int(i)))} " for i in order]
    np.testing.assert_allclose(bars["x"][::-1], probs[order], rtol=1e-5)


def test_next_token_chart_shows_what_the_sampler_cuts_off(client, lm):
    figure = client.predict("First Citizen:\nWe", MODEL, "top_k", 1.5, 3, 0.9, api_name="/next_token")
    drawn, cut = plot_data(figure)
    r = lm.sampling_probs("First Citizen:\nWe", sampler="top_k", temperature=1.5, top_k=3)
    order = np.argsort(-r["model"], kind="stable")[:15]
    np.testing.assert_allclose(drawn["x"][::-1], np.where(r["sampler"][order] > 0, r["sampler"][order], 0), atol=1e-6)
    np.testing.assert_allclose(cut["x"][::-1], np.where(r["sampler"][order] > 0, 0, r["tempered"][order]), atol=1e-6)
    assert sum(x > 0 for x in drawn["x"]) == 3 and sum(x > 0 for x in cut["x"]) == 12
    title = json.loads(figure["plot"])["layout"]["title"]["text"]
    assert title == f"top-k: keeps 3 of 66 tokens,<br>{r['kept_mass']:.3f} of the probability after temperature 1.5"
    with field_error("top_p", r"top_p must be in \[0.01, 1\], received top_p=0"):  # the slider's own check, naming it
        client.predict("ROMEO:", MODEL, "top_p", 1.0, 20, 0.0, api_name="/next_token")
    with field_error("sampler", r"sampler must be one of \[.*\], received sampler='nucleus'"):  # the radio's own check
        client.predict("ROMEO:", MODEL, "nucleus", 1.0, 20, 0.5, api_name="/next_token")


def test_sampling_steps_show_each_pick_and_the_beams(client, lm):
    table = client.predict("ROMEO:", MODEL, "top_p", 12, 0.9, 20, 0.8, 4, 5, api_name="/sampling_steps")
    steps = lm.sampling_steps("ROMEO:", 12, "top_p", temperature=0.9, top_p=0.8, seed=5, top_n=5)
    assert [row[0] for row in table["data"]] == list(range(1, 13))
    from lmdemo_app.charts import show_token

    assert [row[1] for row in table["data"]] == [show_token(s["token"]) for s in steps]
    assert "".join(s["token"] for s in steps) == lm.generate("ROMEO:", 12, "top_p", temperature=0.9, top_p=0.8, seed=5)
    first = steps[0]["candidates"][0]
    assert table["data"][0][4] == f"{show_token(first['token'])}: {first['model']:.3f} → {first['sampler']:.3f}"
    beams = client.predict("ROMEO:", MODEL, "beam", 6, 1.0, 20, 0.9, 3, 0, api_name="/sampling_steps")
    assert beams["headers"] == ["step", "beam 1", "beam 2", "beam 3"] and len(beams["data"]) == 6
    best = lm.generate("ROMEO:", 6, sampler="beam", num_beams=3)
    assert beams["data"][-1][1].startswith(show_token(best) + "  (")
    with field_error("steps", r"steps must be in \[1, 60\], received steps=61"):  # the slider's own check, naming it
        client.predict("ROMEO:", MODEL, "greedy", 61, 1.0, 20, 0.9, 3, 0, api_name="/sampling_steps")


def test_model_info_describes_the_model(client, lm):
    assert client.predict(MODEL, api_name="/model_info") == (
        f"**{MODEL}** (transformer): {lm.describe()}; {lm.num_params():,} parameters.")


def test_a_hugging_face_id_typed_in_is_loaded_and_used_like_a_shipped_model(client, tmp_path, monkeypatch):
    from lmdemo_app import shared_models

    offline_hub_cache(tmp_path / "hub", monkeypatch, models=("tiny-gpt2", "tiny-bert-classifier"))
    name = "hf:lmdemo-tests/tiny-gpt2"
    hub = lmdemo.load_model(name)
    assert client.predict(name, api_name="/model_info") == (
        f"**{name}** (transformer): {hub.describe()}; {hub.num_params():,} parameters.")
    weights = client.predict("Hello there", name, 2, 3, 31, api_name="/inspect")[7]
    np.testing.assert_allclose(plot_data(weights)[0]["z"], hub.inspect("Hello there")["blocks"][1]["attention_weights"][2],
                               atol=1e-6)
    assert client.predict("Hello", name, "greedy", 5, 1.0, 10, 0.9, 2, 0, api_name="/generate") == \
        hub.generate("Hello", max_new_tokens=5)
    table, _, generations = client.predict("Hello there, friend.", [MODEL, name], "Hello", 5, 3, api_name="/compare")
    assert {row[1] for row in table["data"]} == {MODEL, name}  # Compare takes a typed Hub id too
    assert [row[0] for row in generations["data"]] == [MODEL, name]
    with app_error("'hf:lmdemo-tests/absent' cannot be downloaded: this machine cannot reach the Hugging Face Hub"):
        client.predict("hf:lmdemo-tests/absent", api_name="/model_info")
    with app_error("is not a Hugging Face model id: write hf:NAME or hf:OWNER/NAME"):
        client.predict("hf:../../etc", api_name="/model_info")
    bert = "hf:lmdemo-tests/tiny-bert-classifier"  # a BERT classifier in the Sentiment tab
    label, _ = client.predict("A charming and often affecting journey.", bert, api_name="/sentiment")
    assert label["label"] == "positive" and {c["label"] for c in label["confidences"]} <= {"negative", "neutral",
                                                                                          "positive"}
    with app_error(f"{bert} is a sentiment model \\(classifier\\); here it takes a lm model"):
        client.predict(bert, api_name="/model_info")
    monkeypatch.setattr(shared_models, "MAX_HUB_PARAMS", 1000)
    shared_models._hub.clear()
    with app_error(r"hf:lmdemo-tests/tiny-gpt2 has about 4[\d,]+ weights; this app loads Hub models of at most 1,000"):
        client.predict(name, api_name="/model_info")


# -- Inside the Transformer ---------------------------------------------------------------------------
def test_inspect_shows_the_models_own_numbers(client, lm):
    out = client.predict("To be, or not", MODEL, 2, 3, 4, api_name="/inspect")
    note, tokens, embeddings, q, k, v, scores, weights, query, combined, ffn, top, chart = out
    ref = lm.inspect("To be, or not")
    assert note == text_of("note_rope")  # shakespeare-char has RoPE: the view says where the positions went
    assert [row[2] for row in tokens["data"]] == lm.tokenizer.encode("To be, or not")
    assert len(embeddings["data"]) == 3 * 13
    np.testing.assert_allclose([row[1:] for row in q["data"]], ref["blocks"][1]["query"][2][:, :8], atol=1e-4)
    np.testing.assert_allclose([row[1:] for row in v["data"]], ref["blocks"][1]["value"][2][:, :8], atol=1e-4)
    heat = plot_data(weights)[0]
    np.testing.assert_allclose(heat["z"], ref["blocks"][1]["attention_weights"][2], atol=1e-6)
    np.testing.assert_allclose(np.sum(heat["z"], axis=1), 1.0, atol=1e-5)
    masked = plot_data(scores)[0]
    assert masked["z"][0][1] is None and masked["z"][1][0] is not None  # the causal mask: above the diagonal is blank
    assert masked["zmid"] == 0  # signed scores: the diverging colours are centred on 0
    bars = plot_data(query)[0]  # query position 4 attends to positions 0…4
    np.testing.assert_allclose(bars["y"], ref["blocks"][1]["attention_weights"][2][4, :5], atol=1e-6)
    probs = ref["probs"][-1]  # inspect reads the text alone, without the start token next_token_probs adds
    assert top["data"][0][1] == int(np.argmax(probs))
    assert top["data"][0][3] == round(float(probs.max()), 4)


def test_inspect_reads_the_first_tokens_of_a_long_text_and_says_so(client, lm):
    text = "To be, or not to be, that is the question: whether"  # 50 characters
    note, tokens, *_, query, _, _, _, _ = client.predict(text, MODEL, 1, 1, 31, api_name="/inspect")
    assert note.startswith("The text has 50 tokens; this view reads the first 32: 'To be, or not to be, that is the'.")
    assert len(tokens["data"]) == 32
    assert len(plot_data(query)[0]["y"]) == 32  # query 31, the last of the 32


def test_inspect_reads_chinese_as_unknown_characters(client, lm):
    tokens = client.predict("生存 be", MODEL, 1, 1, 31, api_name="/inspect")[1]
    unk = lm.tokenizer.encode("生")[0]
    assert tokens["data"] == [[0, "<unk>", unk], [1, "<unk>", unk], [2, "␣", 1], [3, "b", 40], [4, "e", 43]]


def test_inspect_reports_bad_input(client):
    with field_error("text", "text is empty"):
        client.predict("  ", MODEL, 1, 1, 31, api_name="/inspect")
    with field_error("layer", r"layer must be in \[1, 4\], received layer=5"):  # Gradio's slider check
        client.predict("To be", MODEL, 5, 1, 31, api_name="/inspect")
    with field_error("model_name", r"model_name must be one of \[[^]]*'ptb-transformer'[^]]*\], received model_name='ptb-lstm'"):
        client.predict("To be", "ptb-lstm", 1, 1, 31, api_name="/inspect")


def test_logit_lens_grid_holds_each_layers_top_token(client, lm):
    from lmdemo_app.charts import show_token

    grid, table = client.predict("To be, or not", MODEL, api_name="/logit_lens")
    lens = lm.logit_lens("To be, or not", top_k=5)
    cells = plot_data(grid)[0]
    assert cells["y"] == ["embeddings", "block 1", "block 2", "block 3", "block 4"]
    assert cells["text"] == [[show_token(at[0][0]) for at in layer] for layer in lens]
    np.testing.assert_allclose(cells["z"], [[at[0][1] for at in layer] for layer in lens], atol=1e-6)
    assert len(table["data"]) == 5 * 13
    last = table["data"][-1]
    assert last[:2] == ["block 4", "12:t"]
    assert last[2:] == [f"{show_token(tok)} {p:.3f}" for tok, p in lens[-1][-1]]
    with field_error("text", "text is empty"):
        client.predict("", MODEL, api_name="/logit_lens")


def test_ablate_compares_the_next_token_with_and_without_the_heads(client, lm):
    sample = "ROMEO:\nBut, soft! what light through yonder window breaks?\n"
    chart, summary = client.predict("To be, or not", MODEL, ["L1 H3", "L2 H1"], sample, api_name="/ablate")
    with_all, without = plot_data(chart)
    full = lm.next_token_probs("To be, or not")
    off = lm.next_token_probs("To be, or not", ablate_heads=[(0, 2), (1, 0)])
    order = np.argsort(-np.maximum(full, off), kind="stable")[:10]
    np.testing.assert_allclose(with_all["x"][::-1], full[order], atol=1e-6)
    np.testing.assert_allclose(without["x"][::-1], off[order], atol=1e-6)
    bits = [-lm.log_probs(sample, ablate_heads=h).sum() / len(sample) / np.log(2) for h in ([], [(0, 2), (1, 0)])]
    assert summary.startswith(f"**Switched off: L1 H3, L2 H1.** Bits per character on the sample text: "
                              f"{bits[0]:.4f} → {bits[1]:.4f} ({bits[1] - bits[0]:+.4f}).")
    with field_error("heads", "heads is empty: tick at least one head"):
        client.predict("To be", MODEL, [], sample, api_name="/ablate")
    with field_error("heads", r"heads must be labels such as 'L1 H2' \(layers 1…4, heads 1…4\), received 'L9 H1'"):
        client.predict("To be", MODEL, ["L9 H1"], sample, api_name="/ablate")


def test_head_effects_rank_every_head(client, lm):
    sample = "ROMEO:\nBut, soft! what light through yonder window breaks?\n"
    chart, table = client.predict(MODEL, sample, api_name="/head_effects")
    base, effects = lm.head_effects(sample)
    assert [row[0] for row in table["data"]] == [f"L{l + 1} H{h + 1}" for l, h, _ in effects]
    np.testing.assert_allclose([row[1] for row in table["data"]], [round(e, 4) for _, _, e in effects], atol=1e-4)
    assert f"all heads: {base:.4f} bits per character" in json.loads(chart["plot"])["layout"]["title"]["text"]
    with field_error("sample", "sample is empty"):
        client.predict(MODEL, " ", api_name="/head_effects")


# -- Tokenizers --------------------------------------------------------------------------------------
def test_tokenize_splits_english_and_chinese(client, lm):
    text = "To be 生存"
    char, bpe, word, shipped, counts = client.predict(text, 300, MODEL, api_name="/tokenize")
    assert "".join(seg["token"] for seg in char) == text
    assert [seg["token"] for seg in word] == ["To", " ", "be", " ", "生存"]
    # the two Chinese characters are unknown to the Shakespeare model: two <unk> tokens, then the raw text
    assert [seg["class_or_confidence"] for seg in shipped if seg["class_or_confidence"]] == [
        f"{i} <unk>" if i == lm.tokenizer.unk_id else str(i) for i in lm.tokenizer.encode(text)]
    assert [seg["token"] for seg in shipped][-2:] == ["生", "存"]  # each shown as itself, labelled <unk>
    assert shipped[-1]["class_or_confidence"] == f"{lm.tokenizer.unk_id} <unk>"
    # byte-level BPE: a Chinese character split over three byte tokens is shown once, with its three ids
    assert any(seg["token"] == "生" and seg["class_or_confidence"].startswith("3 bytes: ") for seg in bpe)
    assert [row[2] for row in counts["data"]] == [8, len(lmdemo.BPETokenizer.train(text, vocab_size=300).encode(text)),
                                                  3, 8]


def test_tokenize_reports_bad_input(client):
    with field_error("text", "text is empty"):
        client.predict("", 300, MODEL, api_name="/tokenize")
    with field_error("bpe_vocab_size", r"bpe_vocab_size must be in \[257, 2000\], received bpe_vocab_size=100"):
        client.predict("abc", 100, MODEL, api_name="/tokenize")


# -- Compare models ------------------------------------------------------------------------------------
def test_compare_scores_like_the_perplexity_metric(client, lm):
    from evals.scoring.perplexity import perplexity

    text = "First Citizen:\nSpeak, speak. 说吧。"
    table, chart, generations = client.predict(text, [MODEL], "ROMEO:", 20, 3, api_name="/compare")
    expected = perplexity([text], lm, per_text=False)
    row = dict(zip(table["headers"], table["data"][0]))
    assert row["model"] == MODEL and row["tokens scored"] == len(text)
    assert row["bits per character"] == round(expected["bits_per_char"], 4)
    assert row["perplexity per token"] == round(expected["perplexity_per_token"], 4)
    assert plot_data(chart)[0]["y"] == [row["bits per character"]]
    assert generations["data"] == [[MODEL, lm.generate("ROMEO:", 20, sampler="top_k", top_k=20, temperature=0.8,
                                                       seed=3)]]


def test_compare_reports_bad_input(client):
    with field_error("model_names", "models is empty"):
        client.predict("some text", [], "ROMEO:", 20, 0, api_name="/compare")
    with field_error("text", "text is empty"):
        client.predict("", [MODEL], "ROMEO:", 20, 0, api_name="/compare")


# -- Privacy ---------------------------------------------------------------------------------------------
def test_privacy_highlights_and_replaces(client):
    found, clean, counts = client.predict("Mail jane.doe@example.com or call +1 415-555-0100.", "placeholder",
                                          ["EMAIL", "PHONE"], api_name="/privacy")
    assert [(s["token"], s["class_or_confidence"]) for s in found] == [
        ("Mail ", None), ("jane.doe@example.com", "EMAIL"), (" or call ", None), ("+1 415-555-0100", "PHONE"),
        (".", None)]
    assert clean == "Mail [EMAIL] or call [PHONE]."
    assert counts["data"] == [["EMAIL", 1], ["PHONE", 1]]
    _, masked, _ = client.predict("请联系张伟，电话 13812345678。", "mask", ["PERSON", "PHONE"], api_name="/privacy")
    assert masked == "请联系**，电话 ***********。"


def test_privacy_reports_bad_input(client):
    with field_error("types", "types is empty"):
        client.predict("jane@example.com", "placeholder", [], api_name="/privacy")
    with field_error("text", "text is empty"):
        client.predict("", "placeholder", ["EMAIL"], api_name="/privacy")


# -- Evaluate ----------------------------------------------------------------------------------------------
SAMPLE = "translation.tsv (predictions vs references)"


def needs(name):
    if name not in lmdemo.available_models():
        pytest.skip(f"the shipped {name} checkpoint is missing")
    return lmdemo.load_model(name)


def test_translate_matches_the_pipeline(client):
    model = needs("en-es-translation")
    text = "Where is the station?\n\nI like cats."
    out, note = client.predict(text, "en-es-translation", 2, api_name="/translate")
    expected = lmdemo.pipeline("translation", model=model)(["Where is the station?", "I like cats."], num_beams=2)
    assert out == "\n".join(r["translation_text"] for r in expected) and note == ""
    out, note = client.predict("hello " * 300, "en-es-translation", 1, api_name="/translate")
    assert "Line(s) [1] were longer than the model reads" in note
    with field_error("text", "text is empty"):
        client.predict(" \n ", "en-es-translation", 1, api_name="/translate")
    out, _ = client.predict(text, "en-es-translation", 2, api_name="/translate")
    heat = plot_data(client.predict(text, out, "en-es-translation", 2, 2, "3", api_name="/cross_attention"))[0]
    ref = model.attention("I like cats.", out.split("\n")[1])
    np.testing.assert_allclose(heat["z"], ref["cross_attention"][1, 2], atol=1e-6)
    mean = plot_data(client.predict(text, out, "en-es-translation", 1, 1, "mean", api_name="/cross_attention"))[0]
    np.testing.assert_allclose(mean["z"], model.attention("Where is the station?", out.split("\n")[0])
                               ["cross_attention"][0].mean(0), atol=1e-6)
    with field_error("line", "line is 3, and the text has 2 line"):
        client.predict(text, out, "en-es-translation", 3, 1, "mean", api_name="/cross_attention")
    with field_error("num_beams", r"num_beams must be in \[1, 8\], received num_beams=9"):  # the slider's own check
        client.predict("hi", "en-es-translation", 9, api_name="/translate")


def test_translate_to_chinese_in_either_script(client):
    model = needs("en-zh-translation")
    text = "Tom is reading a book.\nI like to drink tea."
    out, _ = client.predict(text, "en-zh-translation", 1, "", api_name="/translate")
    expected = lmdemo.pipeline("translation", model=model)(text.split("\n"), num_beams=1)
    assert out == "\n".join(r["translation_text"] for r in expected)
    simplified, _ = client.predict(text, "en-zh-translation", 1, "simplified", api_name="/translate")
    traditional, _ = client.predict(text, "en-zh-translation", 1, "traditional", api_name="/translate")
    assert simplified == to_simplified(out) and traditional == to_traditional(out)
    with field_error("script", r"script must be one of \['', 'simplified', 'traditional'\], received script='latin'"):  # the radio's own check
        client.predict(text, "en-zh-translation", 1, "latin", api_name="/translate")


def test_poem_keeps_the_form_and_refuses_bad_input(client):
    model = needs("tang-poems-char")
    poem, note = client.predict("春夜", "七言绝句" if False else "七言絕句", 0.8, 3, True, "", "tang-poems-char",
                                api_name="/poem")
    expected = lmdemo.pipeline("poem", model=model)("春夜", form="七言絕句", temperature=0.8, seed=3)
    assert poem == "\n".join(expected["lines"]) and len(poem.split("\n")) == 4
    assert "A 七言絕句: 4 lines" in note
    simplified, _ = client.predict("春夜", "七言絕句", 0.8, 3, True, "simplified", "tang-poems-char", api_name="/poem")
    assert simplified == to_simplified(poem)
    with field_error("title", "title is empty"):
        client.predict(" ", "七言絕句", 0.8, 3, True, "", "tang-poems-char", api_name="/poem")
    with field_error("form", r"form must be one of \[.*\], received form='六言'"):  # the radio's own check
        client.predict("春夜", "六言", 0.8, 3, True, "", "tang-poems-char", api_name="/poem")
    with field_error("title", r"title has 65 characters; the limit here is 64"):
        client.predict("長" * 65, "七言絕句", 0.8, 3, True, "", "tang-poems-char", api_name="/poem")


def test_summarize_extractive_and_abstractive(client):
    dialogue = "Ann: lunch at noon?\nBob: sure\nAnn: great\nBob: see you"
    out, note = client.predict(dialogue, "lead-3", 1, api_name="/summarize")
    assert out == "Ann: lunch at noon?\nBob: sure\nAnn: great" and note == ""
    with field_error("method", r"method must be one of \[.*\], received method='nonsense'"):  # the radio's own check
        client.predict(dialogue, "nonsense", 1, api_name="/summarize")
    model = needs("samsum-summarization")
    out, _ = client.predict(dialogue, "samsum-summarization", 1, api_name="/summarize")
    assert out == lmdemo.pipeline("summarization", model=model)(dialogue, num_beams=1)["summary_text"]
    cross, copy = client.predict(dialogue, out, "samsum-summarization", 2, "mean", api_name="/summary_attention")
    ref = model.attention(dialogue, out)
    np.testing.assert_allclose(plot_data(cross)[0]["z"], ref["cross_attention"][1].mean(0), atol=1e-6)
    np.testing.assert_allclose(plot_data(copy)[0]["z"], ref["copy_attention"], atol=1e-6)
    assert client.predict(dialogue, out, "lead-3", 1, "mean", api_name="/summary_attention") == (None, None)


def test_sentiment_matches_the_pipeline(client):
    model = needs("sst2-sentiment")
    label, table = client.predict("a gorgeous , witty movie .\nan awful bore .", "sst2-sentiment",
                                  api_name="/sentiment")
    expected = lmdemo.pipeline("sentiment", model=model)(["a gorgeous , witty movie .", "an awful bore ."])
    assert label["label"] == expected[0]["label"]
    assert [row[1] for row in table["data"]] == [r["label"] for r in expected]
    if model.ngram_expert is not None:  # the shipped classifier has a second expert: each one's own score
        assert table["headers"] == ["text", "label", "score", "transformer alone", "ngrams alone", "truncated",
                                    "unknown to the model"]
        assert [row[-1] for row in table["data"]] == ["0%", "0%"]  # every word of both lines is in its vocabulary
        assert [row[4] for row in table["data"]] == [round(r["experts"]["ngrams"][r["label"]], 4) for r in expected]
    with field_error("model_name", r"model_name must be one of \['sst2-sentiment'\], received model_name='nope'"):  # ids may be typed in
        client.predict("fine", "nope", api_name="/sentiment")


def test_evaluate_sample_matches_the_harness(client, tmp_path):
    from evals.harness import run_suite
    from lmdemo_app.evaluate_tab import SAMPLES_DIR

    status, scores, chart, rows, files = client.predict(None, SAMPLE, "translation", MODEL, ["bleu", "rouge"], "", "",
                                                  "prediction", "", 100, True, api_name="/evaluate")
    suite = tmp_path / "suite.yaml"
    suite.write_text(yaml.safe_dump({"runs": [{
        "name": "t", "task": "translation", "dataset": os.path.join(SAMPLES_DIR, "translation.tsv"),
        "predictions_column": "prediction", "metrics": ["bleu", "rouge"], "limit": 100, "confidence_interval": True,
        "seed": 0}]}))
    expected = run_suite(str(suite), str(tmp_path / "out"))["runs"][0]["scores"]
    assert status.startswith("**COMPLETE: all 1 runs succeeded** · task translation · 4 rows")
    assert "the predictions in column “prediction” against “reference”" in status and "metrics bleu, rouge" in status
    assert [row[:3] for row in scores["data"]] == [[s["metric"], s["key"], round(s["value"], 4)] for s in expected]
    # every row with its own score, as the harness wrote it
    assert rows["headers"][:2] == ["row", "rougeLsum F-measure"] and len(rows["data"]) == 4
    assert [os.path.basename(f) for f in files] == ["report.html", "report.md", "results.json"]
    with open(files[0], encoding="utf-8") as f:
        assert f.read().startswith("<!DOCTYPE html>")
    with open(files[2], encoding="utf-8") as f:
        assert json.load(f)["status"] == "complete"
    # one chart per metric scale: BLEU (0-100) and ROUGE (0-1) never share an axis
    assert [trace["x"] for trace in plot_data(chart)] == [["score"], ["rouge1", "rouge2", "rougeL", "rougeLsum"]]


def test_history_lists_charts_and_compares_recorded_runs(client, tmp_path):
    from evals.history import RunHistory

    client.predict(None, SAMPLE, "translation", MODEL, ["bleu", "rouge"], "", "", "prediction", "", 100, True,
                   api_name="/evaluate")
    client.predict(None, SAMPLE, "translation", MODEL, ["bleu", "rouge"], "", "", "reference", "", 100, True,
                   api_name="/evaluate")  # the references as predictions: a perfect run on the same data
    runs, _ = client.predict("app-translation", api_name="/history")
    ids = [row[0] for row in runs["data"]][:2]
    assert runs["headers"][:4] == ["id", "time (UTC)", "run", "task"] and all(row[2] == "app-translation" for row in runs["data"])
    with RunHistory() as db:  # the app's runs keep their scores, not the visitor's texts
        record = db.record(ids[0])
        assert record["rows"] and all(set(r) <= {"row", "score", "score_name"} for r in record["rows"])
    chart = client.predict("app-translation", api_name="/score_history")
    assert {trace["name"] for trace in plot_data(chart)} >= {"bleu", "rougeL"}
    status, table, differences = client.predict(ids[0], ids[1], api_name="/compare_runs")
    assert status.startswith(f"A = run {ids[0]} (app-translation") and "4 items" in status
    by_score = {row[0]: dict(zip(table["headers"], row)) for row in table["data"]}
    assert by_score["bleu"]["A"] == 100.0 and by_score["bleu"]["A − B"] > 0
    assert by_score["bleu"]["test"] == "paired bootstrap"
    assert differences["headers"] == ["row", "A", "B", "A − B"] and len(differences["data"]) == 4
    with field_error("run_b", "run_b: no run has id 99999"):
        client.predict(ids[0], 99999, api_name="/compare_runs")
    with field_error("run_a", "run_a must be a run id"):
        client.predict(None, ids[1], api_name="/compare_runs")


def test_evaluate_runs_the_bias_probe_on_a_model_alone(client):
    if "sst2-sentiment" not in lmdemo.available_models():
        pytest.skip("the shipped sentiment model is missing")
    status, scores, chart, rows, files = client.predict(None, None, "bias", "sst2-sentiment", ["bias"], "", "", "",
                                                        "", 100, True, "", api_name="/evaluate")
    assert status.startswith("**COMPLETE: all 1 runs succeeded** · data-bias probe of **sst2-sentiment**")
    assert {row[1] for row in scores["data"]} == {"gender_gap", "origin_gap", "pronoun_gap", "nationality_gap",
                                                  "religion_gap", "age_gap"}
    assert rows["headers"][:4] == ["dimension", "higher group", "lower group", "gap"]
    assert len(rows["data"]) == 1 + 15 + 3 + 45 + 15 + 3  # every pair of groups of every dimension
    with open(files[2], encoding="utf-8") as f:
        assert json.load(f)["runs"][0]["bias"]["score_name"] == "P(positive)"
    with field_error("model_name", "model_name must be one of"):
        client.predict(None, None, "bias", "en-es-translation", ["bias"], "", "", "", "", 100, True, "",
                       api_name="/evaluate")


MODEL_SAMPLE = "translation_en_es.tsv (English → Spanish, translated by a model)"


def test_evaluate_runs_a_task_model_as_the_harness_does(client, tmp_path):
    from evals.harness import run_suite
    from lmdemo_app.evaluate_tab import SAMPLES_DIR

    if not {"en-es-translation", "sst2-sentiment"} <= set(lmdemo.available_models()):
        pytest.skip("the shipped task models are missing")
    status, scores, _, _, files = client.predict(None, MODEL_SAMPLE, "translation", "en-es-translation",
                                              ["bleu", "rouge"], "", "", "", "", 100, True, api_name="/evaluate")
    suite = tmp_path / "suite.yaml"
    suite.write_text(yaml.safe_dump({"runs": [{
        "name": "t", "task": "translation", "dataset": os.path.join(SAMPLES_DIR, "translation_en_es.tsv"),
        "model": "en-es-translation", "metrics": ["bleu", "rouge"], "limit": 100, "confidence_interval": True,
        "seed": 0}]}, allow_unicode=True))
    expected = run_suite(str(suite), str(tmp_path / "out"))["runs"][0]
    assert status.startswith("**COMPLETE: all 1 runs succeeded** · task translation · 12 rows")
    assert "predictions made now by **en-es-translation**" in status and "EMAIL: 2" in status  # source, reference
    assert [row[:3] for row in scores["data"]] == [[s["metric"], s["key"], round(s["value"], 4)]
                                                   for s in expected["scores"]]
    with open(files[2], encoding="utf-8") as f:
        assert json.load(f)["runs"][0]["model"] == "en-es-translation"
    # an upload whose sources sit in a column of another name, classified by the sentiment model
    data = tmp_path / "reviews.csv"
    data.write_text("review,label\n\"A warm, funny and beautifully acted film.\",positive\n"
                    "\"Badly written, badly acted and far too long.\",negative\n", encoding="utf-8")
    from gradio_client import handle_file

    status, scores, _, _, _ = client.predict(handle_file(str(data)), None, "sentiment", "sst2-sentiment",
                                          ["sentiment_accuracy"], "review", "", "", "", 100, False, "",
                                          api_name="/evaluate")
    row = dict(zip(scores["headers"], scores["data"][0]))
    assert "predictions made now by **sst2-sentiment**" in status and (row["key"], row["value"]) == ("accuracy", 1.0)


def test_evaluate_upload_is_sanitized_before_scoring(client, tmp_path):
    from gradio_client import handle_file

    data = tmp_path / "mine.csv"
    data.write_text("text,label,prediction\n"
                    "\"Mail jane.doe@example.com, great service\",positive,positive\n"
                    "\"服务很差，打 13812345678 也没人接\",negative,negative\n"
                    "\"Fine.\",neutral,positive\n", encoding="utf-8")
    status, scores, _, _, files = client.predict(handle_file(str(data)), None, "sentiment", MODEL,
                                              ["sentiment_accuracy"], "", "", "prediction", "", 100, False,
                                              api_name="/evaluate")
    assert "EMAIL: 1" in status and "PHONE: 1" in status
    row = dict(zip(scores["headers"], scores["data"][0]))
    assert (row["key"], row["value"]) == ("accuracy", round(2 / 3, 4))
    with open(files[1], encoding="utf-8") as f:
        report = f.read()
    assert "jane.doe@example.com" not in report and "13812345678" not in report and "mine.csv" not in report


def test_evaluate_reports_bad_input(client, tmp_path):
    from gradio_client import handle_file

    with field_error("upload", "no data: upload"):
        client.predict(None, None, "lm", MODEL, ["perplexity"], "", "", "", "", 10, False, api_name="/evaluate")
    with field_error("metrics", r"metrics \['bleu'\] do not fit task='lm'"):
        client.predict(None, SAMPLE, "lm", MODEL, ["bleu"], "", "", "", "", 10, False, api_name="/evaluate")
    with field_error("model_name", r"model_name must be one of \['en-es-translation'[^]]*\] for task='translation' "
                                   r"\(or name a prediction_column"):
        client.predict(None, SAMPLE, "translation", MODEL, ["bleu"], "", "", "", "", 10, False, api_name="/evaluate")
    with field_error("source_column", r"the file has no column 'english' \(source_column\); its columns are "
                                      r"\['source', 'reference'\]"):
        client.predict(None, MODEL_SAMPLE, "translation", "en-es-translation", ["bleu"], "", "", "", "", 10, False,
                       "english", api_name="/evaluate")
    with field_error("prediction_column", "the file has no column 'guess'"):
        client.predict(None, SAMPLE, "translation", MODEL, ["bleu"], "", "", "guess", "", 10, False,
                       api_name="/evaluate")
    bad = tmp_path / "data.xlsx"
    bad.write_bytes(b"PK")
    with field_error("upload", r"upload must be one of \['.csv', .*\], received 'data.xlsx'"):  # file_types
        client.predict(handle_file(str(bad)), None, "lm", MODEL, ["perplexity"], "", "", "", "", 10, False,
                       api_name="/evaluate")


def test_personal_data_in_a_failing_request_stays_out_of_the_server_log(client, capfd):
    # the visitor reads their own value under the field; the server's log never holds it
    with field_error("prediction_column", r"the file has no column 'jane.doe@example.com'"):
        client.predict(None, SAMPLE, "translation", MODEL, ["bleu"], "", "", "jane.doe@example.com", "", 10, False,
                       api_name="/evaluate")
    out, err = capfd.readouterr()
    assert "jane.doe@example.com" not in out + err


def test_a_request_gradio_refuses_does_not_log_its_personal_data(server, capfd, caplog):
    # too few values over raw HTTP: Gradio refuses the request before the validator runs (status 400) and
    # prints why, the values it received included, which app.launch sends through the PII redactor
    request = urllib.request.Request(server + "gradio_api/call/privacy", headers={"Content-Type": "application/json"},
                                     data=json.dumps({"data": ["Mail jane.doe@example.com now"]}).encode())
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 400 and "enough input values" in refused.value.read().decode()
    out, err = capfd.readouterr()
    logged = out + err + caplog.text  # where the records go: stderr when served, pytest's handler here
    assert "Mail [EMAIL] now" in logged and "jane.doe@example.com" not in logged


# -- Train ---------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_train_streams_the_loss_then_generates(server):
    from gradio_client import Client

    from lmdemo_app.train_tab import SAMPLE as TEXT

    client = Client(server, verbose=False)  # its own session: the trained model lives in its state
    with app_error("no trained model in this session"):
        client.predict("To be", 10, 0, api_name="/train_generate")
    updates = list(client.submit(TEXT, None, "transformer", 20, 60, api_name="/train"))
    assert updates[0][0].startswith("transformer: starting")
    assert [u[0].split(" · ")[0] for u in updates[1:-1]] == [f"step {s} / 20" for s in range(1, 21)]
    assert updates[-1][0].startswith("**Done**")
    assert plot_data(updates[-1][1])[0]["x"] == list(range(1, 21))
    first = client.predict("To be", 30, 5, api_name="/train_generate")
    assert len(first) == 30 and client.predict("To be", 30, 5, api_name="/train_generate") == first


def test_train_ngram_counts_and_generates(server):
    from gradio_client import Client

    from lmdemo_app.train_tab import SAMPLE as TEXT

    client = Client(server, verbose=False)
    status, chart, = client.predict(TEXT, None, "ngram", 10, 10, api_name="/train")
    # counted, not trained: one record, the loss on the training text's start and on the last 10%
    assert status.startswith("**Done**") and "5-gram" in status and "validation loss" in status
    assert [trace["name"] for trace in plot_data(chart)] == ["train", "validation"]
    assert client.predict("生存还是", 9, 0, api_name="/train_generate") != ""


def test_train_fine_tunes_a_hugging_face_gpt2_typed_in(server, tmp_path, monkeypatch):
    from gradio_client import Client

    from lmdemo_app.train_tab import FINE_TUNE, SAMPLE as TEXT

    offline_hub_cache(tmp_path / "hub", monkeypatch)
    name = "hf:lmdemo-tests/tiny-gpt2"
    client = Client(server, verbose=False)
    updates = list(client.submit(TEXT, None, "transformer", 10, 60, name, api_name="/train"))
    assert updates[0][0] == f"{name} (fine-tuned): starting (the first step compiles the model)…"
    assert updates[-1][0].startswith("**Done**") and f"{lmdemo.load_model(name).num_params():,} parameters" in \
        updates[-1][0]
    assert len(plot_data(updates[-1][1])[0]["x"]) == 10
    assert client.predict("Hello", 5, 0, api_name="/train_generate") != ""
    assert FINE_TUNE["window"] <= 64  # the fixture's context
    with field_error("start_from", r"start_from must be one of"):
        client.predict(TEXT, None, "transformer", 10, 60, "sst2-sentiment", api_name="/train")


def test_train_reports_bad_input(client):
    with field_error("text", r"text has 10 characters; give at least 1,000"):
        client.predict("too short.", None, "transformer", 20, 60, api_name="/train")
    with field_error("steps", r"steps must be in \[10, 500\], received steps=9999"):
        client.predict("x" * 2000, None, "transformer", 9999, 60, api_name="/train")


def test_train_stops_when_the_visitor_leaves(monkeypatch):
    from lmdemo_app import train_tab, workspace

    steps = []

    def recorded(*args, **kwargs):
        log = kwargs["log_fn"]

        def logged(record):
            steps.append(record["step"])
            log(record)

        return real(*args, **{**kwargs, "log_fn": logged})

    real = train_tab.train_language_model
    monkeypatch.setattr(train_tab, "train_language_model", recorded)
    run = train_tab.train(train_tab.SAMPLE, None, "transformer", 500, 180, None)
    assert next(run)[0].startswith("transformer: starting")
    run.close()  # what Gradio does when the page is closed mid-run
    assert train_tab.TRAINING.acquire(timeout=90)  # released: the run stopped after its current step
    train_tab.TRAINING.release()
    assert steps and steps[-1] < 500  # its last record is the stop, well before the 500 steps asked for
    assert [name for name in os.listdir(workspace.ROOT) if name.startswith("train-")] == []


# -- the app without models, and the helpers -------------------------------------------------------
def test_the_app_builds_without_any_model(tmp_path, monkeypatch):
    import app
    import lmdemo.registry

    monkeypatch.setattr(lmdemo.registry, "MODELS_DIR", str(tmp_path))
    demo = app.build_demo()
    names = {fn.api_name for fn in demo.fns.values()}
    assert {"generate", "privacy", "evaluate", "train"} <= names and "inspect" not in names


def test_evaluate_lists_the_models_each_task_can_use():
    from lmdemo_app import evaluate_tab
    from lmdemo_app.shared_models import model_names, task_models

    present = set(lmdemo.available_models())
    assert task_models("lm") == model_names()
    assert task_models("summarization")[-2:] == ["lead-3", "textrank"]
    for sample, (name, task, metrics, prediction_column, model) in evaluate_tab.SAMPLES.items():
        assert os.path.exists(os.path.join(evaluate_tab.SAMPLES_DIR, name)) and set(metrics) <= set(TASK_METRICS[task])
        if task != "lm":  # a task sample scores a column or runs a model (perplexity runs the chosen LM)
            assert bool(prediction_column) != bool(model), sample
        if model in present:
            assert evaluate_tab.sample_settings(sample)[3].value == model
    every = evaluate_tab.all_models()  # the language models first, then each task's, each once
    assert every[:len(model_names())] == model_names() and len(every) == len(set(every)) and "textrank" in every
    run = evaluate_tab.build_run("d.csv", "summarization", "lead-3", ["rouge"], "", "", " ", "", 500, False, "text")
    assert (run["model"], run["source_column"], "predictions_column" in run, run["limit"]) == ("lead-3", "text",
                                                                                               False, 500)
    run = evaluate_tab.build_run("d.csv", "summarization", "lead-3", ["rouge"], "", "", "guess", "", 5, False)
    assert (run["predictions_column"], "model" in run) == ("guess", False)
    if "samsum-summarization" in present:  # an abstractive summarizer reads at most MAX_SUMMARY_ROWS rows
        run = evaluate_tab.build_run("d.csv", "summarization", "samsum-summarization", ["rouge"], "", "", "", "", 500,
                                     False)
        assert run["limit"] == evaluate_tab.MAX_SUMMARY_ROWS == 100
    with pytest.raises(ValueError, match=r"model_name must be one of .* for task='sentiment'.*received "
                                         r"model_name='lead-3'"):
        evaluate_tab.build_run("d.csv", "sentiment", "lead-3", ["sentiment_accuracy"], "", "", "", "", 5, False)
    with pytest.raises(ValueError, match=r"source_column='review' does not apply to task='sentiment': its model "
                                         r"reads text_column \(default 'text'\)"):
        evaluate_tab.build_run("d.csv", "sentiment", "sst2-sentiment", ["sentiment_accuracy"], "", "", "", "", 5,
                               False, "review")
    with pytest.raises(ValueError, match="task must be one of"):
        evaluate_tab.task_settings("poetry")
    # picking a task shows its models (keeping one that fits) and its metrics
    dropdown, metrics = evaluate_tab.task_settings("summarization", "lead-3")
    assert dropdown.value == "lead-3" and metrics.value == ["rouge", "bleu"]
    assert [value for _, value in metrics.choices] == ["rouge", "bleu"]  # only the task's own metrics offered
    assert evaluate_tab.task_settings("lm", "lead-3")[0].value == model_names()[0]
    # a sample that names no model keeps a chosen one that fits its task; one whose model is absent is not offered
    lm_sample = "lm.txt (language model)"
    assert evaluate_tab.sample_settings(lm_sample, model_names()[-1])[3].value == model_names()[-1]


def test_evaluate_offers_no_sample_whose_model_is_missing(monkeypatch):
    from lmdemo_app import evaluate_tab

    monkeypatch.setattr(evaluate_tab, "task_models", lambda task: ["lead-3", "textrank"] if task == "summarization"
                        else [])
    offered = evaluate_tab.samples()
    assert "summarization.jsonl (summarized by a model)" not in offered
    assert [s for s in evaluate_tab.SAMPLES if s not in offered] == [s for s, v in evaluate_tab.SAMPLES.items() if v[4]]
    with pytest.raises(ValueError, match="sample must be one of"):
        evaluate_tab.sample_path("sentiment_movies.csv (movie reviews, classified by a model)")


def test_every_string_has_english_and_chinese():
    from lmdemo_app.i18n import check_complete, text

    assert check_complete() == []
    assert text("tab_train", "zh") == "训练"
    with pytest.raises(ValueError, match="language must be one of"):
        text("tab_train", "fr")


def test_token_segments_keep_the_gaps_between_words():
    from lmdemo_app.tokenizers_tab import segments

    assert segments("the cat\n", ["the", "cat", "<eos>"], [5, 6, 1]) == [
        ("the", "5"), (" ", None), ("cat", "6"), ("<eos>", "1"), ("\n", None)]


def test_highlighted_findings_cover_the_text():
    from evals.privacy import Finding
    from lmdemo_app.privacy_tab import highlighted

    assert highlighted("a x@y.org b", [Finding(2, 9, "EMAIL", 0.9)]) == [
        ("a ", None), ("x@y.org", "EMAIL"), (" b", None)]


def test_checks_name_the_argument_and_value():
    from lmdemo_app.checks import check_int, check_seed, check_text

    with pytest.raises(ValueError, match=r"steps must be in \[10, 500\], received steps=9"):
        check_int(9, "steps", 10, 500)
    with pytest.raises(ValueError, match="steps must be a whole number in \\[10, 500\\], received steps=1.5"):
        check_int(1.5, "steps", 10, 500)
    with pytest.raises(ValueError, match="prompt has 11 characters; the limit here is 10"):
        check_text("a" * 11, "prompt", max_chars=10)
    assert check_seed(-1) is None and check_seed(3.0) == 3


def test_user_errors_keep_the_message_and_hide_internal_ones(caplog):
    import gradio as gr

    from lmdemo_app.checks import user_errors

    @user_errors
    def bad_value():
        raise ValueError("top_p must be in (0, 1], received top_p=1.5")

    @user_errors
    def crash():
        raise RuntimeError("mail jane.doe@example.com failed")
        yield

    with pytest.raises(gr.Error, match=r"top_p must be in \(0, 1\], received top_p=1.5") as raised:
        bad_value()
    assert raised.value.print_exception is False  # Gradio would print the message, data and all, to the log
    with pytest.raises(gr.Error, match="Something went wrong on the server") as raised:
        list(crash())
    assert "RuntimeError" not in raised.value.message  # no exception class names for a visitor
    assert "jane.doe@example.com" not in caplog.text and "[EMAIL]" in caplog.text


# -- Both languages, named fields, raw HTTP, MCP ------------------------------------------------------------
def raw_call(server, api_name, data):
    """POST ``data`` to ``/gradio_api/call/{api_name}`` as a script without gradio_client would; the
    streamed reply's text, or for a call refused before it ran (status 422) the refused fields as
    ``{parameter: message}``."""
    request = urllib.request.Request(server + f"gradio_api/call/{api_name}", data=json.dumps(data).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        event = json.load(urllib.request.urlopen(request))["event_id"]
    except urllib.error.HTTPError as e:
        if e.code != 422:
            raise
        return {d["parameter_name"]: d["message"] for d in json.loads(e.read())["detail"] if not d["is_valid"]}
    return urllib.request.urlopen(server + f"gradio_api/call/{api_name}/{event}").read().decode()


def test_no_choice_or_value_is_a_translation_key():
    # the page translates every label and value equal to a key of its table: a choice value equal to a
    # key would reach the handler translated ("Top-k" for top_k, the bug of a live switch to Chinese)
    import app
    from lmdemo_app.i18n import I18N

    keys = set(I18N.translations_dict["en"])
    demo = app.build_demo()
    seen = 0
    for block in demo.blocks.values():
        for choice in getattr(block, "choices", None) or []:
            value = choice[1] if isinstance(choice, (tuple, list)) else choice
            assert str(value) not in keys, (block, value)
            seen += 1
        if isinstance(getattr(block, "value", None), str):
            assert block.value not in keys, block
    assert seen > 30


def test_server_text_follows_the_visitors_language(client, lm):
    figure = client.predict("ROMEO:", MODEL, "top_k", 1.5, 3, 0.9, "zh", api_name="/next_token")
    title = json.loads(figure["plot"])["layout"]["title"]["text"]
    assert title.startswith("top-k：保留 66 个词元中的 3 个")
    with field_error("model_names", "models 为空：请至少选择一个要比较的模型"):
        client.predict("some text", [], "", 5, 0, "zh", api_name="/compare")
    with field_error("prompt", "prompt 有 20,000 个字符；这里的上限是 10,000"):
        client.predict("a" * 20_000, MODEL, "greedy", 5, 1.0, 10, 0.9, 4, 0, "zh", api_name="/generate")
    # lmdemo's own messages are English: a Chinese page reads them in Chinese (lmdemo_app.library_messages)
    with app_error("'hf:../../etc' 不是 Hugging Face 模型名：请写成 hf:NAME 或 hf:OWNER/NAME"):
        client.predict("hf:../../etc", "zh", api_name="/model_info")
    table = client.predict("To be", 300, MODEL, "zh", api_name="/tokenize")[-1]
    assert table["headers"] == ["分词器", "词表大小", "词元数", "每词元字符数"]
    assert table["data"][0][0] == "char (在这段文本上训练)"


def test_range_checks_name_the_field(client):
    with field_error("top_p", r"top_p must be in \[0.01, 1\], received top_p=0"):
        client.predict("ROMEO:", MODEL, "top_p", 1.0, 20, 0.0, api_name="/next_token")
    with field_error("max_new_tokens", r"max_new_tokens must be in \[1, 1000\], received max_new_tokens=0"):
        client.predict("ROMEO:", MODEL, "greedy", 0, 1.0, 10, 0.9, 4, 0, api_name="/generate")
    with field_error("max_new_tokens", r"max_new_tokens 必须在 \[1, 1000\] 范围内，收到 max_new_tokens=0"):
        client.predict("ROMEO:", MODEL, "greedy", 0, 1.0, 10, 0.9, 4, 0, "zh", api_name="/generate")


def test_raw_http_gets_the_same_messages(server):
    refused = raw_call(server, "generate", {"data": ["ROMEO:", MODEL, "top_k", 5, 1.0, "abc", 0.9, 4, 0, "en"]})
    assert refused == {"top_k": "top_k must be a number in [1, 100], received top_k='abc'"}
    refused = raw_call(server, "generate", {"data": ["ROMEO:", MODEL, "top_k", 5, 1.0, 20, 0.9, 4, "NaN", "en"]})
    assert list(refused) == ["seed"] and "seed must be a number" in refused["seed"] and "'NaN'" in refused["seed"]
    # an error the call itself meets (a Hub id nobody can download here) streams as an error event
    body = raw_call(server, "model_info", {"data": ["hf:lmdemo-tests/absent", "en"]})
    assert "event: error" in body and "'hf:lmdemo-tests/absent' cannot be downloaded" in body
    assert "Error:" not in body.replace("event: error", "")  # no exception class names


def test_compare_marks_scores_that_rest_on_unknown_tokens(client):
    text = "First Citizen:\nBefore we proceed any further, hear me speak.\n"
    table, _, generations = client.predict(text, [MODEL, "ptb-5gram"], "ROMEO:\nO", 20, 0, api_name="/compare")
    rows = {row[1]: dict(zip(table["headers"], row)) for row in table["data"]}
    assert table["headers"][:4] == ["rank", "model", "bits per character", "unknown tokens"]
    assert rows[MODEL]["rank"] == 1 and rows[MODEL]["unknown tokens"] == "0.0%"
    assert rows["ptb-5gram"]["rank"] == "— (reads <unk>)" and rows["ptb-5gram"]["unknown tokens"] != "0.0%"
    assert rows[MODEL]["parameters"].endswith("M")


@pytest.fixture(scope="module")
def mcp_schema(server):
    pytest.importorskip("mcp", reason="the MCP server needs Gradio's mcp extra (pip install 'gradio[mcp]')")
    with urllib.request.urlopen(server + "gradio_api/mcp/schema") as response:
        return json.load(response)


def test_the_mcp_server_offers_the_curated_tools(mcp_schema):
    # the schema lists every public endpoint; the MCP tool list keeps those whose type is "tool"
    tools = {tool["name"]: tool for tool in mcp_schema if tool["meta"]["mcp_type"] == "tool"}
    assert set(tools) == {"generate", "next_token", "inspect", "tokenize", "compare", "translate", "write_poem",
                          "summarize", "classify", "find_pii", "evaluate"}
    assert "continuation" in tools["generate"]["description"] or tools["generate"]["description"]
    assert set(tools["generate"]["inputSchema"]["properties"]) >= {"prompt", "model_name", "sampler", "language"}
