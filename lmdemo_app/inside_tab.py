"""Inside the Transformer: one forward pass step by step, the logit lens, and heads switched off.

Every number comes from ``lm.inspect``, ``lm.logit_lens``, ``lm.next_token_probs``/``log_probs`` with
``ablate_heads`` and ``lm.head_effects``; this module only picks what to show, cuts vectors to their
first `DIMS` dimensions and lays them out as tables and charts. Layers and heads are 1-based here,
as on the sliders ("L1 H2"); lmdemo's ``ablate_heads`` is 0-based.
"""

import html
import os
import re

import gradio as gr
import numpy as np
import pandas as pd

from lmdemo_app import charts, workspace
from lmdemo_app.checks import MAX_INSPECT_TOKENS, UserError, check_int, check_text, inputs_checked, user_errors
from lmdemo_app.fields import slider
from lmdemo_app.i18n import language_input, t
from lmdemo_app.i18n import text as text_of  # ``text`` is the visitor's text here
from lmdemo_app.shared_models import checkpoint_config, get_model, model_style

DIMS = 8  # vector dimensions shown in the tables
TOP_K = 10  # next tokens listed at the end
LENS_TOP_K = 5
ABLATE_TOKENS = 10  # next tokens compared with and without the switched-off heads
MAX_SAMPLE_CHARS = 2_000  # the text "bits per character" is measured on
KINDS = ("transformer",)
DEFAULT_TEXT = "To be, or not to be"
SAMPLES = {
    "shakespeare": ("ROMEO:\nBut, soft! what light through yonder window breaks?\nIt is the east, and Juliet is the "
                    "sun.\nArise, fair sun, and kill the envious moon,\nWho is already sick and pale with grief.\n"),
    "ptb": ("the company said it expects to report a loss for the third quarter . the stock fell N cents to $ N in "
            "new york stock exchange composite trading . analysts said the results were below expectations ."),
    "english": ("The history of science is the study of the development of science and scientific knowledge. "
                "Science is a body of knowledge about the natural world, gained by observation and experiment."),
    "tang": "\n五言絕句《靜夜思》床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。\n七言絕句《早發白帝城》朝辭白帝彩雲間，",
}

