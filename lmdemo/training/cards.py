"""Model cards: the Markdown page in every checkpoint folder, written from the run's measured metrics.

``training_card(model, metrics)`` is the one writer: a function of the model and what its run
recorded in ``metrics.json`` (``name``, ``command``, the data, ``history``, the final scores), for
every kind a command trains (language models, n-gram models, task models). A command that changes a
trained checkpoint afterwards (``ngram-expert``, ``half-precision``) replaces or adds one section
with ``with_section``, so any hand-written part of a card stays.
"""

import os
import platform
import re

LIMITS = {
    "lm": "A small model trained briefly on one text: it imitates the surface of that text and knows nothing "
          "else. Generated text is not factual and can repeat itself.",
    "poem": "Trained on the regulated verse of the 全唐詩 only, in traditional characters: it writes the surface of "
            "Tang poems (their characters, images and form when asked), without meaning, rhyme or tonal pattern "
            "(平仄) of its own. Titles are read in traditional characters.",
    "masked-lm": "Pre-trained briefly on a few million words; a starting point for fine-tuning, not a model to use "
                 "on its own.",
    "translation": "Trained on short Tatoeba sentence pairs only: long, technical or idiomatic text translates poorly. "
                   "Inputs longer than the source window are cut (the result says so).",
    "summarization": "Trained on 14,732 invented messenger dialogues: it writes summaries in that style, names people "
                     "from the dialogue and can state things the dialogue does not say. Check every summary.",
    "sentiment": "Trained on movie-review phrases (SST-2): other domains, sarcasm and negation over long spans are "
                 "often misread. Labels are positive/negative only.",
}


def machine():
    """The machine a run measured its time on, for the card."""
    return f"{platform.machine()}, {os.cpu_count()} CPU cores"


def storage_note(model):
    """How the checkpoint stores the model: encrypted or not, and in which precision."""
    tokenizer, *weights = model.stored_files()
    files = weights + [tokenizer]  # the weights first, then the tokenizer
    if model.encryption is not None:
        note = (f"Stored **encrypted** at rest (AES-256-GCM: {', '.join(f'`{f}.enc`' for f in files)}); loading "
                f"needs the key or passphrase.")
    else:
        note = f"Stored unencrypted ({', '.join(f'`{f}`' for f in files)}: arrays and JSON only; no code is loaded)."
    if model.half_precision:
        note += " Weights stored in half precision (float16; loaded back as float32)."
    return note


def tokenizer_phrase(tok):
    if tok.type_name == "word":
        return (f"word tokenizer ({tok.vocab_size:,} words" + (", lower-cased and split as the Penn Treebank does"
                                                              if tok.normalize else "") + ")")
    if tok.type_name == "bpe":
        return f"byte-level BPE tokenizer with {tok.vocab_size:,} tokens"
    return f"{tok.type_name} tokenizer with {tok.vocab_size:,} tokens"


def training_card(model, metrics):
    """The Markdown card of a checkpoint a command trained: what it is, the data, the exact command, the
    measured scores, the loss curve, its limits."""
    task = metrics.get("task") or "lm"
    counted = model.kind == "ngram"
    title = metrics.get("name") or (f"lmdemo {model.order}-gram language model" if counted else
                                    f"lmdemo {model.kind} language model" if task == "lm" else f"lmdemo {task} model")
    size = f"{metrics['params']:,} stored counts" if counted else f"{metrics['params']:,} parameters, trained with lmdemo"
    lines = [f"# {title}", "",
             f"{model.describe()}; {tokenizer_phrase(model.tokenizer)}, {size}. {storage_note(model)}", ""]
    layout = "lm" if task == "poem" else task  # a poem model is a language model trained on poem records
    lines += (_data(metrics, layout) + [""] + _how_trained(model, metrics, layout) + [""]
              + _measured(model, metrics, layout))
    if metrics.get("history"):
        lines += ["", "Validation loss during training:", ""] + loss_history(metrics["history"])
        if task == "masked-lm":
            lines.append("Loss: cross-entropy of the original token at the masked positions (15% of tokens).")
    limit = (f"It sees only the last {model.order - 1} tokens; it knows nothing beyond its training text's n-grams "
             f"and generates locally fluent, globally aimless text." if counted else LIMITS[task])
    lines += ["", "## Limitations", limit, ""]
    return "\n".join(lines)


def loss_history(history):
    """The table of training and validation loss at every evaluation."""
    lines = ["| step | minutes | train loss | val loss |", "|---|---|---|---|"]
    for r in history:
        v = f"{r['val_loss']:.4f}" if "val_loss" in r else ""
        lines.append(f"| {r['step']} | {r['elapsed_s'] / 60:.1f} | {r['train_loss']:.4f} | {v} |")
    return lines


