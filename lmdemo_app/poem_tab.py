"""The Poems tab: a regulated Tang poem (絕句, 律詩) to a title, written by the shipped character model, with the
form kept by constrained decoding or left to the model."""

import gradio as gr

from lmdemo.data.poems import MAX_TITLE_CHARS
from lmdemo.tasks.pipeline import pipeline
from lmdemo.data.poem_form import FORMS
from lmdemo_app.checks import check_choice, check_seed, check_text, inputs_checked, user_errors
from lmdemo_app.fields import named, number, slider
from lmdemo_app.i18n import SCRIPT_CHOICES, choices, language_input, t
from lmdemo_app.i18n import text as text_of
from lmdemo_app.shared_models import check_model_name, get_model, task_models

SAMPLE_TITLES = ("春夜喜雨", "登高", "静夜思", "送友人", "秋思")


@user_errors
def write_poem(title, form, temperature, seed, constrained, script, model_name, language="en"):
    """A poem of ``form`` titled ``title``, one line per row, and a note on its form.

    Args:
        title: the title, in simplified or traditional characters (at most 64).
        form: 五言絕句, 七言絕句, 五言律詩 or 七言律詩.
        temperature: sampling temperature (0.1-2).
        seed: a whole number for a reproducible poem; -1 draws at random.
        constrained: keep the form by masking every character that would break it.
        script: "" (the model's own: traditional), "simplified" or "traditional".
        model_name: the shipped poem model.
        language: ``en`` or ``zh``: the language of messages.
    """
    title = check_text(title, "title", MAX_TITLE_CHARS)
    form = check_choice(form, "form", list(FORMS))
    script = check_choice(script or "", "script", [value for value, _ in SCRIPT_CHOICES]) or None
    seed = check_seed(seed)
    model_name = check_model_name(model_name, "poem")
    inputs_checked()
    result = pipeline("poem", model=get_model(model_name, "poem"))(
        title, form=form, temperature=temperature, seed=seed, constrained=bool(constrained), script=script)
    note = text_of("poem_form_kept" if result["form_ok"] else "poem_form_broken", form=form,
                   lines=len(result["lines"]))
    return "\n".join(result["lines"]), note


def build():
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    names = task_models("poem")
    gr.Markdown(t("poem_help"))
    if not names:
        gr.Markdown(t("task_model_missing"))
    with gr.Row():
        with gr.Column():
            title = gr.Textbox(label=t("poem_title"), value=SAMPLE_TITLES[0], lines=1, elem_id="poem-title")
            form = named(gr.Radio([(name, name) for name in FORMS], value="七言絕句", label=t("poem_form"),
                                  elem_id="poem-form"), "form")
            with gr.Row():
                temperature = slider(0.1, 2.0, value=0.8, step=0.05, label=t("temperature"), name="temperature")
                seed = number(value=0, precision=0, label=t("seed"), name="seed", elem_id="poem-seed")
            constrained = gr.Checkbox(value=True, label=t("poem_constrained"), info=t("poem_constrained_info"))
            script = named(gr.Radio(choices(SCRIPT_CHOICES), value="", label=t("script")), "script")
            model = named(gr.Dropdown(names, value=names[0] if names else None, label=t("model")), "model_name")
            button = gr.Button(t("poem_write"), variant="primary", elem_id="poem-button")
            gr.Examples([[name] for name in SAMPLE_TITLES], inputs=[title], label=t("examples"))
        with gr.Column():
            out = gr.Textbox(label=t("poem"), lines=9, buttons=["copy"], elem_id="poem-out")
            note = gr.Markdown(label=t("out_note"), elem_id="poem-note")
    language = language_input()
    button.click(write_poem, [title, form, temperature, seed, constrained, script, model, language], [out, note],
                 api_name="poem", show_progress_on=[out], concurrency_limit=2, concurrency_id="tasks",
                 validator=write_poem.validator)
