"""The Compare tab: every chosen model scores one text and continues one prompt, side by side.

Scores are comparable across tokenizers in bits per character, but only where a model reads the text:
a word model turns what it never saw into ``<unk>``, and scores that one token cheaply. The table
shows each model's share of unknown tokens and ranks only the models that read every token.
"""

import gradio as gr
import pandas as pd

from evals.scoring.perplexity import perplexity
from lmdemo_app import charts
from lmdemo_app.checks import (MAX_COMPARE_NEW_TOKENS, UserError, check_int, check_seed, check_text, inputs_checked,
                               user_errors)
from lmdemo_app.fields import named, number, slider
from lmdemo_app.i18n import language_input, t
from lmdemo_app.i18n import text as text_of  # ``text`` is the scored text here
from lmdemo_app.shared_models import check_model_name, get_model

SAMPLE_TEXT = ("First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n")


UNKNOWN_LIMIT = 0.0  # a score that reads any <unk> is marked and left out of the ranking


def short_count(n):
    """``3,226,178`` → ``3.23M``; ``1,234`` → ``1.23k``."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if n >= size:
            return f"{n / size:.3g}{suffix}"
    return str(n)


@user_errors
def compare(text, model_names, prompt, max_new_tokens, seed, language="en"):
    """Bits per character and perplexity per token of each model on ``text``, and each one's continuation.

    A model whose tokenizer turns part of ``text`` into ``<unk>`` scores those tokens cheaply (one
    ``<unk>`` stands for every word it replaces): its share of unknown tokens is shown, and it is left
    out of the ranking.

    Args:
        text: the text every model scores.
        model_names: language models to compare: shipped names or Hub GPT-2 ids (``hf:OWNER/NAME``).
        prompt: the text every model continues.
        max_new_tokens: tokens each model adds (1-200).
        seed: a whole number for a reproducible draw; -1 draws at random.
        language: ``en`` or ``zh``: the language of headers, titles and messages.

    Returns:
        (scores table: rank, model, bits per character, unknown tokens, perplexity per token, tokens
        scored, parameters, kind; bits-per-character chart; generations table, newlines kept).
    """
    text = check_text(text, "text")
    prompt = check_text(prompt, "prompt", allow_empty=True)
    if not model_names:
        raise UserError(text_of("err_no_models"), field="model_names")
    names = [check_model_name(name, field="model_names") for name in model_names]
    max_new_tokens = check_int(max_new_tokens, "max_new_tokens", 1, MAX_COMPARE_NEW_TOKENS)
    seed = check_seed(seed)
    inputs_checked()
    rows, generations = [], []
    for name in names:
        lm = get_model(name)
        scores = perplexity([text], lm, per_text=False)
        rows.append({"name": name, "kind": lm.kind, "params": lm.num_params(), "tokens": int(scores["num_tokens"]),
                     "ppl": scores["perplexity_per_token"], "bpc": scores["bits_per_char"],
                     "unknown": lm.tokenizer.unknown_share(text)})
        generations.append({text_of("col_model"): name, text_of("col_continuation"): lm.generate(
            prompt, max_new_tokens, sampler="top_k", top_k=20, temperature=0.8, seed=seed)})
    ranked = sorted((r for r in rows if r["unknown"] <= UNKNOWN_LIMIT), key=lambda r: r["bpc"])
    rank = {r["name"]: i + 1 for i, r in enumerate(ranked)}
    table = pd.DataFrame([{
        text_of("col_rank"): rank.get(r["name"], text_of("not_ranked")),
        text_of("col_model"): r["name"],
        text_of("col_bpc"): round(r["bpc"], 4),
        text_of("col_unknown"): f"{100 * r['unknown']:.1f}%",
        text_of("col_ppl"): round(r["ppl"], 4),
        text_of("col_tokens"): r["tokens"],
        text_of("col_params"): short_count(r["params"]),
        text_of("col_kind"): r["kind"]} for r in sorted(rows, key=lambda r: (r["name"] not in rank, r["bpc"]))])
    chart = charts.value_bars([r["name"] + ("" if r["name"] in rank else " (<unk>)") for r in rows],
                              [round(r["bpc"], 4) for r in rows], axis_title=text_of("col_bpc"))
    return table, chart, pd.DataFrame(generations)


def build(models):
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    gr.Markdown(t("compare_help"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("text"), value=SAMPLE_TEXT, lines=6, elem_id="cmp-text")
            # the sample text is Shakespeare: start with the models trained on it (the word-level
            # Penn Treebank models would read it as mostly <unk>)
            default = [m for m in models if m.startswith("shakespeare")] or list(models)
            chosen = named(gr.Dropdown(models, value=default, multiselect=True, allow_custom_value=True,
                                       label=t("models"), info=t("hub_hint"), elem_id="cmp-models"), "model_names")
        with gr.Column():
            prompt = gr.Textbox(label=t("prompt"), value="ROMEO:", lines=2)
            max_new = slider(1, MAX_COMPARE_NEW_TOKENS, value=60, step=1, label=t("max_new_tokens"),
                             name="max_new_tokens")
            seed = number(value=0, precision=0, label=t("seed"), name="seed")
            button = gr.Button(t("compare"), variant="primary", elem_id="cmp-button")
    gr.Examples([[SAMPLE_TEXT, "ROMEO:"], ["the company said it expects N N earnings to rise\n", "the company"],
                 ["生存还是毁灭，这是一个值得考虑的问题。", "生存"],
                 ["五言絕句《靜夜思》床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。", "七言絕句《春夜》"]],
                inputs=[text, prompt], label=t("examples"))
    gr.Markdown(t("compare_unknown_note"))
    table = gr.Dataframe(label=t("scores"), elem_id="cmp-table", wrap=True)
    chart = gr.Plot(label=t("bits_chart"))
    generations = gr.Dataframe(label=t("generations"), wrap=True, elem_id="cmp-generations")
    language = language_input()
    # one status badge, on the table: a failed call keeps the last result in the other outputs
    button.click(compare, [text, chosen, prompt, max_new, seed, language], [table, chart, generations],
                 api_name="compare", show_progress_on=[table],
                 concurrency_limit=2, concurrency_id="compare", validator=compare.validator)
