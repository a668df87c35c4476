"""Inside the Transformer: one forward pass of a shipped Transformer, step by step, with its numbers.

Every number comes from ``lm.inspect(text)``; this module only picks the layer and head to show,
cuts vectors to their first `DIMS` dimensions and lays them out as tables and heatmaps.
"""

import gradio as gr
import numpy as np
import pandas as pd

from lmdemo_app import charts
from lmdemo_app.checks import MAX_INSPECT_TOKENS, check_int, check_text, user_errors
from lmdemo_app.i18n import t
from lmdemo_app.shared_models import check_model_name, checkpoint_config, get_model

DIMS = 8  # vector dimensions shown in the tables
TOP_K = 10  # next tokens listed at the end

FORMULAS = r"""
$$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V$$

$$\mathrm{head}_i = \mathrm{Attention}(X W_Q^{(i)}, X W_K^{(i)}, X W_V^{(i)})$$

$$\mathrm{MultiHead}(X) = \mathrm{concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)\, W_O$$

$$\mathrm{FFN}(x) = \mathrm{act}(x W_1 + b_1)\, W_2 + b_2, \quad \mathrm{act} \in \{\mathrm{ReLU}, \mathrm{GELU}\}$$

$$P(\text{next} = i) = \mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$$
"""


def vector_table(labels, matrix, dims=DIMS):
    """A DataFrame with one row per token and the first ``dims`` columns of ``matrix``."""
    matrix = np.asarray(matrix)
    shown = matrix[:, :dims].astype(np.float64)
    frame = pd.DataFrame(np.round(shown, 4), columns=[f"d{j}" for j in range(shown.shape[1])])
    frame.insert(0, "token", labels)
    return frame


def causal_only(matrix):
    """The rows of ``matrix`` with entries above the diagonal blanked (the mask sets them to −∞)."""
    return [[float(v) if j <= i else None for j, v in enumerate(row)] for i, row in enumerate(np.asarray(matrix))]


@user_errors
def controls(model_name):
    """Slider ranges for the chosen model: layers 1..L and heads 1..H."""
    lm = get_model(check_model_name(model_name, kinds=("transformer",)))
    c = lm.config
    return (gr.update(maximum=c.num_layers, value=min(c.num_layers, 1)),
            gr.update(maximum=c.num_heads, value=min(c.num_heads, 1)))


@user_errors
def inspect(text, model_name, layer, head):
    """Every step of one forward pass over ``text`` (at most `MAX_INSPECT_TOKENS` tokens).

    Returns:
        tokens, embeddings, Q, K, V tables; scores and weights heatmaps; the combined-heads and
        feed-forward tables; the top next tokens as a table and a chart.
    """
    text = check_text(text, "text", max_chars=MAX_INSPECT_TOKENS * 16)
    lm = get_model(check_model_name(model_name, kinds=("transformer",)))
    c = lm.config
    layer = check_int(layer, "layer", 1, c.num_layers) - 1
    head = check_int(head, "head", 1, c.num_heads) - 1
    n_tokens = len(lm.tokenizer.encode(text))
    if n_tokens > MAX_INSPECT_TOKENS:
        raise ValueError(f"text has {n_tokens} tokens; look inside at most {MAX_INSPECT_TOKENS} at a time")
    out = lm.inspect(text)
    labels = charts.positioned(out["tokens"])
    block = out["blocks"][layer]

    tokens = pd.DataFrame({"position": range(len(out["tokens"])),
                           "token": [charts.show_token(tok) for tok in out["tokens"]],
                           "id": [int(i) for i in out["token_ids"]]})
    parts = [("token", out["token_embeddings"]), ("position", out["position_embeddings"]),
             ("sum", out["embeddings"])]
    embeddings = pd.concat([vector_table([f"{lab} ({name})" for lab in labels], m) for name, m in parts],
                           ignore_index=True)
    q, k, v = (vector_table(labels, block[name][head]) for name in ("query", "key", "value"))
    where = f"layer {layer + 1}, head {head + 1}"
    scores = charts.heatmap(causal_only(block["attention_scores"][head]), labels, labels,
                            title=f"Q Kᵀ / √d_k, {where}", colorscale="RdBu")
    weights = charts.heatmap(block["attention_weights"][head], labels, labels, zmin=0.0, zmax=1.0,
                             title=f"softmax(Q Kᵀ / √d_k), {where}")
    combined = vector_table(labels, block["attention_output"])
    ffn = vector_table(labels, block["feed_forward_hidden"])
    ffn.insert(1, f"{c.activation}: zeros", [int(z) for z in (np.asarray(block["feed_forward_hidden"]) == 0).sum(1)])

    last_logits = np.asarray(out["logits"][-1])
    last_probs = np.asarray(out["probs"][-1])
    order = np.argsort(-last_probs, kind="stable")[:TOP_K]
    next_tokens = [lm.tokenizer.id_to_token(int(i)) for i in order]
    top = pd.DataFrame({"token": [charts.show_token(tok) for tok in next_tokens], "id": [int(i) for i in order],
                        "logit": np.round(last_logits[order].astype(np.float64), 4),
                        "probability": np.round(last_probs[order].astype(np.float64), 4)})
    chart = charts.probability_bars(next_tokens, [float(p) for p in last_probs[order]])
    return tokens, embeddings, q, k, v, scores, weights, combined, ffn, top, chart


