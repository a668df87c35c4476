"""The Generate tab: stream a continuation from any shipped model; watch the sampler pick each token.

The chart is the next-token distribution as the chosen sampler draws from it (``lm.sampling_probs``);
the step-through table is ``lm.sampling_steps``. This module only lays their numbers out.
"""

import gradio as gr
import numpy as np
import pandas as pd

from lmdemo_app import charts
from lmdemo_app.checks import (MAX_NEW_TOKENS, check_choice, check_int, check_seed, check_text, inputs_checked,
                               user_errors)
from lmdemo_app.fields import named, number, slider
from lmdemo_app.i18n import choices, language_input, t, text
from lmdemo_app.shared_models import check_model_name, get_model, model_style, model_summary

SAMPLERS = ["greedy", "temperature", "top_k", "top_p", "beam"]  # values; labels: text("sampler_" + value)
CHART_TOKENS = 15
MAX_STEPS = 60  # tokens the step-through table shows (each step re-reads the window)
STEP_CANDIDATES = 5
# which settings each sampler reads: temperature, top-k, top-p, beams, seed
SETTINGS = {"greedy": (0, 0, 0, 0, 0), "temperature": (1, 0, 0, 0, 1), "top_k": (1, 1, 0, 0, 1),
            "top_p": (1, 0, 1, 0, 1), "beam": (0, 0, 0, 1, 0)}
# example prompts in the style of each model's training text
EXAMPLES = {
    "shakespeare": ["ROMEO:\n", "JULIET:\nO Romeo, Romeo! wherefore art thou", "First Citizen:\nBefore we proceed any further,",
                    "KING RICHARD III:\nNow is the winter of our discontent"],
    "ptb": ["the company said", "in the third quarter net income rose", "mr. <unk> said the",
            "the dow jones industrial average fell N points to"],
    "english": ["Once upon a time", "The capital of France is", "In a shocking finding, scientists discovered",
                "def fibonacci(n):"],
    # a poem model reads a record's start: its form, then its title in 《》 (lmdemo.data.poems)
    "tang": ["\n七言絕句《春夜》", "\n五言律詩《登樓》", "\n五言絕句《江雪》千山鳥飛絕，", "床前明月光，"],
}


def example_prompts(model_name):
    """Prompts in the style of the text ``model_name`` learned from (PTB, Shakespeare, or plain English)."""
    return EXAMPLES[model_style(model_name)]


def _sampler_args(sampler, temperature, top_k, top_p, num_beams):
    check_choice(sampler, "sampler", SAMPLERS)
    return dict(sampler=sampler, temperature=float(temperature), top_k=int(top_k), top_p=float(top_p),
                num_beams=int(num_beams))


@user_errors
def generate(prompt, model_name, sampler, max_new_tokens, temperature, top_k, top_p, num_beams, seed, language="en"):
    """Stream the continuation of ``prompt`` (the text so far, growing).

    Args:
        prompt: the text to continue (may be empty).
        model_name: a shipped language model or a Hub GPT-2 id (``hf:OWNER/NAME``).
        sampler: greedy, temperature, top_k, top_p or beam.
        max_new_tokens: how many tokens to add.
        temperature, top_k, top_p, num_beams: the sampler's settings (each reads its own).
        seed: a whole number for a reproducible draw; -1 draws at random.
        language: ``en`` or ``zh``, the language of error messages.
    """
    prompt = check_text(prompt, "prompt", allow_empty=True)
    model_name = check_model_name(model_name)
    args = _sampler_args(sampler, temperature, top_k, top_p, num_beams)
    max_new_tokens = check_int(max_new_tokens, "max_new_tokens", 1, MAX_NEW_TOKENS)
    seed = check_seed(seed)
    inputs_checked()
    lm = get_model(model_name)
    text = ""
    for piece in lm.stream(prompt, max_new_tokens=max_new_tokens, seed=seed, **args):
        text += piece
        yield text


def top_tokens(lm, probs, n):
    """The ``n`` most probable (token, probability) pairs of a distribution over ``lm``'s vocabulary."""
    order = np.argsort(-probs, kind="stable")[:n]
    return [lm.tokenizer.token_text(int(i)) for i in order], [float(probs[i]) for i in order]


