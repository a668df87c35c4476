"""The app's caps and input checks, and the decorator that turns a handler's errors into ``gr.Error``.

Caps keep one visitor from holding the shared CPU: characters per text, bytes per upload, tokens
per generation, steps and seconds per training run. A user's mistake becomes ``gr.Error`` with the
text of the ``ValueError`` (naming the argument and the value) in the visitor's language; an
unexpected exception is logged by type only, with its message passed through the PII redactor, so pasted personal data
never reaches the server log; the tracebacks Gradio itself prints for requests that fail before a
handler runs go through the redactor too (`redact_request_tracebacks`).
"""

import contextvars
import functools
import inspect
import logging
import math
import os
import traceback

import gradio as gr

from evals.privacy import RedactingFilter
from lmdemo_app.i18n import text, use_language
from lmdemo_app.library_messages import library_text

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


def _user_error(key, **values):
    """A `UserError` with the message ``key`` in the visitor's language, about the field ``values["name"]``."""
    return UserError(text(key, **values), field=values.get("name"))


class UserError(ValueError):
    """A message the app wrote for the visitor (already in their language); ``field``: the handler's
    parameter it is about, if one is."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class FieldError:
    """A value a field refused (`fields.slider`, `fields.number`), passed to the handler in its place:
    `user_errors` raises it in the visitor's language before the handler runs."""

    def __init__(self, key, **values):
        self.key, self.values = key, values

    def message(self):
        return text(self.key, **self.values)

    def error(self):
        """The `UserError` to raise for it."""
        return UserError(self.message(), field=self.values.get("name"))

    def __repr__(self):
        return f"FieldError({self.message()!r})"


def check_text(value, name, max_chars=MAX_TEXT_CHARS, allow_empty=False):
    """``value`` as a str within ``max_chars``; raises `UserError` naming ``name`` otherwise."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _user_error("err_not_text", name=name, type=type(value).__name__)
    if not allow_empty and not value.strip():
        raise _user_error("err_empty", name=name)
    if len(value) > max_chars:
        raise _user_error("err_too_long", name=name, count=len(value), limit=max_chars)
    return value


def check_lines(value, name, max_lines):
    """The non-empty lines of text ``value`` (stripped), at least one and at most ``max_lines``."""
    lines = [line.strip() for line in check_text(value, name).splitlines() if line.strip()]
    if not lines:
        raise _user_error("err_no_lines", name=name)
    if len(lines) > max_lines:
        raise _user_error("err_too_many_lines", name=name, count=len(lines), limit=max_lines)
    return lines


def check_int(value, name, low, high):
    """``value`` as an int in [low, high] (floats with no fraction accepted, as number inputs send)."""
    bounds = f"[{low}, {high}]"
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or value != int(value)):
        raise _user_error("err_whole_number", name=name, bounds=bounds, value=repr(value))
    value = int(value)
    if not low <= value <= high:
        raise _user_error("err_range", name=name, bounds=bounds, value=value)
    return value


def check_choice(value, name, choices):
    """``value`` if it is one of ``choices``; raises `UserError` listing them otherwise."""
    if value not in choices:
        raise _user_error("err_choice", name=name, choices=list(choices), value=repr(value))
    return value


def check_seed(seed):
    """None (random) for a negative or missing seed, else the seed as an int."""
    if seed is None or (isinstance(seed, (int, float)) and not isinstance(seed, bool) and seed < 0):
        return None
    return check_int(seed, "seed", 0, 2**31 - 1)


def check_upload(path, name, suffixes, max_bytes=MAX_UPLOAD_BYTES):
    """The path of an uploaded file after checking its suffix and size."""
    if not path or not os.path.isfile(path):
        raise _user_error("err_no_file", name=name)
    lower = path.lower()
    if not lower.endswith(tuple(suffixes)):
        raise _user_error("err_suffix", name=name, suffixes=list(suffixes), file=repr(os.path.basename(path)))
    size = os.path.getsize(path)
    if size > max_bytes:
        raise _user_error("err_file_size", name=name, size=size, limit=max_bytes)
    return path


def _visitor_error(e, handler):
    """The ``gr.Error`` a visitor sees for exception ``e`` raised in ``handler``, in their language."""
    if isinstance(e, gr.Error):
        e.print_exception = False  # Gradio would print the traceback, message included, to the server log
        return e
    if isinstance(e, UserError):
        message = str(e)
    elif isinstance(e, (ValueError, TypeError)):  # lmdemo's and evals' messages, in the visitor's language
        message = library_text(str(e))
    else:
        log.error("%s failed: %s: %s", handler.__name__, type(e).__name__, e)
        message = text("err_internal")
    return gr.Error(message, title=text("error_title"), print_exception=False)


_REHEARSING = contextvars.ContextVar("lmdemo_rehearsing", default=False)


class _InputsChecked(Exception):
    """Ends a rehearsal: the handler's checks all passed."""


