"""Plotly figures for the app: probability bars, attention heatmaps, score bars, loss curves.

Figures only arrange numbers that ``lmdemo`` or ``evals`` computed; they compute nothing new.
Token labels show whitespace visibly (``␣`` for a space, ``⏎`` for a newline) and carry their
position, so repeated tokens stay distinct rows and columns of a heatmap.
"""

import plotly.graph_objects as go

from lmdemo_app.i18n import text

FONT = "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"  # Chinese tokens need a CJK font


def show_token(token):
    """A token as readable text: spaces, newlines and tabs made visible."""
    return str(token).replace(" ", "␣").replace("\n", "⏎").replace("\t", "⇥") or "∅"


def positioned(tokens):
    """``["0:T", "1:o", ...]``: unique axis labels for a sequence of tokens."""
    return [f"{i}:{show_token(tok)}" for i, tok in enumerate(tokens)]


def _layout(fig, title, height, top=0):
    """Title, size and margins; ``top`` more pixels above the plot (for axis labels drawn on top)."""
    fig.update_layout(title=title, height=height, margin=dict(l=10, r=10, t=(40 if title else 10) + top, b=10),
                      font=dict(family=FONT), template="plotly_white")
    return fig


def probability_bars(tokens, probs, title=""):
    """Horizontal bars, most probable on top: P(token) for the given tokens.

    Args:
        tokens: token strings, in the order of ``probs``.
        probs: probabilities in [0, 1].
        title: the chart title.
    """
    labels = [f"{show_token(tok)} " for tok in tokens]
    fig = go.Figure(go.Bar(x=list(probs)[::-1], y=labels[::-1], orientation="h",
                           text=[f"{p:.3f}" for p in list(probs)[::-1]], textposition="auto",
                           marker_color="#4c78a8"))
    fig.update_xaxes(title="P(next token)", range=[0, max(1e-9, max(probs, default=0)) * 1.1])
    fig.update_yaxes(type="category")
    return _layout(fig, title, 120 + 22 * len(labels))


def sampling_bars(tokens, model, tempered, drawn, title=""):
    """The next token as a sampler sees it: for each token (most probable first, on top) the probability
    it is drawn with, or, grey and marked "cut", the probability the sampler took away from it.

    Args:
        tokens: token strings.
        model: each token's probability under the model (temperature 1), shown on hover.
        tempered: the same after the temperature.
        drawn: the probability the sampler draws it with (0: cut off).
        title: the chart title (say the kept mass there).
    """
    labels = [f"{show_token(tok)} " for tok in tokens][::-1]
    model, tempered, drawn = (list(map(float, a))[::-1] for a in (model, tempered, drawn))
    kept = [d > 0 for d in drawn]
    hover = [text("sampling_hover", model=m, tempered=tp, drawn=d) for m, tp, d in zip(model, tempered, drawn)]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=[d if k else 0.0 for d, k in zip(drawn, kept)], y=labels, orientation="h",
                         name=text("drawn_from"), marker_color="#4c78a8", hovertext=hover, hoverinfo="text",
                         text=[f"{d:.3f}" if k else "" for d, k in zip(drawn, kept)], textposition="auto"))
    fig.add_trace(go.Bar(x=[0.0 if k else tp for tp, k in zip(tempered, kept)], y=labels, orientation="h",
                         name=text("cut_off"), marker_color="#c7c7c7", marker_pattern_shape="/", hovertext=hover,
                         hoverinfo="text",
                         text=["" if k else f"{text('cut')} {tp:.3f}" for tp, k in zip(tempered, kept)],
                         textposition="auto"))
    top = max([*drawn, *tempered, 1e-9])
    fig.update_layout(barmode="overlay", legend=dict(orientation="h", y=-0.15))
    fig.update_xaxes(title="P(next token)", range=[0, top * 1.1])
    fig.update_yaxes(type="category")
    return _layout(fig, title, 150 + 22 * len(labels))


def heatmap(matrix, x_labels, y_labels, title="", zmin=None, zmax=None, colorscale="Blues", zmid=None):
    """A matrix as a heatmap with its values in the cells (rows top to bottom as given).

    ``zmid=0`` centres a diverging ``colorscale`` on 0 (for signed values such as attention scores)."""
    rows = [[None if v is None else float(v) for v in row] for row in matrix]
    fig = go.Figure(go.Heatmap(z=rows, x=list(x_labels), y=list(y_labels), zmin=zmin, zmax=zmax, zmid=zmid,
                               colorscale=colorscale, texttemplate="%{z:.2f}", hoverongaps=False))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    size = max(len(x_labels), len(y_labels))
    return _layout(fig, title, 200 + 28 * size, top=50)