FORMULAS = r"""
$$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V$$

$$\mathrm{head}_i = \mathrm{Attention}(X W_Q^{(i)}, X W_K^{(i)}, X W_V^{(i)})$$

$$\mathrm{MultiHead}(X) = \mathrm{concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)\, W_O$$

$$\mathrm{FFN}(x) = \mathrm{act}(x W_1 + b_1)\, W_2 + b_2, \quad \mathrm{act} \in \{\mathrm{ReLU}, \mathrm{GELU}\}$$

$$P(\text{next} = i) = \mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$$

$$\text{logit lens after block } \ell:\ \mathrm{softmax}\big(\mathrm{LN}_f(x_\ell)\, W_{out}\big)$$
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


def read_text(lm, text):
    """``text``, or its longest start of at most `MAX_INSPECT_TOKENS` tokens; and a note when it was cut."""
    text = check_text(text, "text", max_chars=MAX_INSPECT_TOKENS * 16)
    if not text.strip():
        raise UserError(text_of("err_inside_empty"), field="text")
    n_tokens = len(lm.tokenizer.encode(text))
    if n_tokens <= MAX_INSPECT_TOKENS:
        return text, ""
    low, high = 1, len(text)  # the longest prefix within the limit (token counts grow with the prefix)
    while low < high:
        mid = (low + high + 1) // 2
        if len(lm.tokenizer.encode(text[:mid])) <= MAX_INSPECT_TOKENS:
            low = mid
        else:
            high = mid - 1
    return text[:low], text_of("note_inside_cut", count=n_tokens, limit=MAX_INSPECT_TOKENS, shown=repr(text[:low]))


def head_label(layer, head):
    """``"L1 H2"`` for 0-based layer 0, head 1."""
    return f"L{layer + 1} H{head + 1}"


def parse_heads(labels, config):
    """``["L1 H2", ...]`` → 0-based ``[(0, 1), ...]``; ValueError naming a label that is not a head of the model."""
    if labels is None:
        return []
    if isinstance(labels, str):
        labels = [labels]
    pairs = []
    for label in labels:
        m = re.fullmatch(r"\s*L(\d+)\s*H(\d+)\s*", str(label))
        if not m or not (1 <= int(m[1]) <= config.num_layers and 1 <= int(m[2]) <= config.num_heads):
            raise UserError(text_of("err_head_label", layers=config.num_layers, heads=config.num_heads,
                                    label=repr(label)), field="heads")
        pairs.append((int(m[1]) - 1, int(m[2]) - 1))
    return pairs


def pattern_head(lm, text=DEFAULT_TEXT):
    """(layer, head), 1-based: the head whose attention on ``text`` leaves the diagonal most (a visible pattern
    rather than each token looking at itself)."""
    out = lm.inspect(read_text(lm, text)[0])
    best, best_score = (1, 1), -1.0
    for layer, block in enumerate(out["blocks"]):
        weights = np.asarray(block["attention_weights"])  # (heads, seq, seq)
        if weights.shape[-1] < 2:
            return best
        on_diagonal = np.diagonal(weights, axis1=1, axis2=2)[:, 1:].mean(-1)  # row 0 has only itself
        for head, score in enumerate(1.0 - on_diagonal):
            if score > best_score:
                best, best_score = (layer + 1, head + 1), float(score)
    return best


@user_errors
def controls(model_name, language="en"):
    """For the chosen model: layer and head sliders set to a head with a visible pattern, the head choices
    of the switch-off list, and a sample text in the style of the model's training text."""
    lm = _model(model_name)
    c = lm.config
    layer, head = pattern_head(lm)
    choices = [head_label(l, h) for l in range(c.num_layers) for h in range(c.num_heads)]
    return (gr.update(maximum=c.num_layers, value=layer), gr.update(maximum=c.num_heads, value=head),
            gr.update(choices=choices, value=[]), SAMPLES[model_style(model_name)])


def _model(model_name):
    return get_model(model_name, kinds=KINDS)


