"""The Sentiment tab: P(positive), P(negative) for each line, from the shipped Transformer-encoder classifier
(and, for a classifier with an n-gram expert, what each of its two experts alone gave the chosen label)."""

import gradio as gr
import pandas as pd

from lmdemo.tasks.pipeline import pipeline
from lmdemo_app.checks import check_lines, inputs_checked, user_errors
from lmdemo_app.i18n import language_input, t
from lmdemo_app.i18n import text as text_of  # ``text`` is the visitor's text here
from lmdemo_app.shared_models import UNSEEN_LIMIT, check_model_name, get_model, task_models

MAX_LINES = 100
SAMPLE = ("a gorgeous , witty , seductive movie .\nthe plot is nothing but boilerplate clichés .\n"
          "it 's not a bad film , just a forgettable one .")


@user_errors
def classify(text, model_name, language="en"):
    """The first line's label probabilities, and a table with every line's label and score, and its share
    of text the model never learned (unknown words), flagged above `UNSEEN_LIMIT`: a label there is a guess.

    Args:
        text: sentences, one per line (at most 100).
        model_name: the shipped classifier or a Hub BERT classifier id (``hf:OWNER/NAME``).
        language: ``en`` or ``zh``: the language of headers, titles and messages.
    """
    lines = check_lines(text, "text", MAX_LINES)
    model_name = check_model_name(model_name, "sentiment")
    inputs_checked()
    model = get_model(model_name, "sentiment")
    results = pipeline("sentiment", model=model)(lines)
    unseen = [model.tokenizer.unknown_share(line) for line in lines]
    table = pd.DataFrame({text_of("col_text"): [line[:200] for line in lines],
                          text_of("col_label"): [r["label"] for r in results],
                          text_of("col_score"): [round(r["score"], 4) for r in results],
                          text_of("col_truncated"): [r["truncated"] for r in results],
                          text_of("col_unseen"): [f"{u:.0%}" + (text_of("unseen_flag") if u > UNSEEN_LIMIT else "")
                                                  for u in unseen]})
    for k, expert in enumerate(results[0].get("experts", ())):  # each expert's own probability of the label chosen
        table.insert(3 + k, text_of("col_expert_alone", expert=expert),
                     [round(r["experts"][expert][r["label"]], 4) for r in results])
    return results[0]["probabilities"], table


def build():
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    names = task_models("sentiment")
    gr.Markdown(t("sentiment_help"))
    if not names:
        gr.Markdown(t("task_model_missing"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("sentences"), value=SAMPLE, lines=6, elem_id="sent-text")
            model = gr.Dropdown(names, value=names[0] if names else None, label=t("model"), allow_custom_value=True,
                                info=t("hub_hint_bert"))
            button = gr.Button(t("classify"), variant="primary", elem_id="sent-button")
            gr.Examples([[SAMPLE], ["an utterly charming and hilarious film .\na dull , lifeless mess ."],
                         ["这部电影太好看了"]], inputs=[text], label=t("examples"))
        with gr.Column():
            first = gr.Label(label=t("first_line"), num_top_classes=2, elem_id="sent-label")
            # text, label, score, the two experts' scores (when the model has them), truncated: all fit
            table = gr.Dataframe(label=t("every_line"), elem_id="sent-table", wrap=True,
                                 column_widths=["32%", "11%", "10%", "11%", "11%", "11%", "14%"])
    language = language_input()
    button.click(classify, [text, model, language], [first, table], api_name="sentiment", show_progress_on=[table],
                 concurrency_limit=2, concurrency_id="tasks", validator=classify.validator)
