"""The Tokenizers tab: how character, byte-level BPE and word tokenizers split the same text."""

import functools

import gradio as gr
import pandas as pd

import lmdemo
from lmdemo.registry import load_model_tokenizer
from lmdemo.tokenizers import WordTokenizer
from lmdemo_app.checks import check_int, check_text, user_errors
from lmdemo_app.i18n import t
from lmdemo_app.shared_models import check_model_name

SAMPLE = "To be, or not to be, that is the question.\n生存还是毁灭，这是一个值得考虑的问题。"
BPE_MIN, BPE_MAX = 257, 2_000


def segments(text, pieces, ids):
    """``gr.HighlightedText`` segments: each token labelled with its id, gaps between tokens unlabelled.

    Pieces are found in ``text`` left to right. A piece that is not there (``<eos>`` for a
    newline, ``<unk>``, the second byte token of one character) is shown where it occurs in the
    token sequence without consuming text.
    """
    out, pos = [], 0
    for piece, token_id in zip(pieces, ids):
        at = text.find(piece, pos) if piece else -1
        if at < 0:
            out.append((piece, str(token_id)))
            continue
        if at > pos:
            out.append((text[pos:at], None))
        out.append((piece, str(token_id)))
        pos = at + len(piece)
    if pos < len(text):
        out.append((text[pos:], None))
    return out


@functools.lru_cache(maxsize=None)
def shipped_tokenizer(name):
    """The tokenizer of shipped model ``name`` (its checkpoint's, decrypted if need be; no weights loaded)."""
    return load_model_tokenizer(check_model_name(name))


@user_errors
def tokenize(text, bpe_vocab_size, model_name):
    """Split ``text`` with char, BPE and word tokenizers trained on it, and with a shipped model's tokenizer.

    Returns:
        four highlighted token sequences and a table of counts.
    """
    text = check_text(text, "text")
    bpe_vocab_size = check_int(bpe_vocab_size, "bpe_vocab_size", BPE_MIN, BPE_MAX)
    tokenizers = [("char (trained on this text)", lmdemo.CharTokenizer.train(text)),
                  ("bpe (trained on this text)", lmdemo.BPETokenizer.train(text, vocab_size=bpe_vocab_size)),
                  ("word (trained on this text)", WordTokenizer.train(text))]
    if model_name:
        tokenizers.append((f"{model_name} ({shipped_tokenizer(model_name).type_name})", shipped_tokenizer(model_name)))
    shown, rows = [], []
    for name, tok in tokenizers:
        ids = tok.encode(text)
        shown.append(segments(text, tok.tokenize(text), ids))
        rows.append({"tokenizer": name, "vocabulary": tok.vocab_size, "tokens": len(ids),
                     "characters per token": round(len(text) / max(len(ids), 1), 3)})
    if not model_name:
        shown.append([])
    return (*shown, pd.DataFrame(rows))


def build(models):
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    gr.Markdown(t("tokenizers_help"))
    with gr.Row():
        text = gr.Textbox(label=t("text"), value=SAMPLE, lines=4, max_length=10_000, scale=3, elem_id="tok-text")
        with gr.Column(scale=1):
            vocab = gr.Slider(BPE_MIN, BPE_MAX, value=300, step=1, label=t("bpe_vocab"))
            model = gr.Dropdown(models, value=models[0] if models else None, label=t("model"))
            button = gr.Button(t("tokenize"), variant="primary", elem_id="tok-button")
    char = gr.HighlightedText(label=t("char_tokens"), elem_id="tok-char")
    bpe = gr.HighlightedText(label=t("bpe_tokens"), elem_id="tok-bpe")
    word = gr.HighlightedText(label=t("word_tokens"), elem_id="tok-word")
    shipped = gr.HighlightedText(label=t("model"))
    counts = gr.Dataframe(label=t("token_counts"), elem_id="tok-counts")
    button.click(tokenize, [text, vocab, model], [char, bpe, word, shipped, counts], api_name="tokenize",
                 concurrency_limit=4, concurrency_id="score")