def with_section(card, title, lines):
    """``card`` with its ``## title`` section replaced, where it stands, by ``lines`` (added at the end when
    the card has none); the rest of the card, hand-written parts included, stays as it was."""
    card = card or ""
    body = "\n".join([f"## {title}", ""] + list(lines)).rstrip("\n")
    section = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", flags=re.S | re.M)
    found = section.search(card)
    if found is None:
        return card.rstrip("\n") + "\n\n" + body + "\n"
    after = card[found.end():]
    return card[:found.start()] + body + ("\n\n" + after if after else "\n")


def sentiment_rows(final):
    """The accuracy table: the model, each of its experts alone (if it has two), the baseline."""
    rows = ["| validation | accuracy |", "|---|---|", f"| this model | {final['accuracy']:.4f} |"]
    if "ngrams_accuracy" in final:
        rows += [f"| its Transformer alone | {final['transformer_accuracy']:.4f} |",
                 f"| its n-gram expert alone | {final['ngrams_accuracy']:.4f} |"]
    return rows + [f"| baseline: {final['baseline']} | {final['baseline_accuracy']:.4f} |"]


# -- the sections of ``training_card`` ---------------------------------------------------------------------
def _data(m, task):
    lines = ["## Data"]
    if task == "lm":
        lines.append(f"- training text: `{m['data']}` ({m['train_tokens']:,} tokens)")
        if m.get("val_data"):
            lines.append(f"- validation text: `{m['val_data']}`")
        else:
            tokens = f" ({m['val_tokens']:,} tokens)" if m.get("val_tokens") else ""
            lines.append(f"- validation: the last {m['val_fraction']:.0%} of the same text{tokens}")
        if m.get("init_from"):
            lines.append(f"- fine-tuned from `{m['init_from']}`")
        return lines
    skipped = m.get("skipped_empty_train")
    lines.append(f"- training: `{m['data']}` ({m['train_examples']:,} examples"
                 + (f"; {skipped} with an empty text left out" if skipped else "") + ")")
    if m.get("val_data"):
        lines.append(f"- validation: `{m['val_data']}` ({m['val_examples']:,} examples)")
    if m.get("init_from") and task == "sentiment":
        lines.append(f"- started from the pre-trained encoder of `{m['init_from']}` (its tokenizer too)")
    elif m.get("init_from"):
        lines.append(f"- continued from the weights of `{m['init_from']}` (its tokenizer too; layers it lacks "
                     f"started fresh)")
    return lines


def optimizer_line(cfg):
    """The optimizer and schedule of a training config, in words (older cards have neither field: AdamW, cosine)."""
    peak, low, warm = cfg["learning_rate"], cfg["min_learning_rate"], cfg["warmup_steps"]
    if cfg.get("schedule") == "wsd":
        schedule = (f"{warm} warmup steps, flat, then a linear decay to {low:g} over the last "
                    f"{cfg.get('decay_fraction', 0.2):.0%} of the steps")
    else:
        schedule = f"{warm} warmup steps, cosine decay to {low:g}"
    if cfg.get("optimizer") == "muon":
        return (f"Muon for the blocks' weight matrices (peak learning rate {cfg['muon_learning_rate']:g}) and AdamW "
                f"for the rest (peak learning rate {peak:g}; {schedule}")
    return f"AdamW (peak learning rate {peak:g}, {schedule}"


def _how_trained(model, m, task):
    command = m.get("command") or "(trained from Python; no command recorded)"
    if model.kind == "ngram":
        return ["## How it was built", "```", command, "```",
                "Discounts (D1, D2, D3+) per order, estimated from the counts of counts: "
                + "; ".join(f"order {k + 1}: " + ", ".join(f"{x:.3f}" for x in d) for k, d in enumerate(model.discounts))
                + "."]
    lines = ["## How it was trained"]
    stages = m.get("earlier_stages") or []
    for i, stage in enumerate(stages, 1):
        seconds = stage.get("train_seconds")
        minutes = "time not recorded" if seconds is None else f"{seconds / 60:.1f} minutes"
        lines += [f"Stage {i} ({stage.get('step') or 0:,} steps, {minutes}):", "```",
                  stage.get("command") or "(no command recorded)", "```"]
    if stages:
        lines.append(f"Stage {len(stages) + 1}, this run:")
    resumed = m.get("resumed_after") or []  # earlier invocations of this same run, then its last one
    for earlier in resumed:
        lines += [f"Until step {earlier.get('step') or 0:,} (then resumed):", "```",
                  earlier.get("command") or "(no command recorded)", "```"]
    if resumed:
        lines.append(f"From step {resumed[-1].get('step') or 0:,} to the end:")
    cfg = m["train_config"]
    if task == "lm":
        window = m.get("window") or getattr(model.config, "max_length", None) or model.config.train_length
        batches = f"batch {cfg['batch_size']} × {window} tokens"
    else:
        batches = f"batches of {cfg['batch_size']} examples of similar length"
    lines += ["```", command, "```",
              optimizer_line(cfg) + f", weight decay {cfg['weight_decay']:g}, gradient norm clipped at "
              f"{cfg['grad_clip']:g}), {batches}, dropout {model.config.dropout:g}"
              + (f", label smoothing {m['label_smoothing']:g}" if m.get("label_smoothing") else "")
              + f", seed {cfg['seed']}."]
    return lines


