"""The Translate tab: English → Spanish with the shipped encoder–decoder, greedy or beam search."""

import gradio as gr

from lmdemo.tasks.pipeline import pipeline
from lmdemo_app.checks import check_int, check_lines, user_errors
from lmdemo_app.i18n import t
from lmdemo_app.shared_models import get_model, task_models

MAX_LINES = 32  # sentences per request, one per line
SAMPLE = "Where is the train station?\nI would like a cup of coffee, please.\nThey have been friends for years."


@user_errors
def translate(text, model_name, num_beams):
    """Each non-empty line of ``text`` translated; a note when a line was too long to read whole."""
    lines = check_lines(text, "text", MAX_LINES)
    num_beams = check_int(num_beams, "num_beams", 1, 8)
    results = pipeline("translation", model=get_model(model_name, "translation"))(lines, num_beams=num_beams)
    cut = [i + 1 for i, r in enumerate(results) if r["truncated"]]
    note = f"Line(s) {cut} were longer than the model reads; only their start was translated." if cut else ""
    return "\n".join(r["translation_text"] for r in results), note


def build():
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    names = task_models("translation")
    gr.Markdown(t("translate_help"))
    if not names:
        gr.Markdown(t("task_model_missing"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("english"), value=SAMPLE, lines=5, max_length=10_000, elem_id="tr-text")
            model = gr.Dropdown(names, value=names[0] if names else None, label=t("model"))
            beams = gr.Slider(1, 8, value=4, step=1, label=t("num_beams"), info=t("beams_info"))
            button = gr.Button(t("translate"), variant="primary", elem_id="tr-button")
        with gr.Column():
            out = gr.Textbox(label=t("spanish"), lines=5, buttons=["copy"], elem_id="tr-out")
            note = gr.Markdown()
    button.click(translate, [text, model, beams], [out, note], api_name="translate", concurrency_limit=2,
                 concurrency_id="tasks")
