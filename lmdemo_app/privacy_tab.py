"""The Privacy tab: personal data in a text, highlighted by type, and the text after the chosen operator."""

import gradio as gr
import pandas as pd

from evals.privacy import ENTITY_TYPES, OPERATORS, analyze, count_by_type, sanitize
from lmdemo_app.checks import check_choice, check_text, user_errors
from lmdemo_app.i18n import t

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
def find_pii(text, operator, types):
    """The findings highlighted in ``text``, the sanitized text, and counts per type.

    The values found are shown to the visitor who pasted them and are never logged or kept.
    """
    text = check_text(text, "text")
    check_choice(operator, "operator", OPERATORS)
    if not types:
        raise ValueError("types is empty: choose at least one type of personal data to look for")
    findings = analyze(text, types=list(types))
    # no salt given: a random one per request, so a pseudonym cannot be matched to a guessed name
    clean, _ = sanitize(text, operator=operator, types=list(types))
    counts = count_by_type(findings)
    table = pd.DataFrame({"type": list(counts), "count": list(counts.values())}, columns=["type", "count"])
    return highlighted(text, findings), clean, table


def build():
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    gr.Markdown(t("privacy_help"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("text"), value=SAMPLE, lines=6, max_length=10_000, elem_id="pii-text")
            operator = gr.Radio(list(OPERATORS), value="placeholder", label=t("operator"), elem_id="pii-operator")
            with gr.Accordion(t("types"), open=False):
                types = gr.CheckboxGroup(list(ENTITY_TYPES), value=list(ENTITY_TYPES), label=t("types"))
            button = gr.Button(t("sanitize"), variant="primary", elem_id="pii-button")
        with gr.Column():
            found = gr.HighlightedText(label=t("found"), show_legend=True, elem_id="pii-found")
            clean = gr.Textbox(label=t("sanitized"), lines=6, buttons=["copy"], elem_id="pii-clean")
            counts = gr.Dataframe(label=t("counts"))
    button.click(find_pii, [text, operator, types], [found, clean, counts], api_name="privacy",
                 concurrency_limit=4, concurrency_id="privacy")