@user_errors
def inspect(text, model_name, layer, head, position=MAX_INSPECT_TOKENS - 1, language="en"):
    """Every step of one forward pass over ``text`` (its first `MAX_INSPECT_TOKENS` tokens).

    Args:
        text: a short text (its first 32 tokens are read).
        model_name: a shipped Transformer or a Hub GPT-2 id (``hf:OWNER/NAME``).
        layer: the layer to show, 1-based.
        head: the attention head to show, 1-based.
        position: the query position, 0-based (past the end: the last token).
        language: ``en`` or ``zh``: the language of headers, titles and messages.

    Returns:
        a note; the tokens, embeddings, Q, K, V tables; scores and weights heatmaps; the chosen
        query's attention as bars; the combined-heads and feed-forward tables; the top next tokens
        as a table and a chart.
    """
    lm = _model(model_name)
    text, note = read_text(lm, text)
    c = lm.config
    if getattr(c, "position", "learned") == "rope":  # no position vector to add: say where positions went
        note = " ".join(part for part in (note, text_of("note_rope")) if part)
    layer = check_int(layer, "layer", 1, c.num_layers) - 1
    head = check_int(head, "head", 1, c.num_heads) - 1
    position = check_int(position, "position", 0, MAX_INSPECT_TOKENS - 1)
    inputs_checked()
    out = lm.inspect(text)
    labels = charts.positioned(out["tokens"])
    block = out["blocks"][layer]

    tokens = pd.DataFrame({text_of("col_position"): range(len(out["tokens"])),
                           text_of("col_token"): [charts.show_token(tok) for tok in out["tokens"]],
                           "id": [int(i) for i in out["token_ids"]]})
    parts = [("token", out["token_embeddings"]), ("position", out["position_embeddings"]),
             ("sum", out["embeddings"])]
    embeddings = pd.concat([vector_table([f"{lab} ({name})" for lab in labels], m) for name, m in parts],
                           ignore_index=True)
    q, k, v = (vector_table(labels, block[name][head]) for name in ("query", "key", "value"))
    where = text_of("where_layer_head", layer=layer + 1, head=head + 1)
    scores = charts.heatmap(causal_only(block["attention_scores"][head]), labels, labels,
                            title=f"Q Kᵀ / √d_k, {where}", colorscale="RdBu", zmid=0.0)
    weights = charts.heatmap(block["attention_weights"][head], labels, labels, zmin=0.0, zmax=1.0,
                             title=f"softmax(Q Kᵀ / √d_k), {where}")
    last = len(labels) - 1
    query = min(position, last)
    row = np.asarray(block["attention_weights"][head])[query, :query + 1]
    where_query = text_of("query_at", label=labels[query]) + (text_of("the_last_token") if position > last else "")
    query_row = charts.value_bars(labels[:query + 1], [float(w) for w in row], axis_title=text_of("attention_weight"),
                                  title=text_of("query_title", query=where_query, where=where))
    combined = vector_table(labels, block["attention_output"])
    ffn = vector_table(labels, block["feed_forward_hidden"])
    ffn.insert(1, text_of("col_zeros", activation=c.activation),
               [int(z) for z in (np.asarray(block["feed_forward_hidden"]) == 0).sum(1)])

    last_logits = np.asarray(out["logits"][-1])
    last_probs = np.asarray(out["probs"][-1])
    order = np.argsort(-last_probs, kind="stable")[:TOP_K]
    next_tokens = [lm.tokenizer.token_text(int(i)) for i in order]
    top = pd.DataFrame({text_of("col_token"): [charts.show_token(tok) for tok in next_tokens],
                        "id": [int(i) for i in order], "logit": np.round(last_logits[order].astype(np.float64), 4),
                        text_of("col_probability"): np.round(last_probs[order].astype(np.float64), 4)})
    chart = charts.probability_bars(next_tokens, [float(p) for p in last_probs[order]])
    return note, tokens, embeddings, q, k, v, scores, weights, query_row, combined, ffn, top, chart


@user_errors
def logit_lens(text, model_name, top_k=LENS_TOP_K, language="en"):
    """The logit lens over ``text``: what each layer's output would predict at each position.

    Returns:
        a grid (rows: the embeddings, then each block; columns: positions) of the top token coloured by
        its probability, and a table with the ``top_k`` tokens of every cell.
    """
    lm = _model(model_name)
    text, _ = read_text(lm, text)
    top_k = check_int(top_k, "top_k", 1, 20)
    inputs_checked()
    lens = lm.logit_lens(text, top_k=top_k)
    labels = charts.positioned(lm.tokenizer.token_text(i) for i in lm.tokenizer.encode(text))
    rows = [text_of("row_embeddings")] + [text_of("row_block", n=i + 1) for i in range(len(lens) - 1)]
    hover = [[text_of("lens_hover", row=rows[r], label=labels[p]) + "<br>".join(f"{charts.show_token(tok)}: {prob:.3f}"
                                                               for tok, prob in cell)
              for p, cell in enumerate(layer)] for r, layer in enumerate(lens)]
    grid = charts.token_grid([[cell[0][0] for cell in layer] for layer in lens],
                             [[cell[0][1] for cell in layer] for layer in lens], labels, rows, hover=hover,
                             title=text_of("lens_title"))
    table = pd.DataFrame([{text_of("col_layer"): rows[r], text_of("col_position"): labels[p],
                           **{f"#{j + 1}": f"{charts.show_token(tok)} {prob:.3f}" for j, (tok, prob) in enumerate(cell)}}
                          for r, layer in enumerate(lens) for p, cell in enumerate(layer)])
    return grid, table


