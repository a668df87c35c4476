"""The Summarize tab: a dialogue's summary, abstractive (the shipped model) or extractive (lead-3, TextRank)."""

import gradio as gr

from lmdemo.tasks.pipeline import EXTRACTIVE, pipeline
from lmdemo_app import cross_attention
from lmdemo_app.checks import UserError, check_choice, check_int, check_text, inputs_checked, user_errors
from lmdemo_app.fields import named, slider
from lmdemo_app.i18n import language_input, t
from lmdemo_app.i18n import text as text_of  # ``text`` is the visitor's text here
from lmdemo_app.shared_models import UNSEEN_LIMIT, checkpoint_config, get_model, task_models

SAMPLE = ("Hannah: Hey, do you have Betty's number?\nAmanda: Lemme check\nAmanda: Sorry, can't find it.\n"
          "Amanda: Ask Larry\nAmanda: He called her last time we were at the park together\n"
          "Hannah: I don't know him well\nAmanda: Don't be shy, he's very nice\nHannah: If you say so..\n"
          "Hannah: I'd rather you texted him\nAmanda: Just text him 🙂\nHannah: Urgh.. Alright\nHannah: Bye\n"
          "Amanda: Bye bye")


def methods():
    """The abstractive models present, then the extractive methods."""
    return task_models("summarization")


@user_errors
def summarize(text, method, num_beams, language="en"):
    """The summary of ``text`` by ``method``, and a note when the dialogue was too long to read whole or
    is mostly text the model never learned.

    Args:
        text: a chat, one turn per line ("Name: message").
        method: the shipped abstractive model, lead-3 or textrank.
        num_beams: beam width of the abstractive model (1-8).
        language: ``en`` or ``zh``: the language of headers, titles and messages.
    """
    text = check_text(text, "text")
    check_choice(method, "method", methods())
    num_beams = check_int(num_beams, "num_beams", 1, 8)
    inputs_checked()
    unseen = 0.0
    if method in EXTRACTIVE:
        result = pipeline("summarization", model=method)(text)
    else:
        model = get_model(method, "summarization")
        result = pipeline("summarization", model=model)(text, num_beams=num_beams)
        unseen = model.tokenizer.unknown_share(text)
    notes = [text_of("note_dialogue_cut")] if result["truncated"] else []
    if unseen > UNSEEN_LIMIT:
        notes.append(text_of("note_unseen_text", share=unseen))
    note = " ".join(notes)
    return result["summary_text"], note


@user_errors
def attention(text, summary, method, layer, head, language="en"):
    """Where the abstractive model looked in the dialogue while it wrote ``summary``: its cross-attention
    (``layer``, one head or their mean) and, with a copy attention, where it copied from. The extractive
    methods copy whole turns and have no attention: both charts are then empty."""
    text = check_text(text, "text")
    check_choice(method, "method", methods())
    if method in EXTRACTIVE:
        return None, None
    if not str(summary or "").strip():
        raise UserError(text_of("err_no_summary"))
    model = get_model(method, "summarization")
    return cross_attention.attention_figures(model, text, summary, layer, head)


def build():
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    choices = methods()
    gr.Markdown(t("summarize_help"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("dialogue"), value=SAMPLE, lines=10, elem_id="sum-text")
            method = named(gr.Radio(choices, value=choices[0], label=t("method"), elem_id="sum-method"), "method")
            beams = slider(1, 8, value=4, step=1, label=t("num_beams"), info=t("beams_info"), name="num_beams",
                           visible=choices[0] not in EXTRACTIVE, elem_id="sum-beams")
            button = gr.Button(t("summarize"), variant="primary", elem_id="sum-button")
            gr.Examples([[SAMPLE], ["Tom: Are we still on for dinner tonight?\nAnna: Yes, 7pm at the Italian place\n"
                                    "Tom: Great, I'll book a table\nAnna: Thanks! See you there"]],
                        inputs=[text], label=t("examples"))
        with gr.Column():
            out = gr.Textbox(label=t("summary"), lines=5, buttons=["copy"], elem_id="sum-out")
            note = gr.Markdown(label=t("out_note"))
    language = language_input()
    method.change(lambda m: gr.update(visible=m not in EXTRACTIVE), method, beams, api_visibility="private",
                  show_progress="hidden")  # lead-3 and TextRank do not search
    event = button.click(summarize, [text, method, beams, language], [out, note], api_name="summarize",
                         show_progress_on=[out], concurrency_limit=2, concurrency_id="tasks",
                         validator=summarize.validator)
    abstractive = [m for m in choices if m not in EXTRACTIVE]
    if not abstractive:
        return
    gr.Markdown(t("summary_attention_help"))
    config = checkpoint_config(abstractive[0])["config"]
    with gr.Row():
        layer = slider(1, max(2, config["decoder_layers"]), value=config["decoder_layers"], step=1,
                       label=t("layer"), elem_id="sum-layer", name="layer")
        head = named(gr.Radio(cross_attention.head_radio_choices(config["num_heads"]), value=cross_attention.MEAN,
                              label=t("head"), elem_id="sum-head"), "head")
    with gr.Row():
        cross = gr.Plot(label=t("out_cross_attention"), show_label=False, elem_id="sum-attention")
        copy = gr.Plot(label=t("out_copy_attention"), show_label=False, elem_id="sum-copy")
    view = dict(fn=attention, inputs=[text, out, method, layer, head, language], outputs=[cross, copy],
                concurrency_limit=2, concurrency_id="tasks")
    event.success(api_name="summary_attention", **view)
    for control in (layer, head):
        control.input(api_visibility="private", trigger_mode="always_last", **view)
