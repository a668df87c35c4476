"""The Summarize tab: a dialogue's summary, abstractive (the shipped model) or extractive (lead-3, TextRank)."""

import gradio as gr

from lmdemo.tasks.pipeline import EXTRACTIVE, pipeline
from lmdemo_app import cross_attention
from lmdemo_app.checks import check_choice, check_int, check_text, user_errors
from lmdemo_app.i18n import t
from lmdemo_app.shared_models import checkpoint_config, get_model, task_models

SAMPLE = ("Hannah: Hey, do you have Betty's number?\nAmanda: Lemme check\nAmanda: Sorry, can't find it.\n"
          "Amanda: Ask Larry\nAmanda: He called her last time we were at the park together\n"
          "Hannah: I don't know him well\nAmanda: Don't be shy, he's very nice\nHannah: If you say so..\n"
          "Hannah: I'd rather you texted him\nAmanda: Just text him 🙂\nHannah: Urgh.. Alright\nHannah: Bye\n"
          "Amanda: Bye bye")


def methods():
    """The abstractive models present, then the extractive methods."""
    return task_models("summarization")


@user_errors
def summarize(text, method, num_beams):
    """The summary of ``text`` by ``method``, and a note when the dialogue was too long to read whole."""
    text = check_text(text, "text")
    if not text.strip():
        raise ValueError("text is empty: paste a dialogue, one turn per line")
    check_choice(method, "method", methods())
    num_beams = check_int(num_beams, "num_beams", 1, 8)
    if method in EXTRACTIVE:
        result = pipeline("summarization", model=method)(text)
    else:
        result = pipeline("summarization", model=get_model(method, "summarization"))(text, num_beams=num_beams)
    note = "The dialogue was longer than the model reads; only its start was summarized." if result["truncated"] else ""
    return result["summary_text"], note


@user_errors
def attention(text, summary, method, layer, head):
    """Where the abstractive model looked in the dialogue while it wrote ``summary``: its cross-attention
    (``layer``, one head or their mean) and, with a copy attention, where it copied from. The extractive
    methods copy whole turns and have no attention: both charts are then empty."""
    text = check_text(text, "text")
    check_choice(method, "method", methods())
    if method in EXTRACTIVE:
        return None, None
    if not str(summary or "").strip():
        raise ValueError("summary is empty: press Summarize first")
    model = get_model(method, "summarization")
    return cross_attention.attention_figures(model, text, summary, layer, head)


def build():
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    choices = methods()
    gr.Markdown(t("summarize_help"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("dialogue"), value=SAMPLE, lines=10, max_length=10_000, elem_id="sum-text")
            method = gr.Radio(choices, value=choices[0], label=t("method"), elem_id="sum-method")
            beams = gr.Slider(1, 8, value=4, step=1, label=t("num_beams"), info=t("beams_info"))
            button = gr.Button(t("summarize"), variant="primary", elem_id="sum-button")
        with gr.Column():
            out = gr.Textbox(label=t("summary"), lines=5, buttons=["copy"], elem_id="sum-out")
            note = gr.Markdown()
    event = button.click(summarize, [text, method, beams], [out, note], api_name="summarize", concurrency_limit=2,
                         concurrency_id="tasks")
    abstractive = [m for m in choices if m not in EXTRACTIVE]
    if not abstractive:
        return
    gr.Markdown(t("summary_attention_help"))
    config = checkpoint_config(abstractive[0])["config"]
    with gr.Row():
        layer = gr.Slider(1, max(2, config["decoder_layers"]), value=config["decoder_layers"], step=1,
                          label=t("layer"), elem_id="sum-layer")
        head = gr.Radio(cross_attention.head_choices(config["num_heads"]), value=cross_attention.MEAN,
                        label=t("head"), elem_id="sum-head")
    with gr.Row():
        cross = gr.Plot(show_label=False, elem_id="sum-attention")
        copy = gr.Plot(show_label=False, elem_id="sum-copy")
    view = dict(fn=attention, inputs=[text, out, method, layer, head], outputs=[cross, copy], concurrency_limit=2,
                concurrency_id="tasks")
    event.success(api_name="summary_attention", **view)
    for control in (layer, head):
        control.input(api_visibility="private", trigger_mode="always_last", **view)
