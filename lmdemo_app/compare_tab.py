"""The Compare tab: every chosen model scores one text and continues one prompt, side by side."""

import gradio as gr
import pandas as pd

from evals.scoring.perplexity import perplexity
from lmdemo_app import charts
from lmdemo_app.checks import MAX_COMPARE_NEW_TOKENS, check_int, check_seed, check_text, user_errors
from lmdemo_app.i18n import t
from lmdemo_app.shared_models import check_model_name, get_model

SAMPLE_TEXT = ("First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n")


@user_errors
def compare(text, model_names, prompt, max_new_tokens, seed):
    """Perplexity per token and bits per character of each model on ``text``, and each one's continuation.

    Returns:
        (scores table, bits-per-character chart, generations table).
    """
    text = check_text(text, "text")
    prompt = check_text(prompt, "prompt", allow_empty=True)
    if not model_names:
        raise ValueError("models is empty: choose at least one model to compare")
    names = [check_model_name(name) for name in model_names]
    max_new_tokens = check_int(max_new_tokens, "max_new_tokens", 1, MAX_COMPARE_NEW_TOKENS)
    seed = check_seed(seed)
    rows, generations = [], []
    for name in names:
        lm = get_model(name)
        scores = perplexity([text], lm, per_text=False)
        rows.append({"model": name, "kind": lm.kind, "parameters": lm.num_params(),
                     "tokens scored": int(scores["num_tokens"]),
                     "perplexity per token": round(scores["perplexity_per_token"], 4),
                     "bits per character": round(scores["bits_per_char"], 4)})
        generations.append({"model": name, "continuation": lm.generate(
            prompt, max_new_tokens, sampler="top_k", top_k=20, temperature=0.8, seed=seed)})
    table = pd.DataFrame(rows)
    chart = charts.value_bars(table["model"], table["bits per character"], axis_title="bits per character")
    return table, chart, pd.DataFrame(generations)


def build(models):
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    gr.Markdown(t("compare_help"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("text"), value=SAMPLE_TEXT, lines=6, max_length=10_000, elem_id="cmp-text")
            # the sample text is Shakespeare: start with the models trained on it (the word-level
            # Penn Treebank models would read it as mostly <unk>)
            default = [m for m in models if m.startswith("shakespeare")] or list(models)
            chosen = gr.CheckboxGroup(models, value=default, label=t("models"), elem_id="cmp-models")
        with gr.Column():
            prompt = gr.Textbox(label=t("prompt"), value="ROMEO:", lines=2, max_length=10_000)
            max_new = gr.Slider(1, MAX_COMPARE_NEW_TOKENS, value=60, step=1, label=t("max_new_tokens"))
            seed = gr.Number(value=0, precision=0, label=t("seed"))
            button = gr.Button(t("compare"), variant="primary", elem_id="cmp-button")
    with gr.Row():
        table = gr.Dataframe(label=t("scores"), elem_id="cmp-table")
        chart = gr.Plot(label=t("bits_chart"))
    generations = gr.Dataframe(label=t("generations"), wrap=True, elem_id="cmp-generations")
    button.click(compare, [text, chosen, prompt, max_new, seed], [table, chart, generations], api_name="compare",
                 concurrency_limit=2, concurrency_id="compare")