@user_errors
def next_token(prompt, model_name, sampler="greedy", temperature=1.0, top_k=40, top_p=0.9, language="en"):
    """A bar chart of the next token's distribution as ``sampler`` draws from it: the model's most
    probable tokens, the ones the sampler cuts off shaded, and the probability mass it keeps.

    Args:
        prompt: the text so far (may be empty).
        model_name: a shipped language model or a Hub GPT-2 id (``hf:OWNER/NAME``).
        sampler: greedy, temperature, top_k, top_p or beam.
        temperature: divides the logits before the sampler cuts (0.05-2).
        top_k: how many of the most probable tokens top_k keeps (1-100).
        top_p: the probability mass top_p keeps (0.01-1).
        language: ``en`` or ``zh``: the language of headers, titles and messages.
    """
    prompt = check_text(prompt, "prompt", allow_empty=True)
    model_name = check_model_name(model_name)
    args = _sampler_args(sampler, temperature, top_k, top_p, 4)
    inputs_checked()
    lm = get_model(model_name)
    if sampler == "beam":
        tokens, probs = top_tokens(lm, lm.next_token_probs(prompt), CHART_TOKENS)
        return charts.probability_bars(tokens, probs, title=text("beam_chart_title"))
    r = lm.sampling_probs(prompt, sampler=sampler, temperature=args["temperature"], top_k=args["top_k"],
                          top_p=args["top_p"])
    order = np.argsort(-r["model"], kind="stable")[:CHART_TOKENS]
    kept = int((r["sampler"] > 0).sum())
    title = text("sampler_chart_title", sampler=text("sampler_" + sampler), kept=kept, total=len(r["model"]),
                 mass=r["kept_mass"], temperature=args["temperature"] if sampler != "greedy" else 1.0)
    return charts.sampling_bars([lm.tokenizer.token_text(int(i)) for i in order], r["model"][order],
                                r["tempered"][order], r["sampler"][order], title=title)


def _fmt(p):
    return text("cut") if p == 0 else f"{p:.3f}"


@user_errors
def step_through(prompt, model_name, sampler, steps, temperature, top_k, top_p, num_beams, seed, language="en"):
    """One row per generated token: what the sampler saw and what it picked (beam search: the beams).

    Returns:
        a DataFrame (headers in ``language``). Sampling: ``step``, ``picked``, ``model → sampler``
        (the picked token's probability before and after the sampler), ``kept mass``, then the top
        candidates as ``token: model → sampler`` ("cut" where the sampler removed it). Beam search:
        ``step`` and, per beam, its text so far and its total log probability.
    """
    prompt = check_text(prompt, "prompt", allow_empty=True)
    model_name = check_model_name(model_name)
    args = _sampler_args(sampler, temperature, top_k, top_p, num_beams)
    steps = check_int(steps, "steps", 1, MAX_STEPS)
    seed = check_seed(seed)
    inputs_checked()
    lm = get_model(model_name)
    trace = lm.sampling_steps(prompt, max_new_tokens=steps, seed=seed, top_n=STEP_CANDIDATES, **args)
    if sampler == "beam":
        rows = [{text("col_step"): i + 1,
                 **{text("col_beam", n=b + 1): f"{charts.show_token(beam['text'])}  ({beam['score']:.2f})"
                    for b, beam in enumerate(s["beams"])}} for i, s in enumerate(trace)]
        return pd.DataFrame(rows)
    rows = []
    for i, s in enumerate(trace):
        picked = next(c for c in s["candidates"] if c["id"] == s["id"])
        row = {text("col_step"): i + 1, text("col_picked"): charts.show_token(s["token"]),
               text("col_model_sampler"): f"{picked['model']:.3f} → {_fmt(picked['sampler'])}",
               text("col_kept_mass"): round(s["kept_mass"], 3)}
        for j, c in enumerate(s["candidates"][:STEP_CANDIDATES]):
            row[f"#{j + 1}"] = f"{charts.show_token(c['token'])}: {c['model']:.3f} → {_fmt(c['sampler'])}"
        rows.append(row)
    return pd.DataFrame(rows)


@user_errors
def model_info(model_name, language="en"):
    """A line describing the chosen model."""
    return model_summary(check_model_name(model_name))


def settings_shown(sampler):
    """Show only the settings ``sampler`` reads."""
    return tuple(gr.update(visible=bool(v)) for v in SETTINGS.get(sampler, SETTINGS["top_k"]))


def sampler_settings(prefix, with_beam=True):
    """The sampler choice and its temperature, top-k and top-p sliders (elem ids ``{prefix}-sampler``,
    ``{prefix}-temperature``, ``{prefix}-top-k``, ``{prefix}-top-p``), each slider shown only for the samplers
    that read it. Beam search (``with_beam``) needs the caller's beam-width slider."""
    values = SAMPLERS if with_beam else [s for s in SAMPLERS if s != "beam"]
    sampler = named(gr.Radio(choices([(s, "sampler_" + s) for s in values]), value="top_k", label=t("sampler"),
                             elem_id=f"{prefix}-sampler"), "sampler")
    shown = SETTINGS["top_k"]
    temperature = slider(0.05, 2.0, value=0.8, step=0.05, label=t("temperature"), visible=bool(shown[0]),
                         elem_id=f"{prefix}-temperature", name="temperature")
    top_k = slider(1, 100, value=20, step=1, label=t("top_k"), visible=bool(shown[1]), elem_id=f"{prefix}-top-k",
                   name="top_k")
    top_p = slider(0.01, 1.0, value=0.9, step=0.01, label=t("top_p"), visible=bool(shown[2]), elem_id=f"{prefix}-top-p",
                   name="top_p")
    sampler.change(lambda s: settings_shown(s)[:3], sampler, [temperature, top_k, top_p], api_visibility="private",
                   show_progress="hidden")
    return sampler, temperature, top_k, top_p


