"""The Generate tab: stream a continuation from any shipped model; chart its next-token distribution."""

import gradio as gr
import numpy as np

from lmdemo_app import charts
from lmdemo_app.checks import MAX_NEW_TOKENS, check_choice, check_int, check_seed, check_text, user_errors
from lmdemo_app.i18n import t
from lmdemo_app.shared_models import check_model_name, get_model, model_summary

SAMPLERS = ["greedy", "temperature", "top_k", "top_p", "beam"]
CHART_TOKENS = 15


@user_errors
def generate(prompt, model_name, sampler, max_new_tokens, temperature, top_k, top_p, num_beams, seed):
    """Stream the continuation of ``prompt`` (the text so far, growing)."""
    prompt = check_text(prompt, "prompt", allow_empty=True)
    lm = get_model(check_model_name(model_name))
    check_choice(sampler, "sampler", SAMPLERS)
    max_new_tokens = check_int(max_new_tokens, "max_new_tokens", 1, MAX_NEW_TOKENS)
    text = ""
    for piece in lm.stream(prompt, max_new_tokens=max_new_tokens, sampler=sampler, temperature=float(temperature),
                           top_k=int(top_k), top_p=float(top_p), num_beams=int(num_beams), seed=check_seed(seed)):
        text += piece
        yield text


def top_tokens(lm, probs, n):
    """The ``n`` most probable (token, probability) pairs of a distribution over ``lm``'s vocabulary."""
    order = np.argsort(-probs, kind="stable")[:n]
    return [lm.tokenizer.id_to_token(int(i)) for i in order], [float(probs[i]) for i in order]


@user_errors
def next_token(prompt, model_name):
    """A bar chart of P(next token | prompt): the most probable tokens."""
    prompt = check_text(prompt, "prompt", allow_empty=True)
    lm = get_model(check_model_name(model_name))
    tokens, probs = top_tokens(lm, lm.next_token_probs(prompt), CHART_TOKENS)
    return charts.probability_bars(tokens, probs)


@user_errors
def model_info(model_name):
    """A line describing the chosen model."""
    return model_summary(check_model_name(model_name))


def build(models, demo):
    """The tab's components and events (inside ``demo``'s context)."""
    gr.Markdown(t("generate_help"))
    with gr.Row():
        with gr.Column():
            prompt = gr.Textbox(label=t("prompt"), value="ROMEO:", lines=4, max_length=10_000, elem_id="gen-prompt")
            model = gr.Dropdown(models, value=models[0] if models else None, label=t("model"), elem_id="gen-model",
                                allow_custom_value=True, info=t("hub_hint"))
            info = gr.Markdown()
            sampler = gr.Radio(SAMPLERS, value="top_k", label=t("sampler"))
            max_new = gr.Slider(1, MAX_NEW_TOKENS, value=200, step=1, label=t("max_new_tokens"))
            with gr.Accordion(t("sampler_settings"), open=False):
                temperature = gr.Slider(0.05, 2.0, value=0.8, step=0.05, label=t("temperature"))
                top_k = gr.Slider(1, 100, value=20, step=1, label=t("top_k"))
                top_p = gr.Slider(0.01, 1.0, value=0.9, step=0.01, label=t("top_p"))
                num_beams = gr.Slider(1, 16, value=4, step=1, label=t("num_beams"))
                seed = gr.Number(value=0, precision=0, label=t("seed"))
            button = gr.Button(t("generate"), variant="primary", elem_id="gen-button")
        with gr.Column():
            output = gr.Textbox(label=t("continuation"), lines=12, buttons=["copy"], elem_id="gen-output")
            chart = gr.Plot(label=t("next_token_chart"), elem_id="gen-chart")
    button.click(generate, [prompt, model, sampler, max_new, temperature, top_k, top_p, num_beams, seed], output,
                 api_name="generate", concurrency_limit=4, concurrency_id="generate")
    button.click(next_token, [prompt, model], chart, api_name="next_token", concurrency_limit=4,
                 concurrency_id="score")
    model.change(model_info, model, info, api_name="model_info", show_progress="hidden")
    if models:  # filled at page load, not at startup: the model loads on the first visit
        demo.load(model_info, model, info, api_visibility="private", show_progress="hidden")
