"""lmdemo in the browser: generate, look inside the Transformer, compare, translate, write Tang poems,
summarize, classify sentiment, evaluate, sanitize, train.

Run ``python app.py``: it listens on 127.0.0.1 (GRADIO_SERVER_NAME to change it; Spaces set it
themselves) at port GRADIO_SERVER_PORT (default 7860). UI only: models, tokenizers and training come
from ``lmdemo``; scores, reports and the PII sanitizer from ``evals``; each tab's layout and handlers
live in ``lmdemo_app/``. Every tab's main action is also an API endpoint (``gradio_client``:
``Client(url).predict(..., api_name="/generate")``), and the documented ones are the tools of an MCP
server at ``/gradio_api/mcp/`` (``LMDEMO_MCP=0`` turns it off).
"""

import logging
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

import lmdemo  # noqa: E402,F401  (selects Keras' JAX backend before anything imports Keras)
from evals.privacy import RedactingFilter  # noqa: E402
from lmdemo_app import (  # noqa: E402
    compare_tab, evaluate_tab, generate_tab, history_tab, inside_tab, poem_tab, privacy_tab, sentiment_tab,
    summarize_tab, tokenizers_tab, train_tab, translate_tab)
from lmdemo_app.checks import redact_request_tracebacks  # noqa: E402
from lmdemo_app.i18n import I18N, t  # noqa: E402
from lmdemo_app.shared_models import model_names, transformer_names  # noqa: E402

QUEUE_SIZE = 64  # waiting requests beyond this are refused ("queue is full") instead of piling up
DEFAULT_CONCURRENCY = 2  # events without their own limit; each tab sets its own for the heavy ones
LOGGERS = ("gradio", "uvicorn", "uvicorn.error", "uvicorn.access", "httpx", "evals", "lmdemo_app")
# the endpoints an MCP client sees as tools (api names); the other public endpoints stay in the API only
MCP_TOOLS = ("generate", "next_token", "inspect", "tokenize", "compare", "translate", "poem", "summarize",
             "sentiment", "privacy", "evaluate")
# table cells keep a generation's newlines
CSS = ("#cmp-generations td, #cmp-generations td span, #gen-steps-table td span { white-space: pre-wrap; }")


def build_demo():
    """The whole app as a ``gr.Blocks``, with its queue configured (call `launch` to serve it)."""
    models = model_names()
    with gr.Blocks(title="lmdemo", delete_cache=(900, 3600)) as demo:
        gr.Markdown(t("title"))
        gr.Markdown(t("intro"))
        if not models:
            gr.Markdown(t("no_models"))
        with gr.Tabs():
            with gr.Tab(t("tab_generate"), id="generate"):
                generate_tab.build(models, demo)
            with gr.Tab(t("tab_inside"), id="inside"):
                inside_tab.build(transformer_names(), demo)
            with gr.Tab(t("tab_tokenizers"), id="tokenizers"):
                tokenizers_tab.build(models, demo)
            with gr.Tab(t("tab_compare"), id="compare"):
                compare_tab.build(models)
            with gr.Tab(t("tab_translate"), id="translate"):
                translate_tab.build()
            with gr.Tab(t("tab_poem"), id="poem"):
                poem_tab.build()
            with gr.Tab(t("tab_summarize"), id="summarize"):
                summarize_tab.build()
            with gr.Tab(t("tab_sentiment"), id="sentiment"):
                sentiment_tab.build()
            with gr.Tab(t("tab_evaluate"), id="evaluate"):
                evaluate_tab.build(models, demo)
            with gr.Tab(t("tab_history"), id="history"):
                history_tab.build(demo)
            with gr.Tab(t("tab_privacy"), id="privacy"):
                privacy_tab.build()
            with gr.Tab(t("tab_train"), id="train"):
                train_tab.build()
    curate_mcp_tools(demo)
    return demo.queue(default_concurrency_limit=DEFAULT_CONCURRENCY, max_size=QUEUE_SIZE)


def curate_mcp_tools(demo):
    """Keep the MCP tools to `MCP_TOOLS`. Gradio offers every public endpoint as a tool, and its tool list
    keeps only the functions whose ``_mcp_type`` is ``"tool"`` (the default; ``gr.mcp.resource`` and
    ``gr.mcp.prompt`` set the others): a handler that serves no tool endpoint is marked ``"endpoint"``, so the
    teaching, training and helper endpoints stay in the API (``view_api``, ``gradio_client``) but are no tools."""
    tools = {block_fn.fn for block_fn in demo.fns.values() if block_fn.api_name in MCP_TOOLS}
    for block_fn in demo.fns.values():
        if block_fn.fn is not None and block_fn.fn not in tools:
            block_fn.fn._mcp_type = "endpoint"


def mcp_available():
    """Whether the MCP server can run: Gradio's ``mcp`` extra is installed and ``LMDEMO_MCP`` is not 0."""
    import importlib.util

    return os.environ.get("LMDEMO_MCP", "1") != "0" and importlib.util.find_spec("mcp") is not None


def launch(demo, **kwargs):
    """Serve ``demo`` with the English/Chinese strings and, when available, its MCP server; log records and
    the tracebacks Gradio prints for failed requests pass the PII redactor first."""
    for name in LOGGERS:
        logging.getLogger(name).addFilter(RedactingFilter())
    redact_request_tracebacks()
    kwargs.setdefault("mcp_server", mcp_available())
    return demo.launch(i18n=I18N, css=CSS, **kwargs)


if __name__ == "__main__":
    launch(build_demo(), server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
           server_port=int(os.environ.get("GRADIO_SERVER_PORT", "7860")))