def _measured(model, m, task):
    if model.kind == "ngram":
        lines = ["## Measured", f"On {m['machine']}, counted in {m['train_seconds']:.1f} s."]
        if m.get("final_val_tokens"):
            lines += ["", "| validation tokens | nats per token | perplexity | bits per char |", "|---|---|---|---|",
                      f"| {m['final_val_tokens']:,} | {m['final_val_nats_per_token']:.4f} | "
                      f"{m['final_val_perplexity']:.2f} | {m['final_val_bits_per_char']:.4f} |"]
        return lines
    stages = m.get("earlier_stages") or []
    lines = ["## Measured", f"On {m['machine']}, {m['step']:,} steps in {m['train_seconds'] / 60:.1f} minutes"
             + _all_stages(stages, m) + "."]
    if task == "lm":
        return lines + [""] + _lm_scores(model, m)
    final = m.get("final")
    if final and task == "sentiment":
        lines += [""] + sentiment_rows(final)
    elif final and task == "translation":
        tokenize = next((v.get("bleu_tokenize") for v in final.values() if isinstance(v, dict) and "bleu" in v),
                        None) or "13a"  # cards written before the tokenizer was recorded used 13a
        lines += ["", f"BLEU (sacrebleu, {tokenize} tokenization) on the {final['sources']:,} distinct validation sources, "
                      f"each with all its references ({final['references']:,} in all):", "",
                  "| decoding | BLEU | seconds |", "|---|---|---|"]
        lines += [f"| {k} | {v['bleu']:.2f} | {v['seconds']:.0f} |" for k, v in final.items()
                  if isinstance(v, dict) and "bleu" in v]
    elif final and task == "summarization":
        lines += ["", f"ROUGE F1 (×100; the evaluation harness's `rouge`, Porter-stemmed) on {final['documents']:,} "
                      f"validation dialogues:", "", "| method | ROUGE-1 | ROUGE-2 | ROUGE-L |", "|---|---|---|---|"]
        lines += [f"| {k} | {v['rouge1']:.2f} | {v['rouge2']:.2f} | {v['rougeL']:.2f} |" for k, v in final.items()
                  if isinstance(v, dict) and "rouge1" in v]
    return lines


def _lm_scores(model, m):
    window = getattr(model.config, "max_length", None) or model.config.train_length
    lines = ["| split | loss (nats per token) | nats per char | bits per char |", "|---|---|---|---|"]
    if m.get("train_loss") is not None:
        lines.append(f"| train (last steps' mean) | {m['train_loss']:.4f} | | |")
    if m.get("val_loss_nats_per_token") is not None:
        per_char = (f"{m['val_nats_per_char']:.4f} | {m['val_bits_per_char']:.4f}" if "val_nats_per_char" in m
                    else " | ")  # a token folder keeps ids, not characters
        lines.append(f"| validation (every token, disjoint windows of {window}"
                     f"{', state reset per window' if model.max_length is None else ''}) | "
                     f"{m['val_loss_nats_per_token']:.4f} | {per_char} |")
    if m.get("final_val_tokens") and "final_val_bits_per_char" not in m:
        lines += ["", f"The token folder's validation split, {m['final_val_tokens']:,} tokens in disjoint windows: "
                      f"{m['final_val_nats_per_token']:.4f} nats per token (perplexity "
                      f"{m['final_val_perplexity']:.2f})."]
    elif m.get("final_val_tokens"):
        lines += ["", f"Read whole with `lm.log_probs` (how the comparison table scores every model), the "
                      f"validation text has {m['final_val_tokens']:,} tokens: "
                      f"{m['final_val_nats_per_token']:.4f} nats per token (perplexity "
                      f"{m['final_val_perplexity']:.2f}), {m['final_val_bits_per_char']:.4f} bits per char."]
    return lines


def _all_stages(stages, m):
    """The note on the total of several training stages; empty for a single stage."""
    if not stages:
        return ""
    steps = sum(s.get("step") or 0 for s in stages) + m["step"]
    minutes = (sum(s.get("train_seconds") or 0 for s in stages) + m["train_seconds"]) / 60
    return f" (this stage; all {len(stages) + 1} stages: {steps:,} steps in {minutes:.1f} minutes)"