def token_grid(tokens, probs, x_labels, y_labels, hover=None, title=""):
    """A grid of tokens (rows × columns), each cell coloured by its probability (the logit lens)."""
    fig = go.Figure(go.Heatmap(z=[[float(p) for p in row] for row in probs], x=list(x_labels), y=list(y_labels),
                               zmin=0.0, zmax=1.0, colorscale="Blues", text=[[show_token(t) for t in row]
                                                                             for row in tokens],
                               texttemplate="%{text}", hovertext=hover, hoverinfo="text" if hover else None,
                               colorbar=dict(title="P")))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    return _layout(fig, title, 200 + 34 * len(y_labels), top=30)


def paired_bars(tokens, first, second, names, title=""):
    """Two probabilities per token side by side (most probable first, on top): e.g. with and without a head."""
    labels = [f"{show_token(tok)} " for tok in tokens][::-1]
    fig = go.Figure()
    for values, name, colour in ((first, names[0], "#4c78a8"), (second, names[1], "#f58518")):
        values = [float(v) for v in values][::-1]
        fig.add_trace(go.Bar(x=values, y=labels, orientation="h", name=name, marker_color=colour,
                             text=[f"{v:.3f}" for v in values], textposition="auto"))
    fig.update_layout(barmode="group", legend=dict(orientation="h", y=-0.15))
    fig.update_xaxes(title="P(next token)")
    fig.update_yaxes(type="category")
    return _layout(fig, title, 170 + 40 * len(labels))


def value_bars(names, values, title="", lows=None, highs=None, axis_title=""):
    """One bar per name; optional interval whiskers from ``lows`` to ``highs`` (None where absent)."""
    error = None
    if lows is not None and highs is not None and any(lo is not None for lo in lows):
        plus = [0.0 if hi is None else hi - v for v, hi in zip(values, highs)]
        minus = [0.0 if lo is None else v - lo for v, lo in zip(values, lows)]
        error = dict(type="data", symmetric=False, array=plus, arrayminus=minus)
    fig = go.Figure(go.Bar(x=list(names), y=list(values), error_y=error, marker_color="#4c78a8",
                           text=[f"{v:.4g}" for v in values], textposition="auto"))
    fig.update_yaxes(title=axis_title)
    fig.update_xaxes(type="category")
    return _layout(fig, title, 360)


def metric_bars(groups):
    """One bar chart per metric scale, side by side (``{metric: [score rows]}`` as
    ``evals.reports.metric_groups`` gives them): each bar a score with its 95% interval, each chart's
    axis named after its metric, so BLEU (0-100) and ROUGE (0-1) never share an axis."""
    from plotly.subplots import make_subplots

    names = list(groups)
    fig = make_subplots(rows=1, cols=max(1, len(names)), subplot_titles=names, horizontal_spacing=0.12)
    for col, name in enumerate(names, start=1):
        scores = groups[name]
        has_ci = any(s.get("ci_low") is not None for s in scores)
        error = None
        if has_ci:
            error = dict(type="data", symmetric=False,
                         array=[0.0 if s["ci_high"] is None else s["ci_high"] - s["value"] for s in scores],
                         arrayminus=[0.0 if s["ci_low"] is None else s["value"] - s["ci_low"] for s in scores])
        fig.add_trace(go.Bar(x=[s["key"] for s in scores], y=[s["value"] for s in scores], error_y=error,
                             marker_color="#4c78a8", text=[f"{s['value']:.4g}" for s in scores], textposition="auto",
                             showlegend=False), row=1, col=col)
        fig.update_yaxes(title_text=scores[0]["unit"], row=1, col=col)
        fig.update_xaxes(type="category", row=1, col=col)
    return _layout(fig, "", 380)


def loss_curve(history, title=""):
    """Training and validation loss against the step, from the trainer's evaluation records."""
    fig = go.Figure()
    steps = [r["step"] for r in history]
    fig.add_trace(go.Scatter(x=steps, y=[r["train_loss"] for r in history], mode="lines+markers",
                             name=text("curve_train")))
    val = [(r["step"], r["val_loss"]) for r in history if r.get("val_loss") is not None]
    if val:
        fig.add_trace(go.Scatter(x=[s for s, _ in val], y=[v for _, v in val], mode="lines+markers",
                                 name=text("curve_validation")))
    fig.update_xaxes(title=text("col_step"))
    fig.update_yaxes(title=text("nats_per_token"))
    return _layout(fig, title, 340)