def _bits_per_char(lm, sample, heads):
    return float(-lm.log_probs(sample, ablate_heads=heads).sum() / len(sample) / np.log(2))


def _check_sample(sample):
    sample = check_text(sample, "sample", max_chars=MAX_SAMPLE_CHARS)
    if len(sample.strip()) < 2:
        raise UserError(text_of("err_sample_empty"), field="sample")
    return sample


@user_errors
def ablate(text, model_name, heads, sample, language="en"):
    """The next-token distribution after ``text`` with every head on and with ``heads`` switched off, and the
    change in bits per character on ``sample``.

    Returns:
        a chart of the top next tokens with and without the heads, and a Markdown summary.
    """
    lm = _model(model_name)
    text, _ = read_text(lm, text)
    pairs = parse_heads(heads, lm.config)
    if not pairs:
        raise UserError(text_of("err_heads_empty"), field="heads")
    sample = _check_sample(sample)
    inputs_checked()
    full, ablated = lm.next_token_probs(text), lm.next_token_probs(text, ablate_heads=pairs)
    order = np.argsort(-np.maximum(full, ablated), kind="stable")[:ABLATE_TOKENS]
    names = ", ".join(head_label(*p) for p in pairs)
    chart = charts.paired_bars([lm.tokenizer.token_text(int(i)) for i in order], full[order], ablated[order],
                               [text_of("every_head"), text_of("without_heads", names=names)],
                               title=text_of("ablate_title", names=names))
    before, after = _bits_per_char(lm, sample, []), _bits_per_char(lm, sample, pairs)
    top_before, top_after = int(np.argmax(full)), int(np.argmax(ablated))
    show = lambda i: charts.show_token(lm.tokenizer.token_text(i))  # noqa: E731
    summary = text_of("ablate_summary", names=names, before=before, after=after, change=after - before,
                      top_before=show(top_before), p_before=full[top_before], top_after=show(top_after),
                      p_after=ablated[top_after])
    return chart, summary


@user_errors
def find_heads(model_name, sample, language="en"):
    """Every head ranked by how much switching it off alone raises bits per character on ``sample``.

    Returns:
        a bar chart and a table, most harmful switch-off first.
    """
    lm = _model(model_name)
    sample = _check_sample(sample)
    inputs_checked()
    base, effects = lm.head_effects(sample)
    names = [head_label(l, h) for l, h, _ in effects]
    changes = [round(e, 4) for _, _, e in effects]
    chart = charts.value_bars(names, changes, axis_title=text_of("col_bpc_change"),
                              title=text_of("effects_title", base=base))
    table = pd.DataFrame({text_of("col_head"): names, text_of("col_bpc_change"): changes})
    return chart, table


def view_html(model_name, text, note, tables, figures):
    """One self-contained HTML page: the tables as HTML, the figures with Plotly's script inlined once."""
    parts = [f"<h1>lmdemo: inside {html.escape(str(model_name))}</h1>",
             f"<p>Text: <code>{html.escape(text)}</code></p>" + (f"<p>{html.escape(note)}</p>" if note else "")]
    first = True
    for title, item in [*tables, *figures]:
        parts.append(f"<h2>{html.escape(title)}</h2>")
        if isinstance(item, pd.DataFrame):
            parts.append(item.to_html(index=False, border=0))
        else:
            parts.append(item.to_html(full_html=False, include_plotlyjs=first))
            first = False
    style = "body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px}"
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>lmdemo inside</title><style>{style}</style>"
            f"</head><body>{''.join(parts)}</body></html>")


