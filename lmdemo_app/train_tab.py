"""The Train tab: train a small model on the visitor's text, watch the loss, then generate from it.

Training runs ``lmdemo.training.lm_training.train_language_model`` in a worker thread; its evaluation records
arrive through ``log_fn`` and are streamed to the page as a loss curve. The text and the checkpoint
live in a temporary folder that is deleted as soon as training ends; the trained model stays in
memory in the visitor's ``gr.State`` (dropped after `STATE_SECONDS`).
"""

import os
import queue
import threading
import time

import gradio as gr

from lmdemo.training.trainer import TrainConfig
from lmdemo.training.lm_training import train_language_model
from lmdemo_app import charts, workspace
from lmdemo_app.checks import (
    MAX_NEW_TOKENS,
    MAX_TRAIN_CHARS,
    MAX_TRAIN_SECONDS,
    MAX_TRAIN_STEPS,
    MIN_TRAIN_CHARS,
    check_choice,
    check_int,
    check_seed,
    check_text,
    check_upload,
    inputs_checked,
    user_errors,
    UserError,
)
from lmdemo_app.fields import named, number, slider
from lmdemo_app.generate_tab import SAMPLERS, sampler_settings
from lmdemo_app.i18n import choices, language_input, t
from lmdemo_app.i18n import text as text_of  # ``text`` is the training text here
from lmdemo_app.shared_models import check_model_name, describe, transformer_names

STATE_SECONDS = 3600
# model type → (train_language_model arguments): small enough to train in a minute on 2 CPU cores
MODEL_TYPES = {
    "transformer": dict(model="transformer", preset="tiny", model_overrides={}),
    "lstm": dict(model="lstm", model_overrides=dict(num_layers=1, hidden_dim=128, train_length=64)),
    "rnn": dict(model="rnn", model_overrides=dict(num_layers=1, hidden_dim=128, train_length=64)),
    "ngram": dict(model="ngram", order=5),
}
NEW_MODEL = "new model"  # the "start from" choice that trains from scratch
FINE_TUNE = dict(window=64, batch_size=8, learning_rate=3e-4)  # a pretrained model: short windows, a gentle rate
EVAL_POINTS = 20  # loss-curve points per run
# one training at a time in the whole process, also counting runs whose visitor has left and that
# are still winding down (the queue's concurrency limit only counts handlers that are connected)
TRAINING = threading.BoundedSemaphore(1)

SAMPLE = ("生存还是毁灭，这是一个值得考虑的问题。\n" * 5
          + "To be, or not to be, that is the question:\nWhether 'tis nobler in the mind to suffer\n"
          "The slings and arrows of outrageous fortune,\nOr to take arms against a sea of troubles\n"
          "And by opposing end them. To die: to sleep;\nNo more; and by a sleep to say we end\n"
          "The heart-ache and the thousand natural shocks\nThat flesh is heir to, 'tis a consummation\n"
          "Devoutly to be wish'd. To die, to sleep;\nTo sleep: perchance to dream: ay, there's the rub;\n") * 4


def training_text(text, upload):
    """The pasted text, or the uploaded .txt file's text, within the caps (an error names the field it came from)."""
    field = "text"
    if upload:
        field = "upload"
        path = check_upload(upload, field, (".txt",), max_bytes=4 * MAX_TRAIN_CHARS)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except UnicodeDecodeError as e:
            raise UserError(text_of("err_not_utf8", name=field, offset=e.start), field=field) from None
    text = check_text(text, field, max_chars=MAX_TRAIN_CHARS)
    if len(text) < MIN_TRAIN_CHARS:
        raise UserError(text_of("err_too_short", name=field, count=len(text), least=MIN_TRAIN_CHARS), field=field)
    return text


def status_line(record, steps):
    """``"step 40 / 200 · 12.3 s · train loss 2.3100 · validation loss 2.4000"`` (in the visitor's language)."""
    parts = [text_of("status_step", step=record["step"], steps=steps), f"{record['elapsed_s']} s",
             text_of("status_train_loss", loss=record["train_loss"])]
    if record.get("val_loss") is not None:
        parts.append(text_of("status_val_loss", loss=record["val_loss"]))
    return " · ".join(parts)


