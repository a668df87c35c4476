"""lmdemo in the browser: generate text with the shipped language models.

Run ``python app.py`` (port from GRADIO_SERVER_PORT, default 7860). UI only: the models,
samplers and checks live in ``lmdemo``.
"""

import functools
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

import lmdemo  # noqa: E402

MAX_PROMPT_CHARS = 10_000
MAX_NEW_TOKENS = 1_000
SAMPLERS = ["greedy", "temperature", "top_k", "top_p", "beam"]


@functools.lru_cache(maxsize=None)
def get_model(name):
    """Load a shipped model once and share it between users."""
    return lmdemo.load_model(name)


def generate(prompt, model_name, sampler, max_new_tokens, temperature, top_k, top_p, num_beams, seed):
    """Stream the continuation of ``prompt``; errors become messages in the page."""
    if len(prompt) > MAX_PROMPT_CHARS:
        raise gr.Error(f"prompt has {len(prompt):,} characters; the limit here is {MAX_PROMPT_CHARS:,}")
    if model_name not in lmdemo.available_models():
        raise gr.Error(f"unknown model {model_name!r}")
    try:
        max_new_tokens = int(max_new_tokens)
        if not 1 <= max_new_tokens <= MAX_NEW_TOKENS:
            raise ValueError(f"max_new_tokens must be in [1, {MAX_NEW_TOKENS}], received max_new_tokens={max_new_tokens}")
        lm = get_model(model_name)
        text = ""
        for piece in lm.stream(prompt, max_new_tokens=max_new_tokens, sampler=sampler, temperature=float(temperature),
                               top_k=int(top_k), top_p=float(top_p), num_beams=int(num_beams),
                               seed=None if seed is None or seed < 0 else int(seed)):
            text += piece
            yield text
    except (ValueError, TypeError) as e:
        raise gr.Error(str(e)) from None


def build_demo():
    models = lmdemo.available_models()
    with gr.Blocks(title="lmdemo") as demo:
        gr.Markdown("# lmdemo\nA language model predicts the next token from the ones before it. "
                    "Give it a prompt and watch it continue, one token at a time.")
        with gr.Row():
            with gr.Column():
                prompt = gr.Textbox(label="Prompt", value="ROMEO:", lines=4, max_length=MAX_PROMPT_CHARS)
                model = gr.Dropdown(models, value=models[0] if models else None, label="Model")
                sampler = gr.Radio(SAMPLERS, value="top_k", label="Sampler")
                max_new = gr.Slider(1, MAX_NEW_TOKENS, value=200, step=1, label="Max new tokens")
                with gr.Accordion("Sampler settings", open=False):
                    temperature = gr.Slider(0.05, 2.0, value=0.8, step=0.05, label="Temperature")
                    top_k = gr.Slider(1, 100, value=20, step=1, label="Top-k")
                    top_p = gr.Slider(0.01, 1.0, value=0.9, step=0.01, label="Top-p")
                    num_beams = gr.Slider(1, 16, value=4, step=1, label="Beams")
                    seed = gr.Number(value=0, precision=0, label="Seed (-1: random)")
                button = gr.Button("Generate", variant="primary")
            output = gr.Textbox(label="Continuation", lines=16, buttons=["copy"])
        button.click(generate, [prompt, model, sampler, max_new, temperature, top_k, top_p, num_beams, seed], output,
                     api_name="generate", concurrency_limit=4)
    return demo


if __name__ == "__main__":
    build_demo().queue(default_concurrency_limit=4, max_size=64).launch(
        server_name=os.environ.get("GRADIO_SERVER_NAME", "0.0.0.0"),
        server_port=int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
    )
