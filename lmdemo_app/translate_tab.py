"""The Translate tab: English → Spanish or Chinese with the shipped encoder–decoders, greedy or beam search;
Chinese output in the script the visitor chooses."""

import gradio as gr

from lmdemo.tasks.pipeline import pipeline
from lmdemo_app import cross_attention
from lmdemo_app.checks import UserError, check_choice, check_int, check_lines, inputs_checked, user_errors
from lmdemo_app.fields import named, slider
from lmdemo_app.i18n import SCRIPT_CHOICES, choices, language_input, t
from lmdemo_app.i18n import text as text_of  # ``text`` is the visitor's text here
from lmdemo_app.shared_models import UNSEEN_LIMIT, check_model_name, checkpoint_config, get_model, task_models

MAX_LINES = 32  # sentences per request, one per line
SAMPLE = "Where is the train station?\nI would like a cup of coffee, please.\nThey have been friends for years."


@user_errors
def translate(text, model_name, num_beams, script="", language="en"):
    """Each non-empty line of ``text`` translated; a note when a line was too long to read whole, or is
    mostly text the model never learned (characters its vocabulary knows only as bytes).

    Args:
        text: English sentences, one per line (at most 32).
        model_name: a shipped translation model (English→Spanish, English→Chinese).
        num_beams: 1 for greedy decoding, more for beam search (1-8).
        script: Chinese output converted to "simplified" or "traditional" characters; "" leaves it as written.
        language: ``en`` or ``zh``: the language of headers, titles and messages.
    """
    lines = check_lines(text, "text", MAX_LINES)
    num_beams = check_int(num_beams, "num_beams", 1, 8)
    script = check_choice(script or "", "script", [value for value, _ in SCRIPT_CHOICES]) or None
    model_name = check_model_name(model_name, "translation")
    inputs_checked()
    model = get_model(model_name, "translation")
    results = pipeline("translation", model=model)(lines, num_beams=num_beams, script=script)
    cut = [i + 1 for i, r in enumerate(results) if r["truncated"]]
    unseen = [i + 1 for i, line in enumerate(lines) if model.tokenizer.unknown_share(line) > UNSEEN_LIMIT]
    note = " ".join(([text_of("note_lines_cut", lines=cut)] if cut else [])
                    + ([text_of("note_unseen_lines", lines=unseen)] if unseen else []))
    return "\n".join(r["translation_text"] for r in results), note


@user_errors
def attention(text, translation, model_name, line, layer, head, language="en"):
    """Where the decoder looked in line ``line`` (1-based) of ``text`` while it wrote that line of
    ``translation``: a source × target heatmap of ``layer``'s cross-attention, one head or their mean."""
    lines = check_lines(text, "text", MAX_LINES)
    outputs = [row for row in str(translation or "").split("\n")]
    line = check_int(line, "line", 1, MAX_LINES)
    if line > len(lines):
        raise UserError(text_of("err_line_past_end", line=line, count=len(lines)), field="line")
    if line > len(outputs) or not outputs[line - 1].strip():
        raise UserError(text_of("err_no_translation", line=line), field="line")
    model_name = check_model_name(model_name, "translation")
    inputs_checked()
    model = get_model(model_name, "translation")
    return cross_attention.attention_figures(model, lines[line - 1], outputs[line - 1], layer, head)[0]


def build():
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    names = task_models("translation")
    gr.Markdown(t("translate_help"))
    if not names:
        gr.Markdown(t("task_model_missing"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("english"), value=SAMPLE, lines=5, elem_id="tr-text")
            model = named(gr.Dropdown(names, value=names[0] if names else None, label=t("model")), "model_name")
            beams = slider(1, 8, value=4, step=1, label=t("num_beams"), info=t("beams_info"), name="num_beams")
            script = named(gr.Radio(choices(SCRIPT_CHOICES), value="", label=t("script"), elem_id="tr-script"), "script")
            button = gr.Button(t("translate"), variant="primary", elem_id="tr-button")
            examples = [[SAMPLE, names[0] if names else None],
                        ["The weather is nice today.\nI lost my keys yesterday.", names[0] if names else None]]
            if "en-zh-translation" in names:
                examples.append(["Tom is reading a book.\nWhat time is it now?\nI like to drink tea.",
                                 "en-zh-translation"])
            examples.append(["你好，世界", names[0] if names else None])  # text no model here reads: flagged
            gr.Examples(examples, inputs=[text, model], label=t("examples"))
        with gr.Column():
            out = gr.Textbox(label=t("translation"), lines=5, buttons=["copy"], elem_id="tr-out")
            note = gr.Markdown(label=t("out_note"))
    language = language_input()
    event = button.click(translate, [text, model, beams, script, language], [out, note], api_name="translate",
                         show_progress_on=[out], concurrency_limit=2, concurrency_id="tasks",
                         validator=translate.validator)
    if not names:
        return
    gr.Markdown(t("cross_attention_help"))
    config = checkpoint_config(names[0])["config"]
    with gr.Row():
        line = slider(1, MAX_LINES, value=1, step=1, label=t("line"), elem_id="tr-line", name="line")
        layer = slider(1, max(2, config["decoder_layers"]), value=config["decoder_layers"], step=1,
                       label=t("layer"), elem_id="tr-layer", name="layer")
        head = named(gr.Radio(cross_attention.head_radio_choices(config["num_heads"]), value=cross_attention.MEAN,
                              label=t("head"), elem_id="tr-head"), "head")
    heatmap = gr.Plot(label=t("out_cross_attention"), show_label=False, elem_id="tr-attention")
    view = dict(fn=attention, inputs=[text, out, model, line, layer, head, language], outputs=heatmap,
                concurrency_limit=2, concurrency_id="tasks", validator=attention.validator)
    event.success(api_name="cross_attention", **view)
    for control in (line, layer, head):
        control.input(api_visibility="private", trigger_mode="always_last", **view)