@user_errors
def train(text, upload, model_type, steps, max_seconds, state, start_from=NEW_MODEL, language="en"):
    """Train on the text; yield (status, loss chart, state) as evaluations arrive, the model at the end.

    ``start_from``: ``NEW_MODEL``, or a Transformer (shipped, or a Hub id ``hf:...``) to fine-tune; its
    tokenizer and size are kept, and it trains on windows of ``FINE_TUNE["window"]`` tokens. An n-gram
    model is counted, not trained: its one record scores the validation text (the last 10%).
    """
    text = training_text(text, upload)
    check_choice(model_type, "model_type", list(MODEL_TYPES))
    steps = check_int(steps, "steps", 10, MAX_TRAIN_STEPS)
    max_seconds = check_int(max_seconds, "max_seconds", 10, MAX_TRAIN_SECONDS)
    start_from = start_from or NEW_MODEL
    if start_from == NEW_MODEL:
        kind, arguments, rate, batch = model_type, {**MODEL_TYPES[model_type], "tokenizer": "char"}, 3e-3, 16
    else:
        check_model_name(start_from, kinds=("transformer",), field="start_from")  # a Hub model is fetched here
        kind, rate, batch = f"{start_from} (fine-tuned)", FINE_TUNE["learning_rate"], FINE_TUNE["batch_size"]
        arguments = dict(model="transformer", init_from=start_from, window=FINE_TUNE["window"])
    inputs_checked()
    config = TrainConfig(steps=steps, batch_size=batch, warmup_steps=steps // 10, max_minutes=max_seconds / 60,
                         eval_interval=max(1, steps // EVAL_POINTS), eval_tokens=20_000, learning_rate=rate)
    if not TRAINING.acquire(timeout=MAX_TRAIN_SECONDS):
        raise UserError(text_of("err_trainer_busy"))
    try:
        folder = workspace.new_folder("train-")
    except BaseException:
        TRAINING.release()
        raise
    records = queue.Queue()
    result = {}
    stop = threading.Event()

    def log(record):
        records.put(record)

    def work():
        try:
            data = os.path.join(folder, "train.txt")
            with open(data, "w", encoding="utf-8") as f:
                f.write(text)
            result["model"] = train_language_model(data, os.path.join(folder, "model"), train_config=config,
                                                   progress=False, log_fn=log, resume=False,
                                                   should_stop=stop.is_set, **arguments)
        except Exception as e:  # re-raised in the handler, where the visitor sees it
            result["error"] = e
        finally:
            workspace.remove(folder)
            TRAINING.release()

    started = time.time()
    worker = threading.Thread(target=work, name="lmdemo-app-train", daemon=True)
    worker.start()
    history = []
    try:
        yield text_of("status_counting" if kind == "ngram" else "status_starting", kind=kind), None, state
        while worker.is_alive() or not records.empty():
            try:
                record = records.get(timeout=0.5)
            except queue.Empty:
                continue
            history.append(record)
            yield status_line(record, steps), charts.loss_curve(history), state
        worker.join()
    finally:
        stop.set()  # the visitor left (the generator was closed): the run stops after its current step
    if "error" in result:
        raise result["error"]
    lm = result["model"]
    done = status_line(history[-1], steps if kind != "ngram" else 1) if history else kind
    yield (text_of("status_done", seconds=time.time() - started, done=done, about=describe(lm),
                   params=lm.num_params()), charts.loss_curve(history) if history else None, lm)


@user_errors
def generate_trained(prompt, max_new_tokens, seed, state, sampler="top_k", temperature=0.8, top_k=20, top_p=0.9,
                     language="en"):
    """Stream a continuation from the model trained in this session, with the chosen sampler."""
    if state is None:
        raise UserError(text_of("err_no_trained_model"))
    prompt = check_text(prompt, "prompt", allow_empty=True)
    max_new_tokens = check_int(max_new_tokens, "max_new_tokens", 1, MAX_NEW_TOKENS)
    check_choice(sampler, "sampler", [s for s in SAMPLERS if s != "beam"])
    seed = check_seed(seed)
    inputs_checked()
    out = ""
    for piece in state.stream(prompt, max_new_tokens=max_new_tokens, sampler=sampler, top_k=int(top_k),
                              temperature=float(temperature), top_p=float(top_p), seed=seed):
        out += piece
        yield out


def build():
    """The tab's components and events (inside a ``gr.Blocks`` context)."""
    gr.Markdown(t("train_help"))
    trained = gr.State(None, time_to_live=STATE_SECONDS)
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("train_text"), value=SAMPLE, lines=8,
                              elem_id="train-text")
            upload = named(gr.File(label=t("train_file"), file_types=[".txt"], type="filepath"), "upload")
            model_type = named(gr.Radio(choices([(m, "model_type_" + m) for m in MODEL_TYPES]), value="transformer",
                                        label=t("model_type"), elem_id="train-model"), "model_type")
            start_from = gr.Dropdown([(t("new_model"), NEW_MODEL)] + [(n, n) for n in transformer_names()],
                                     value=NEW_MODEL, label=t("start_from"),
                                     info=t("start_from_info"), allow_custom_value=True, elem_id="train-start")
            with gr.Row():
                steps = slider(10, MAX_TRAIN_STEPS, value=100, step=10, label=t("steps"), elem_id="train-steps",
                               name="steps")
                seconds = slider(10, MAX_TRAIN_SECONDS, value=60, step=5, label=t("max_seconds"), name="max_seconds")
            button = gr.Button(t("train"), variant="primary", elem_id="train-button")
        with gr.Column():
            status = gr.Markdown(label=t("train_status"), elem_id="train-status")
            chart = gr.Plot(label=t("loss_chart"), elem_id="train-chart")
    with gr.Row():
        with gr.Column():
            prompt = gr.Textbox(label=t("prompt"), value="To be", elem_id="train-prompt")
            sampler, temperature, top_k, top_p = sampler_settings("train", with_beam=False)
            max_new = slider(1, MAX_NEW_TOKENS, value=100, step=1, label=t("max_new_tokens"), name="max_new_tokens")
            seed = number(value=0, precision=0, label=t("seed"), name="seed")
            generate = gr.Button(t("trained_generate"), elem_id="train-generate")
        output = gr.Textbox(label=t("continuation"), lines=8, elem_id="train-output")
    language = language_input()
    button.click(train, [text, upload, model_type, steps, seconds, trained, start_from, language],
                 [status, chart, trained], api_name="train", show_progress_on=[status],
                 concurrency_limit=1, concurrency_id="train", validator=train.validator)
    generate.click(generate_trained, [prompt, max_new, seed, trained, sampler, temperature, top_k, top_p, language],
                   output, api_name="train_generate", concurrency_limit=4, concurrency_id="generate",
                   validator=generate_trained.validator)
