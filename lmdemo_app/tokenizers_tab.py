"""The Tokenizers tab: how character, byte-level BPE and word tokenizers split the same text."""

import functools

import gradio as gr
import pandas as pd

import lmdemo
from lmdemo.registry import load_model_tokenizer
from lmdemo.tokenizers import WordTokenizer
from lmdemo_app.checks import check_int, check_text, inputs_checked, user_errors
from lmdemo_app.fields import named, slider
from lmdemo_app.i18n import language_input, t, use_language
from lmdemo_app.i18n import text as text_of  # ``text`` is the visitor's text here
from lmdemo_app.shared_models import check_model_name

SAMPLE = "To be, or not to be, that is the question.\n生存还是毁灭，这是一个值得考虑的问题。"
CHINESE_SAMPLE = "床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。"
BPE_MIN, BPE_MAX = 257, 2_000


def _match(text, piece, pos):
    """Where ``piece`` starts in ``text`` at ``pos`` or after the whitespace there (ignoring case: word
    tokenizers may lower-case), or -1."""
    skipped = pos + len(text[pos:]) - len(text[pos:].lstrip())
    for at in (pos, skipped):
        if piece and text[at:at + len(piece)].lower() == piece.lower():
            return at
    return -1


def segments(text, pieces, ids):
    """``gr.HighlightedText`` segments: each token labelled with its id (or ids), gaps between tokens
    unlabelled.

    Each piece must start where the previous one ended (or after whitespace); a word tokenizer's
    ``<unk>`` covers the next word of the text. Any other piece that is not there (``<eos>`` for a
    newline) is shown where it occurs in the token sequence without consuming text, so the pieces
    after it stay aligned.
    """
    out, pos = [], 0
    for piece, token_id in zip(pieces, ids):
        at, end = _match(text, piece, pos), None
        if at >= 0:
            end = at + len(piece)
        elif piece == "<unk>" and text[pos:].strip():
            at = pos + len(text[pos:]) - len(text[pos:].lstrip())
            end = at + len(text[at:].split(maxsplit=1)[0])
        if end is None:
            out.append((piece, str(token_id)))
            continue
        if at > pos:
            out.append((text[pos:at], None))
        out.append((text[at:end], str(token_id)))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


@functools.lru_cache(maxsize=None)
def shipped_tokenizer(name):
    """The tokenizer of shipped model ``name`` (its checkpoint's, decrypted if need be; no weights loaded)."""
    return load_model_tokenizer(check_model_name(name))


def span_label(ids, tokenizer):
    """A piece's label: its id (``<unk>`` said), or for a character split over several byte tokens, their
    ids and how many."""
    if len(ids) > 1:
        return text_of("bytes_label", count=len(ids), ids=" ".join(map(str, ids)))
    return f"{ids[0]} <unk>" if ids[0] == tokenizer.unk_id else str(ids[0])


@user_errors
def tokenize(text, bpe_vocab_size, model_name, language="en"):
    """Split ``text`` with char, BPE and word tokenizers trained on it, and with a shipped model's tokenizer.

    A character that byte-level BPE splits over several byte tokens shows once, labelled with every
    id. A BPE vocabulary smaller than asked is explained in the table: a short text runs out of pairs
    to merge.

    Args:
        text: the text to split.
        bpe_vocab_size: the BPE vocabulary to learn from the text (257-2000).
        model_name: a shipped model whose tokenizer splits it too (empty: none).
        language: ``en`` or ``zh``: the language of headers, titles and messages.

    Returns:
        four highlighted token sequences (the fourth empty without a model) and a table of counts.
    """
    text = check_text(text, "text")
    bpe_vocab_size = check_int(bpe_vocab_size, "bpe_vocab_size", BPE_MIN, BPE_MAX)
    if model_name:
        check_model_name(model_name)
    inputs_checked()
    trained = text_of("trained_here")
    trained_bpe = lmdemo.BPETokenizer.train(text, vocab_size=bpe_vocab_size)
    tokenizers = [(f"char ({trained})", lmdemo.CharTokenizer.train(text)),
                  (f"bpe ({trained})", trained_bpe),
                  (f"word ({trained})", WordTokenizer.train(text))]
    if model_name:
        tokenizers.append((f"{model_name} ({shipped_tokenizer(model_name).type_name})", shipped_tokenizer(model_name)))
    shown, rows = [], []
    for name, tok in tokenizers:
        spans = tok.spans(text)
        shown.append(segments(text, [piece for piece, _ in spans], [span_label(ids, tok) for _, ids in spans]))
        count = sum(len(ids) for _, ids in spans)
        vocabulary = f"{tok.vocab_size:,}"
        if tok is trained_bpe and tok.vocab_size < bpe_vocab_size:  # a short text ran out of pairs to merge
            vocabulary = text_of("bpe_smaller", size=tok.vocab_size, asked=bpe_vocab_size)
        rows.append({text_of("col_tokenizer"): name, text_of("col_vocabulary"): vocabulary,
                     text_of("col_token_count"): count,
                     text_of("col_chars_per_token"): round(len(text) / max(count, 1), 3)})
    if not model_name:
        shown.append([])
    return (*shown, pd.DataFrame(rows))


def shipped_label(model_name, language="en"):
    """The fourth view's label: whose tokenizer it shows."""
    use_language(language)
    return gr.update(label=text_of("tokenizer_of", model=model_name) if model_name else text_of("no_model"))


def build(models, demo):
    """The tab's components and events (inside ``demo``'s context)."""
    gr.Markdown(t("tokenizers_help"))
    with gr.Row():
        text = gr.Textbox(label=t("text"), value=SAMPLE, lines=4, scale=3, elem_id="tok-text")
        with gr.Column(scale=1):
            vocab = slider(BPE_MIN, BPE_MAX, value=300, step=1, label=t("bpe_vocab"), name="bpe_vocab_size")
            model = named(gr.Dropdown(models, value=models[0] if models else None, label=t("shipped_tokenizer"),
                                      elem_id="tok-model"), "model_name")
            button = gr.Button(t("tokenize"), variant="primary", elem_id="tok-button")
    first = models[0] if models else None
    examples = [[SAMPLE, first], ["The tokenizer's job: split text into pieces a model can count.", first],
                ["def add(a, b):\n    return a + b", first], ["naïve café 😀 — “quotes”", first]]
    if "tang-poems-char" in models:  # one token per Chinese character beside byte-level BPE's three bytes each
        examples.insert(1, [CHINESE_SAMPLE, "tang-poems-char"])
    gr.Examples(examples, inputs=[text, model], label=t("examples"))
    char = gr.HighlightedText(label=t("char_tokens"), elem_id="tok-char")
    bpe = gr.HighlightedText(label=t("bpe_tokens"), elem_id="tok-bpe")
    word = gr.HighlightedText(label=t("word_tokens"), elem_id="tok-word")
    shipped = gr.HighlightedText(label=t("shipped_tokenizer"), elem_id="tok-shipped")
    counts = gr.Dataframe(label=t("token_counts"), elem_id="tok-counts")
    language = language_input()
    for event in (model.change, demo.load):
        event(shipped_label, [model, language], shipped, api_visibility="private", show_progress="hidden")
    button.click(tokenize, [text, vocab, model, language], [char, bpe, word, shipped, counts], api_name="tokenize",
                 show_progress_on=[counts], concurrency_limit=4, concurrency_id="score",
                 validator=tokenize.validator)
