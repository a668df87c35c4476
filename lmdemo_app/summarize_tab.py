"""The Summarize tab: a dialogue's summary, abstractive (the shipped model) or extractive (lead-3, TextRank)."""

import gradio as gr

from lmdemo.tasks.pipeline import EXTRACTIVE, pipeline
from lmdemo_app.checks import check_choice, check_int, check_text, user_errors
from lmdemo_app.i18n import t
from lmdemo_app.shared_models import get_model, task_models

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
    button.click(summarize, [text, method, beams], [out, note], api_name="summarize", concurrency_limit=2,
                 concurrency_id="tasks")