def build(transformers):
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    gr.Markdown(t("inside_help"))
    if not transformers:
        gr.Markdown(t("no_transformer"))
        return
    config = checkpoint_config(transformers[0])["config"]
    with gr.Row():
        with gr.Column(scale=3):
            text = gr.Textbox(label=t("text"), value="To be, or not", max_length=MAX_INSPECT_TOKENS * 16,
                              elem_id="inside-text")
            with gr.Row():
                model = gr.Dropdown(transformers, value=transformers[0], label=t("model"), allow_custom_value=True,
                                    info=t("hub_hint"))
                layer = gr.Slider(1, config["num_layers"], value=1, step=1, label=t("layer"),
                                  elem_id="inside-layer")
                head = gr.Slider(1, config["num_heads"], value=1, step=1, label=t("head"),
                                 elem_id="inside-head")
            button = gr.Button(t("show"), variant="primary", elem_id="inside-button")
        with gr.Column(scale=2):
            gr.Markdown(t("formulas"))
            gr.Markdown(FORMULAS, elem_id="inside-formulas")
    gr.Markdown(t("step_tokens"))
    tokens = gr.Dataframe(label=t("step_tokens"), show_label=False, elem_id="inside-tokens")
    gr.Markdown(t("step_embeddings"))
    embeddings = gr.Dataframe(max_height=300, show_label=False)
    gr.Markdown(t("step_qkv"))
    with gr.Row():
        q = gr.Dataframe(label=t("queries"))
        k = gr.Dataframe(label=t("keys"))
        v = gr.Dataframe(label=t("values"))
    with gr.Row():
        with gr.Column():
            gr.Markdown(t("step_scores"))
            scores = gr.Plot(show_label=False, elem_id="inside-scores")
        with gr.Column():
            gr.Markdown(t("step_weights"))
            weights = gr.Plot(show_label=False, elem_id="inside-weights")
    gr.Markdown(t("step_combined"))
    combined = gr.Dataframe(show_label=False)
    gr.Markdown(t("step_ffn"))
    ffn = gr.Dataframe(show_label=False)
    gr.Markdown(t("step_logits"))
    with gr.Row():
        top = gr.Dataframe(show_label=False, elem_id="inside-top")
        chart = gr.Plot(show_label=False)
    outputs = [tokens, embeddings, q, k, v, scores, weights, combined, ffn, top, chart]
    button.click(inspect, [text, model, layer, head], outputs, api_name="inspect", concurrency_limit=4,
                 concurrency_id="score")
    for control in (layer, head):
        control.release(inspect, [text, model, layer, head], outputs, api_visibility="private",
                        concurrency_limit=4, concurrency_id="score")
    model.change(controls, model, [layer, head], api_visibility="private")
