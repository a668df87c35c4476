"""The Sentiment tab: P(positive), P(negative) for each line, from the shipped Transformer-encoder classifier
(and, for a classifier with an n-gram expert, what each of its two experts alone gave the chosen label)."""

import gradio as gr
import pandas as pd

from lmdemo.tasks.pipeline import pipeline
from lmdemo_app.checks import check_lines, user_errors
from lmdemo_app.i18n import t
from lmdemo_app.shared_models import get_model, task_models

MAX_LINES = 100
SAMPLE = ("a gorgeous , witty , seductive movie .\nthe plot is nothing but boilerplate clichés .\n"
          "it 's not a bad film , just a forgettable one .")


@user_errors
def classify(text, model_name):
    """The first line's label probabilities, and a table with every line's label and score."""
    lines = check_lines(text, "text", MAX_LINES)
    results = pipeline("sentiment", model=get_model(model_name, "sentiment"))(lines)
    table = pd.DataFrame({"text": [line[:200] for line in lines], "label": [r["label"] for r in results],
                          "score": [round(r["score"], 4) for r in results],
                          "truncated": [r["truncated"] for r in results]})
    for k, expert in enumerate(results[0].get("experts", ())):  # each expert's own probability of the label chosen
        table.insert(3 + k, f"{expert} alone", [round(r["experts"][expert][r["label"]], 4) for r in results])
    return results[0]["probabilities"], table


def build():
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    names = task_models("sentiment")
    gr.Markdown(t("sentiment_help"))
    if not names:
        gr.Markdown(t("task_model_missing"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("sentences"), value=SAMPLE, lines=6, max_length=10_000, elem_id="sent-text")
            model = gr.Dropdown(names, value=names[0] if names else None, label=t("model"), allow_custom_value=True,
                                info=t("hub_hint_bert"))
            button = gr.Button(t("classify"), variant="primary", elem_id="sent-button")
        with gr.Column():
            first = gr.Label(label=t("first_line"), num_top_classes=2, elem_id="sent-label")
            # text, label, score, the two experts' scores (when the model has them), truncated: all fit
            table = gr.Dataframe(label=t("every_line"), elem_id="sent-table", wrap=True,
                                 column_widths=["38%", "12%", "12%", "13%", "13%", "12%"])
    button.click(classify, [text, model], [first, table], api_name="sentiment", concurrency_limit=2,
                 concurrency_id="tasks")
