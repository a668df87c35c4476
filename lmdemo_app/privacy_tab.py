"""The Privacy tab: personal data in a text, highlighted by type, and the text after the chosen operator."""

import gradio as gr
import pandas as pd

from evals.privacy import ENTITY_TYPES, OPERATORS, analyze, count_by_type, sanitize
from lmdemo_app.checks import UserError, check_choice, check_text, inputs_checked, user_errors
from lmdemo_app.fields import named
from lmdemo_app.i18n import choices, language_input, t
from lmdemo_app.i18n import text as text_of  # ``text`` is the pasted text here

SAMPLE = ("Contact Jane Doe at jane.doe@example.com or +1 415-555-0100; card 4111 1111 1111 1111.\n"
          "请联系张伟，电话 13812345678，邮箱 zhangwei@example.cn。")


def highlighted(text, findings):
    """``gr.HighlightedText`` segments: each finding labelled with its type, the rest unlabelled."""
    out, pos = [], 0
    for f in findings:
        if f.start > pos:
            out.append((text[pos:f.start], None))
        out.append((text[f.start:f.end], f.type))
        pos = f.end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


@user_errors
def find_pii(text, operator, types, language="en"):
    """The findings highlighted in ``text``, the sanitized text, and counts per type.

    The values found are shown to the visitor who pasted them and are never logged or kept.

    Args:
        text: the text to check.
        operator: what replaces each value: placeholder, mask, pseudonym, remove or surrogate.
        types: the kinds of personal data to look for (EMAIL, PHONE, PERSON, ...).
        language: ``en`` or ``zh``: the language of headers, titles and messages.
    """
    text = check_text(text, "text")
    check_choice(operator, "operator", OPERATORS)
    if not types:
        raise UserError(text_of("err_no_types"), field="types")
    inputs_checked()
    findings = analyze(text, types=list(types))
    # no salt given: a random one per request, so a pseudonym cannot be matched to a guessed name
    clean, _ = sanitize(text, operator=operator, types=list(types))
    counts = count_by_type(findings)
    table = pd.DataFrame({text_of("col_type"): list(counts), text_of("col_count"): list(counts.values())},
                         columns=[text_of("col_type"), text_of("col_count")])
    return highlighted(text, findings), clean, table


def build():
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    gr.Markdown(t("privacy_help"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("text"), value=SAMPLE, lines=6, elem_id="pii-text")
            operator = named(gr.Radio(choices([(o, "operator_" + o) for o in OPERATORS]), value="placeholder",
                                      label=t("operator"), elem_id="pii-operator"), "operator")
            with gr.Accordion(t("types"), open=False):
                types = named(gr.CheckboxGroup(list(ENTITY_TYPES), value=list(ENTITY_TYPES), label=t("types")), "types")
            button = gr.Button(t("sanitize"), variant="primary", elem_id="pii-button")
            gr.Examples([[SAMPLE], ["Dear Ms. Müller, your IBAN DE89 3704 0044 0532 0130 00 was updated."],
                         ["王小明给刘洋发了邮件：liuyang@example.com"]], inputs=[text], label=t("examples"))
        with gr.Column():
            found = gr.HighlightedText(label=t("found"), show_legend=True, elem_id="pii-found")
            clean = gr.Textbox(label=t("sanitized"), lines=6, buttons=["copy"], elem_id="pii-clean")
            counts = gr.Dataframe(label=t("counts"))
    language = language_input()
    button.click(find_pii, [text, operator, types, language], [found, clean, counts], api_name="privacy",
                 show_progress_on=[found],
                 concurrency_limit=4, concurrency_id="privacy", validator=find_pii.validator)
