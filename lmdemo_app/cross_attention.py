"""Where a decoder looked in the source while it wrote its output: heatmaps for the Translate and Summarize tabs.

The numbers come from ``Seq2SeqModel.attention``; this module picks the layer and head (or their mean)
and lays the weights out as target × source heatmaps.
"""

import numpy as np

from lmdemo_app import charts
from lmdemo_app.checks import check_choice, check_int
from lmdemo_app.i18n import t, text

MEAN = "mean"  # the head choice that averages every head of the layer


def head_choices(num_heads):
    """``["mean", "1", ..., "H"]``: the heads a heatmap can show."""
    return [MEAN] + [str(h + 1) for h in range(num_heads)]


def head_radio_choices(num_heads):
    """`head_choices` as (label, value) pairs for a radio: "mean of the heads" translated, heads by number."""
    return [(t("mean_of_heads"), MEAN)] + [(str(h + 1), str(h + 1)) for h in range(num_heads)]


def attention_figures(model, source, target, layer, head):
    """The cross-attention heatmap of ``layer`` (1-based) and ``head`` (``"mean"`` or ``"1"``…), and with a
    copy attention (pointer-generator) a second heatmap of where it copies from, or None.

    Rows are the steps that wrote each target token (the last writes the end token), columns the
    source tokens; each row sums to 1.
    """
    c = model.config
    layer = check_int(layer, "layer", 1, c.decoder_layers) - 1
    check_choice(str(head), "head", head_choices(c.num_heads))
    out = model.attention(source, target)
    src = charts.positioned(out["source_tokens"])
    written = out["target_tokens"][1:] + ["<end>"]  # row i is the step that wrote this token
    tgt = [f"{i}:{charts.show_token(tok)}" for i, tok in enumerate(written)]
    weights = out["cross_attention"][layer]
    shown = weights.mean(0) if head == MEAN else weights[int(head) - 1]
    name = text("every_head_mean") if head == MEAN else text("head_n", n=head)
    cross = charts.heatmap(shown, src, tgt, zmin=0.0, zmax=1.0,
                           title=text("cross_attention_title", layer=layer + 1, head=name))
    copy = None
    if "copy_attention" in out:
        rows = [text("copy_row", label=label, copy=1 - g)
                for label, g in zip(tgt, np.asarray(out["generate_probability"]))]
        copy = charts.heatmap(out["copy_attention"], src, rows, zmin=0.0, zmax=1.0, title=text("copy_title"))
    return cross, copy
