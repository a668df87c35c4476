"""The app's caps and input checks, and the decorator that turns a handler's errors into ``gr.Error``.

Caps keep one visitor from holding the shared CPU: characters per text, bytes per upload, tokens
per generation, steps and seconds per training run. A user's mistake becomes ``gr.Error`` with the
same text as the ``ValueError`` (naming the argument and the value); an unexpected exception is
logged by type only, with its message passed through the PII redactor, so pasted personal data
never reaches the server log; the tracebacks Gradio itself prints for requests that fail before a
handler runs go through the redactor too (`redact_request_tracebacks`).
"""

import functools
import inspect
import logging
import os
import traceback

import gradio as gr

from evals.privacy import RedactingFilter

MAX_TEXT_CHARS = 10_000  # prompts, texts to score, tokenize or sanitize
MAX_INSPECT_TOKENS = 32  # "Inside the Transformer": a matrix per layer and head stays readable
MAX_NEW_TOKENS = 1_000  # one generation
MAX_COMPARE_NEW_TOKENS = 200  # per model in "Compare models"
MAX_UPLOAD_BYTES = 5_000_000  # an evaluation dataset or a training text
MAX_EVAL_ROWS = 500
MAX_TRAIN_CHARS = 2_000_000
MIN_TRAIN_CHARS = 1_000
MAX_TRAIN_STEPS = 500
MAX_TRAIN_SECONDS = 180

log = logging.getLogger("lmdemo_app")
log.addFilter(RedactingFilter())


def check_text(value, name, max_chars=MAX_TEXT_CHARS, allow_empty=False):
    """``value`` as a str within ``max_chars``; raises ValueError naming ``name`` otherwise."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, received {type(value).__name__}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} is empty: type some text first")
    if len(value) > max_chars:
        raise ValueError(f"{name} has {len(value):,} characters; the limit here is {max_chars:,}")
    return value


def check_lines(value, name, max_lines):
    """The non-empty lines of text ``value`` (stripped), at least one and at most ``max_lines``."""
    lines = [line.strip() for line in check_text(value, name).splitlines() if line.strip()]
    if not lines:
        raise ValueError(f"{name} has no words: type at least one sentence")
    if len(lines) > max_lines:
        raise ValueError(f"{name} has {len(lines)} lines; give at most {max_lines} at a time")
    return lines


def check_int(value, name, low, high):
    """``value`` as an int in [low, high] (floats with no fraction accepted, as number inputs send)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], received {name}={value!r}")
    value = int(value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be in [{low}, {high}], received {name}={value}")
    return value


def check_choice(value, name, choices):
    """``value`` if it is one of ``choices``; raises ValueError listing them otherwise."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, received {name}={value!r}")
    return value


def check_seed(seed):
    """None (random) for a negative or missing seed, else the seed as an int."""
    if seed is None or (isinstance(seed, (int, float)) and not isinstance(seed, bool) and seed < 0):
        return None
    return check_int(seed, "seed", 0, 2**31 - 1)


def check_upload(path, name, suffixes, max_bytes=MAX_UPLOAD_BYTES):
    """The path of an uploaded file after checking its suffix and size."""
    if not path or not os.path.isfile(path):
        raise ValueError(f"{name}: no file was uploaded")
    lower = path.lower()
    if not lower.endswith(tuple(suffixes)):
        raise ValueError(f"{name} must be one of {list(suffixes)}, received {os.path.basename(path)!r}")
    size = os.path.getsize(path)
    if size > max_bytes:
        raise ValueError(f"{name} has {size:,} bytes; the limit here is {max_bytes:,}")
    return path


def user_errors(fn):
    """Wrap a handler (function or generator): ValueError/TypeError → ``gr.Error`` with the same text."""

    def translate(e):
        # print_exception=False: Gradio would print the traceback, message included, to the server log
        if isinstance(e, gr.Error):
            e.print_exception = False
            return e
        if isinstance(e, (ValueError, TypeError)):
            return gr.Error(str(e), print_exception=False)
        log.error("%s failed: %s: %s", fn.__name__, type(e).__name__, e)
        return gr.Error(f"internal error ({type(e).__name__}); the server log has the details",
                        print_exception=False)

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen_wrapper(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except Exception as e:  # every failure reaches the page as a message
                raise translate(e) from None
        return gen_wrapper

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:  # every failure reaches the page as a message
            raise translate(e) from None
    return wrapper


class _RedactedTraceback:
    """Stands in for the ``traceback`` module inside Gradio's queue and routes: ``print_exc`` logs
    the traceback on the ``gradio`` logger, whose `RedactingFilter` sanitizes it, instead of
    printing it raw; every other name is the real module's."""

    def __getattr__(self, name):
        return getattr(traceback, name)

    @staticmethod
    def print_exc(*args, **kwargs):
        logging.getLogger("gradio").error("a request failed", exc_info=True)


def redact_request_tracebacks():
    """Send the tracebacks Gradio prints for failed requests through the PII redactor.

    Errors raised before a handler runs never reach `user_errors`: Gradio prints them with
    ``traceback.print_exc()`` straight to stderr, and some quote the raw inputs (a request with too
    few values lists every value it received). Call once before serving (``app.launch`` does).

    Gradio 6 has no public hook for these tracebacks (no option or logger carries them; they go to
    stderr through the ``traceback`` module its ``queueing`` and ``routes`` import), so this is the one
    place where the app replaces a name inside Gradio: that module reference, in those two modules.
    """
    import gradio.queueing
    import gradio.routes

    for module in (gradio.queueing, gradio.routes):
        if getattr(module, "traceback", None) is traceback:
            module.traceback = _RedactedTraceback()
