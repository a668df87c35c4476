"""Fields whose checks name the field: Gradio's own say "Value 0 is less than minimum value 0.01." or
"Value: 'latin' is not in the list of choices", and let a non-number through to the handler (over raw
HTTP, ``top_k="abc"`` or ``seed=NaN``).

`slider` and `number` make Gradio's components with one more argument, ``name``: the handler's
parameter the field feeds; `named` gives a choice (radio, dropdown, checkbox group) or a file field
its name. Their check answers in the visitor's language, e.g. ``top_p must be in [0.01, 1], received
top_p=0``, and the page shows it under the field (the handler's ``validator``, `checks.user_errors`).
A refused value does not raise in Gradio's preprocessing, which would fail the request before that
validator runs: it reaches the handler as a `FieldError`. (They set the instance's ``preprocess``
rather than subclass: Gradio writes a ``.pyi`` stub next to the module of every component subclass it
sees.)
"""

import math
import os

import gradio as gr

from lmdemo_app.checks import FieldError


def check_number(value, name, minimum=None, maximum=None):
    """None if ``value`` is a finite number within [minimum, maximum] (either bound may be None), else the
    `FieldError` naming ``name``, the range and the value."""
    bounds = f"[{'-∞' if minimum is None else f'{minimum:g}'}, {'∞' if maximum is None else f'{maximum:g}'}]"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return FieldError("err_not_number", name=name, bounds=bounds, value=repr(value))
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return FieldError("err_range", name=name, bounds=bounds, value=f"{value:g}")
    return None


def _checked(component, name):
    """``component`` whose check names ``name``. A bad value is not refused here, where the visitor's language
    is not known yet: it reaches the handler as a `FieldError`, which `checks.user_errors` raises in the
    visitor's language before the handler runs."""
    preprocess = component.preprocess

    def checked(payload):
        if payload is None and isinstance(component, gr.Number):  # an empty number field passes None
            return preprocess(payload)
        error = check_number(payload, name, component.minimum, component.maximum)
        return error if error is not None else preprocess(payload)

    component.preprocess = checked
    return component


def named(component, name):
    """``component`` (a radio, dropdown, checkbox group or file field) whose own refusal of a value (a choice
    not offered, a file type not accepted) names ``name``, the handler's parameter it feeds."""
    preprocess = component.preprocess

    def checked(payload):
        try:
            return preprocess(payload)
        except gr.Error:
            if isinstance(component, gr.File):
                file = getattr(payload, "orig_name", None) or os.path.basename(str(getattr(payload, "path", payload)))
                return FieldError("err_suffix", name=name, suffixes=list(component.file_types), file=repr(file))
            offered = [value for _, value in component.choices]
            wrong = [v for v in payload if v not in offered] if isinstance(payload, list) else payload
            return FieldError("err_choice", name=name, choices=offered, value=repr(wrong))

    component.preprocess = checked
    return component


def slider(*args, name, **kwargs):
    """``gr.Slider(*args, **kwargs)`` whose range check names the field (``name``: the handler's parameter)."""
    return _checked(gr.Slider(*args, **kwargs), name)


def number(*args, name, **kwargs):
    """``gr.Number(*args, **kwargs)`` whose range and type checks name the field; an empty field still
    passes None to the handler."""
    return _checked(gr.Number(*args, **kwargs), name)