def rehearsing():
    """True while a handler's ``validator`` rehearses it (checks that would load or download may skip)."""
    return _REHEARSING.get()


def inputs_checked():
    """Mark the end of a handler's input checks. A call goes on; a rehearsal (the handler's ``validator``)
    stops here, before any model runs."""
    if rehearsing():
        raise _InputsChecked


def user_errors(fn):
    """Wrap a handler (function or generator): its errors become one ``gr.Error`` in the visitor's language.

    A handler with a ``language`` parameter (the page's `i18n.language_input`) makes that language the one
    of every `i18n.text` while it runs. A `UserError` keeps its text; another ValueError/TypeError (lmdemo's
    and evals' messages, in English) is shown in the visitor's language (`library_messages.library_text`:
    translated where a pattern knows it, else in English after a Chinese note); anything else is logged by
    type with its message redacted, and the visitor reads that the server failed. A
    `FieldError` among the arguments (a number field's refused value) is raised before the handler runs.

    A handler that calls `inputs_checked` after its checks also gets ``.validator``, for the event's
    ``validator=``: Gradio runs it before the call, and the page shows its message under the field it names
    (over HTTP: status 422 with the message per parameter) while the outputs keep their last result. It
    rehearses the handler up to `inputs_checked`; a refusal that names one of the handler's parameters
    (``UserError.field``) marks that input, and any other failure is left to the call itself (a toast).
    """
    signature = inspect.signature(fn)
    takes_language = "language" in signature.parameters

    def enter(args, kwargs):
        language = signature.bind_partial(*args, **kwargs).arguments.get("language") if takes_language else None
        use_language(language)
        refused = next((a for a in (*args, *kwargs.values()) if isinstance(a, FieldError)), None)
        if refused is not None:
            raise refused.error()

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            try:
                enter(args, kwargs)
                steps = fn(*args, **kwargs)
                while True:
                    enter(args, kwargs)  # each step may run in another thread's context
                    try:
                        value = next(steps)
                    except StopIteration:
                        return
                    yield value
            except Exception as e:  # every failure reaches the page as a message
                raise _visitor_error(e, fn) from None
    else:
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            try:
                enter(args, kwargs)
                return fn(*args, **kwargs)
            except Exception as e:  # every failure reaches the page as a message
                raise _visitor_error(e, fn) from None

    parameters = list(signature.parameters)

    def validator(*args):
        """One ``gr.validate`` per input: the refused field's message, the others valid."""
        token = _REHEARSING.set(True)
        field, message = None, ""
        try:
            enter(args, {})
            steps = fn(*args)
            if inspect.isgenerator(steps):
                next(steps, None)
                steps.close()
        except UserError as e:
            field, message = e.field, str(e)
        except Exception:  # _InputsChecked, or a failure the call itself will report
            pass
        finally:
            _REHEARSING.reset(token)
        return [gr.validate(name != field, message if name == field else "") for name in parameters[:len(args)]]

    if "inputs_checked" in fn.__code__.co_names:
        wrapped.validator = validator
    return wrapped


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
    place where the app replaces names inside Gradio: that module reference, in those two modules, and
    the ``print`` with which the queue writes why an event's validator failed (the same message, values
    included, when a request's inputs cannot be read), which now logs it redacted.
    """
    import gradio.queueing
    import gradio.routes

    for module in (gradio.queueing, gradio.routes):
        if getattr(module, "traceback", None) is traceback:
            module.traceback = _RedactedTraceback()
    gradio.queueing.print = _redacted_print


def _redacted_print(*values, **_):
    logging.getLogger("gradio").error("a request was refused: %s", " ".join(map(str, values)))