def examples_for(model_name, prompt):
    """The chosen model's example prompts; the prompt too, when it was an example meant for another model."""
    prompts = example_prompts(model_name)
    others = {p for group in EXAMPLES.values() for p in group} - set(prompts)
    new_prompt = prompts[0] if not prompt or prompt in others else gr.skip()
    return gr.update(samples=[[p] for p in prompts]), new_prompt


def build(models, demo):
    """The tab's components and events (inside ``demo``'s context)."""
    gr.Markdown(t("generate_help"))
    first = models[0] if models else None
    with gr.Row():
        with gr.Column():
            prompt = gr.Textbox(label=t("prompt"), value=example_prompts(first)[0], lines=4,
                                elem_id="gen-prompt")
            examples = gr.Dataset(components=[prompt], samples=[[p] for p in example_prompts(first)],
                                  label=t("example_prompts"), elem_id="gen-examples")
            model = gr.Dropdown(models, value=first, label=t("model"), elem_id="gen-model",
                                allow_custom_value=True, info=t("hub_hint"))
            info = gr.Markdown(label=t("out_model_info"))
            sampler, temperature, top_k, top_p = sampler_settings("gen")
            max_new = slider(1, MAX_NEW_TOKENS, value=200, step=1, label=t("max_new_tokens"), elem_id="gen-max-new",
                             name="max_new_tokens")
            shown = SETTINGS["top_k"]
            num_beams = slider(1, 16, value=4, step=1, label=t("num_beams"), visible=bool(shown[3]),
                               elem_id="gen-beams", name="num_beams")
            seed = number(value=0, precision=0, label=t("seed"), visible=bool(shown[4]), elem_id="gen-seed",
                          name="seed")
            gr.Markdown(t("same_seed_note"))
            with gr.Row():
                button = gr.Button(t("generate"), variant="primary", elem_id="gen-button")
                stop = gr.Button(t("stop"), variant="stop", elem_id="gen-stop")
        with gr.Column():
            output = gr.Textbox(label=t("continuation"), lines=12, buttons=["copy"], elem_id="gen-output")
            chart = gr.Plot(label=t("next_token_chart"), elem_id="gen-chart")
    gr.Markdown(t("step_through_help"))
    with gr.Row():
        steps = slider(1, MAX_STEPS, value=20, step=1, label=t("steps"), elem_id="gen-steps", name="steps")
        step_button = gr.Button(t("step_through"), elem_id="gen-step-button")
    step_table = gr.Dataframe(label=t("out_steps"), show_label=False, wrap=True, elem_id="gen-steps-table")
    language = language_input()

    settings = [temperature, top_k, top_p, num_beams]
    gen_event = button.click(generate, [prompt, model, sampler, max_new, *settings, seed, language], output,
                             api_name="generate", concurrency_limit=4, concurrency_id="generate",
                             validator=generate.validator)
    chart_inputs = [prompt, model, sampler, temperature, top_k, top_p, language]
    button.click(next_token, chart_inputs, chart, api_name="next_token", concurrency_limit=4, concurrency_id="score",
                 validator=next_token.validator)
    step_event = step_button.click(step_through, [prompt, model, sampler, steps, *settings, seed, language],
                                   step_table, api_name="sampling_steps",
                                   concurrency_limit=4, concurrency_id="generate", validator=step_through.validator)
    stop.click(None, cancels=[gen_event, step_event])
    for control in (sampler, temperature, top_k, top_p):  # the chart follows the sampler's settings
        control.change(next_token, chart_inputs, chart, api_visibility="private", concurrency_limit=4,
                       concurrency_id="score", trigger_mode="always_last", show_progress="hidden")
    sampler.change(lambda s: settings_shown(s)[3:], sampler, [num_beams, seed], api_visibility="private",
                   show_progress="hidden")
    examples.click(lambda sample: sample[0], examples, prompt, api_visibility="private", show_progress="hidden")
    model.change(model_info, [model, language], info, api_name="model_info",
                 show_progress="hidden")
    model.change(examples_for, [model, prompt], [examples, prompt], api_visibility="private", show_progress="hidden")
    if models:  # filled at page load, not at startup: the model loads on the first visit
        demo.load(model_info, [model, language], info, api_visibility="private", show_progress="hidden")
        demo.load(next_token, chart_inputs, chart, api_visibility="private", show_progress="hidden")