@user_errors
def export_view(text, model_name, layer, head, position, language="en"):
    """The whole view (the forward pass and the logit lens) as one HTML file to download."""
    note, tokens, embeddings, q, k, v, scores, weights, query_row, combined, ffn, top, chart = inspect(
        text, model_name, layer, head, position, language)
    grid, lens_table = logit_lens(text, model_name, language=language)
    lm = _model(model_name)
    shown, _ = read_text(lm, text)
    page = view_html(model_name, shown, note,
                     [("Tokens", tokens), ("Embeddings", embeddings), ("Queries", q), ("Keys", k), ("Values", v),
                      ("Heads combined", combined), ("Feed-forward", ffn), ("Next tokens", top),
                      ("Logit lens", lens_table)],
                     [("Scores", scores), ("Attention weights", weights), ("One query", query_row),
                      ("Next-token probabilities", chart), ("Logit lens", grid)])
    path = os.path.join(workspace.new_folder("inside-"), "lmdemo-inside.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
    return path


def build(transformers, demo):
    """The tab's components and events (inside ``demo``'s context)."""
    gr.Markdown(t("inside_help"))
    if not transformers:
        gr.Markdown(t("no_transformer"))
        return
    config = checkpoint_config(transformers[0])["config"]
    with gr.Row():
        with gr.Column(scale=3):
            text = gr.Textbox(label=t("text"), value=DEFAULT_TEXT,
                              info=t("inside_limit"), elem_id="inside-text")
            with gr.Row():
                model = gr.Dropdown(transformers, value=transformers[0], label=t("model"), allow_custom_value=True,
                                    info=t("hub_hint"), elem_id="inside-model")
                layer = slider(1, config["num_layers"], value=1, step=1, label=t("layer"), elem_id="inside-layer",
                               name="layer")
                head = slider(1, config["num_heads"], value=1, step=1, label=t("head"), elem_id="inside-head",
                              name="head")
                position = slider(0, MAX_INSPECT_TOKENS - 1, value=MAX_INSPECT_TOKENS - 1, step=1,
                                  label=t("query_position"), info=t("query_position_info"),
                                  elem_id="inside-position", name="position")
            with gr.Row():
                button = gr.Button(t("show"), variant="primary", elem_id="inside-button")
                export = gr.Button(t("export_html"), elem_id="inside-export")
            gr.Examples([[DEFAULT_TEXT], ["To be, or not to be"], ["the company said"], ["床前明月光，疑是地上霜。"]],
                        inputs=[text], label=t("examples"))
            note = gr.Markdown(label=t("out_note"), elem_id="inside-note")
            download = gr.File(label=t("export_file"), interactive=False, visible=True, elem_id="inside-download")
        with gr.Column(scale=2):
            gr.Markdown(t("formulas"))
            gr.Markdown(FORMULAS, elem_id="inside-formulas")
    gr.Markdown(t("step_tokens"))
    tokens = gr.Dataframe(label=t("step_tokens"), show_label=False, elem_id="inside-tokens")
    gr.Markdown(t("step_embeddings"))
    embeddings = gr.Dataframe(label=t("out_embeddings"), max_height=300, show_label=False)
    gr.Markdown(t("step_qkv"))
    with gr.Row():
        q = gr.Dataframe(label=t("queries"))
        k = gr.Dataframe(label=t("keys"))
        v = gr.Dataframe(label=t("values"))
    with gr.Row():
        with gr.Column():
            gr.Markdown(t("step_scores"))
            scores = gr.Plot(label=t("out_scores"), show_label=False, elem_id="inside-scores")
        with gr.Column():
            gr.Markdown(t("step_weights"))
            weights = gr.Plot(label=t("out_weights"), show_label=False, elem_id="inside-weights")
    gr.Markdown(t("step_query"))
    query_row = gr.Plot(label=t("out_query_row"), show_label=False, elem_id="inside-query")
    gr.Markdown(t("step_combined"))
    combined = gr.Dataframe(label=t("out_heads_combined"), show_label=False)
    gr.Markdown(t("step_ffn"))
    ffn = gr.Dataframe(label=t("out_feed_forward"), show_label=False)
    gr.Markdown(t("step_logits"))
    with gr.Row():
        top = gr.Dataframe(label=t("out_top_next"), show_label=False, elem_id="inside-top")
        chart = gr.Plot(label=t("out_top_next_chart"), show_label=False)
    gr.Markdown(t("step_lens"))
    lens_grid = gr.Plot(label=t("out_lens"), show_label=False, elem_id="inside-lens")
    with gr.Accordion(t("lens_table"), open=False):
        lens_table = gr.Dataframe(label=t("out_lens_table"), show_label=False, elem_id="inside-lens-table")
    gr.Markdown(t("step_ablate"))
    with gr.Row():
        with gr.Column():
            heads = gr.Dropdown([head_label(l, h) for l in range(config["num_layers"]) for h in range(config["num_heads"])],
                                value=[], multiselect=True, allow_custom_value=True, label=t("heads_off"),
                                info=t("heads_off_info"), elem_id="inside-heads")
            sample = gr.Textbox(label=t("ablate_sample"), value=SAMPLES["shakespeare"], lines=4,
                                elem_id="inside-sample")
            with gr.Row():
                ablate_button = gr.Button(t("ablate"), elem_id="inside-ablate")
                find_button = gr.Button(t("find_heads"), elem_id="inside-find")
            ablate_summary = gr.Markdown(label=t("out_ablate_summary"), elem_id="inside-ablate-summary")
        with gr.Column():
            ablate_chart = gr.Plot(label=t("out_ablate_chart"), show_label=False, elem_id="inside-ablate-chart")
    with gr.Row():
        effects_chart = gr.Plot(label=t("out_head_effects"), show_label=False, elem_id="inside-effects")
        effects_table = gr.Dataframe(label=t("out_head_effects_table"), show_label=False, max_height=300,
                                     elem_id="inside-effects-table")
    language = language_input()

    outputs = [note, tokens, embeddings, q, k, v, scores, weights, query_row, combined, ffn, top, chart]
    inputs = [text, model, layer, head, position, language]
    once = dict(concurrency_limit=4, concurrency_id="score", show_progress_on=[note])  # one message, not thirteen
    lens = dict(fn=logit_lens, inputs=[text, model, gr.State(LENS_TOP_K), language], outputs=[lens_grid, lens_table],
                concurrency_limit=4, concurrency_id="score", show_progress_on=[lens_grid], validator=logit_lens.validator)
    button.click(inspect, inputs, outputs, api_name="inspect", validator=inspect.validator, **once).success(
        api_name="logit_lens", **lens)
    text.submit(inspect, inputs, outputs, api_visibility="private", validator=inspect.validator, **once).success(api_visibility="private", **lens)
    for control in (layer, head, position):  # dragging, clicking or typing a number and pressing Enter
        control.input(inspect, inputs, outputs, api_visibility="private", trigger_mode="always_last",
                      validator=inspect.validator, **once)
    setup = dict(fn=controls, inputs=[model, language], outputs=[layer, head, heads, sample],
                 api_visibility="private", show_progress_on=[note])
    model.change(**setup).success(inspect, inputs, outputs, api_visibility="private", **once).success(
        api_visibility="private", **lens)
    demo.load(**setup).success(inspect, inputs, outputs, api_visibility="private", **once).success(
        api_visibility="private", **lens)  # a worked example on load
    ablate_button.click(ablate, [text, model, heads, sample, language], [ablate_chart, ablate_summary],
                        api_name="ablate", validator=ablate.validator,
                        concurrency_limit=4, concurrency_id="score", show_progress_on=[ablate_summary])
    find_button.click(find_heads, [model, sample, language], [effects_chart, effects_table],
                      api_name="head_effects", validator=find_heads.validator,
                      concurrency_limit=2, concurrency_id="score", show_progress_on=[effects_table])
    export.click(export_view, inputs, download, api_name="export_inside",
                 concurrency_limit=2, concurrency_id="score", show_progress_on=[download])
