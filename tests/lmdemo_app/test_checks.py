"""The app's handler wrapper (lmdemo_app/checks.py): errors in the visitor's language, and the validator
that rehearses a handler's checks so the page shows a refusal under the field it names."""

import gradio as gr
import pytest

from lmdemo_app.checks import FieldError, UserError, check_int, check_text, inputs_checked, user_errors


def verdicts(validates):
    """``gr.validate`` results as ``{index: message}`` of the refused inputs."""
    return {i: v["message"] for i, v in enumerate(validates) if not v["is_valid"]}


def test_validator_marks_the_refused_field_and_stops_before_the_work():
    ran = []

    @user_errors
    def handler(prompt, steps, language="en"):
        prompt = check_text(prompt, "prompt")
        steps = check_int(steps, "steps", 1, 10)
        inputs_checked()
        ran.append((prompt, steps))
        return prompt * steps

    assert verdicts(handler.validator("ab", 3, "en")) == {}
    assert ran == []  # the rehearsal stopped at inputs_checked
    assert verdicts(handler.validator("ab", 11, "en")) == {1: "steps must be in [1, 10], received steps=11"}
    assert verdicts(handler.validator(" ", 3, "zh")) == {0: "prompt 为空：请先输入文本"}
    assert handler("ab", 3) == "ababab" and ran == [("ab", 3)]  # a call runs whole
    with pytest.raises(gr.Error, match=r"steps must be in \[1, 10\], received steps=11"):
        handler("ab", 11)  # a call that bypasses the validator (Python, tests) still refuses


def test_validator_of_a_generator_and_a_field_error():
    @user_errors
    def stream(text, top_p, language="en"):
        check_text(text, "text")
        inputs_checked()
        yield text
        raise AssertionError("a rehearsal never gets here")

    refused = FieldError("err_range", name="top_p", bounds="[0.01, 1]", value="0")
    assert verdicts(stream.validator("hi", refused, "en")) == {1: "top_p must be in [0.01, 1], received top_p=0"}
    assert verdicts(stream.validator("hi", 0.5, "en")) == {}


def test_validator_leaves_other_failures_to_the_call():
    @user_errors
    def handler(text, language="en"):
        if text == "unnamed":
            raise UserError("refused, but about no field")
        if text == "library":
            raise ValueError("top_p must be in (0, 1], received top_p=0")
        inputs_checked()

    # nothing marked: the call runs and shows its error as a toast
    assert verdicts(handler.validator("unnamed", "en")) == {}
    assert verdicts(handler.validator("library", "en")) == {}
    with pytest.raises(gr.Error, match="top_p 必须在 \\(0, 1\\] 范围内，收到 top_p=0"):
        handler("library", "zh")


def test_only_a_handler_that_marks_its_checks_gets_a_validator():
    @user_errors
    def unmarked(text):
        return text

    assert not hasattr(unmarked, "validator")
