"""The teaching views pressed as a learner would: the sampler's chart and steps, the Stop button, the logit
lens, heads switched off, the Inside view's controls and export, cross-attention. Screenshots kept.

Needs Chromium and Playwright (see conftest.py; both skip with a reason when absent).
"""

import re
import time

import pytest

from tests.browser.conftest import open_tab, shot

pytestmark = [pytest.mark.browser]


def plot_title(page, elem_id):
    """The title text of the Plotly chart inside ``#elem_id`` ('' until one is drawn)."""
    return page.evaluate(f"() => document.querySelector('#{elem_id} .gtitle')?.textContent || ''")


def wait_for_title(page, elem_id, part):
    page.wait_for_function(f"() => (document.querySelector('#{elem_id} .gtitle')?.textContent || '').includes({part!r})")


def set_slider(page, elem_id, value):
    """Type a number into a slider's box and press Enter, as a visitor does."""
    box = page.locator(f"#{elem_id} input[type=number]")
    box.fill(str(value))
    box.press("Enter")


def pick_sampler(page, name):
    page.locator(f"#gen-sampler input[value={name}]").click()  # the labels are translated ("Top-p")


def test_generate_shows_only_the_chosen_samplers_settings_and_its_cut(page, screenshots):
    visible = lambda elem_id: page.locator(f"#{elem_id}").is_visible()  # noqa: E731
    page.locator("#gen-temperature").wait_for()
    assert visible("gen-temperature") and visible("gen-top-k") and not visible("gen-top-p")
    pick_sampler(page, "greedy")
    page.wait_for_function("() => ['gen-temperature', 'gen-top-k', 'gen-seed'].every("
                           "id => !document.querySelector('#' + id)?.checkVisibility?.())")
    assert not any(visible(e) for e in ("gen-temperature", "gen-top-k", "gen-top-p", "gen-beams", "gen-seed"))
    wait_for_title(page, "gen-chart", "greedy: keeps 1 of")  # the chart follows the sampler
    pick_sampler(page, "top_p")
    page.locator("#gen-top-p").wait_for()
    assert visible("gen-temperature") and not visible("gen-top-k") and not visible("gen-beams")
    wait_for_title(page, "gen-chart", "top-p: keeps")
    set_slider(page, "gen-top-p", 0.3)
    wait_for_title(page, "gen-chart", "top-p: keeps")
    assert page.locator("#gen-chart").get_by_text("cut ").count() > 0  # the cut-off tokens are labelled
    shot(page, screenshots, "generate-sampler-chart")


def test_generate_steps_through_the_sampler_and_the_beams(page, screenshots):
    page.locator("#gen-step-button").click()
    table = page.locator("#gen-steps-table")
    table.get_by_text(re.compile(r"\d\.\d{3} → ")).filter(visible=True).first.wait_for()  # a row, not the headers
    shot(page, screenshots, "generate-steps")
    pick_sampler(page, "beam")
    page.locator("#gen-beams").wait_for()
    page.locator("#gen-step-button").click()
    table.get_by_text(re.compile(r"\(-\d+\.\d\d\)")).filter(visible=True).first.wait_for()  # a beam's text and its score
    shot(page, screenshots, "generate-beam-steps")


def test_generate_stop_button_ends_a_long_generation(page):
    set_slider(page, "gen-max-new", 20000)
    page.locator("#gen-button").click()
    page.wait_for_function("() => document.querySelector('#gen-output textarea').value.length >= 50")
    page.locator("#gen-stop").click()
    time.sleep(1.5)
    stopped = len(page.locator("#gen-output textarea").input_value())
    time.sleep(2.0)
    assert len(page.locator("#gen-output textarea").input_value()) == stopped < 20000


def test_generate_offers_prompts_in_the_style_of_each_model(page, screenshots):
    import lmdemo

    if "ptb-transformer" not in lmdemo.available_models():
        pytest.skip("the shipped ptb-transformer checkpoint is missing")
    page.locator("#gen-model input").click()
    page.get_by_role("option", name="ptb-transformer").click()
    page.wait_for_function("() => document.querySelector('#gen-prompt textarea').value === 'the company said'")
    page.locator("#gen-examples").get_by_text("mr. <unk> said the").click()
    page.wait_for_function("() => document.querySelector('#gen-prompt textarea').value === 'mr. <unk> said the'")
    shot(page, screenshots, "generate-ptb-examples")


def test_inside_opens_on_a_worked_example_and_follows_its_controls(page, screenshots):
    open_tab(page, "Inside the Transformer")
    wait_for_title(page, "inside-weights", "softmax")  # drawn on load, before any click
    page.locator("#inside-lens .js-plotly-plot").wait_for()
    assert "layer 1, head 1" not in plot_title(page, "inside-weights")  # a head with a pattern, not the diagonal
    set_slider(page, "inside-head", 2)
    wait_for_title(page, "inside-weights", "head 2")  # typing a number and pressing Enter re-runs
    set_slider(page, "inside-layer", 3)
    wait_for_title(page, "inside-weights", "layer 3, head 2")
    set_slider(page, "inside-position", 4)
    wait_for_title(page, "inside-query", "query 4:")
    page.locator("#inside-weights .js-plotly-plot").hover()  # Plotly's own download button
    assert page.locator("#inside-weights .modebar-btn[data-title^='Download plot']").count() == 1
    shot(page, screenshots, "inside-controls")


def test_inside_shows_one_message_for_a_bad_input(page, screenshots):
    open_tab(page, "Inside the Transformer")
    wait_for_title(page, "inside-weights", "softmax")
    box = page.locator("#inside-text input, #inside-text textarea").first
    box.fill(" ")
    box.press("Enter")
    page.locator("#inside-text .validation-error").get_by_text("text is empty").wait_for()
    time.sleep(0.5)
    badges = page.evaluate("() => [...document.querySelectorAll('[data-testid=status-tracker] .error')]"
                           ".filter(e => e.checkVisibility()).map(e => e.closest('[id]')?.id)")
    assert badges == []  # the one message is under the field: no badge on any table or chart, no toast
    assert page.locator(".toast-body").count() == 0
    wait_for_title(page, "inside-weights", "softmax")  # the last view stays
    shot(page, screenshots, "inside-error")


def test_inside_switches_heads_off_ranks_them_and_exports(page, screenshots):
    open_tab(page, "Inside the Transformer")
    wait_for_title(page, "inside-weights", "softmax")
    heads = page.locator("#inside-heads input")
    heads.click()
    page.get_by_role("option", name="L1 H3").click()
    page.keyboard.press("Escape")
    page.locator("#inside-ablate").click()
    page.locator("#inside-ablate-summary").get_by_text("Switched off: L1 H3").wait_for()
    wait_for_title(page, "inside-ablate-chart", "without L1 H3")
    page.locator("#inside-find").click()
    wait_for_title(page, "inside-effects", "each head switched off alone")
    page.locator("#inside-effects-table").get_by_text("L4 H4").wait_for()
    page.locator("#inside-export").click()
    link = page.locator("#inside-download a[download]").first
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), encoding="utf-8") as f:
        exported = f.read()
    assert exported.startswith("<!DOCTYPE html>") and "Logit lens" in exported and "plotly" in exported.lower()
    shot(page, screenshots, "inside-ablation")


def test_translate_draws_the_cross_attention_of_its_translation(page, screenshots):
    import lmdemo

    if "en-es-translation" not in lmdemo.available_models():
        pytest.skip("the shipped en-es-translation checkpoint is missing")
    open_tab(page, "Translate")
    page.locator("#tr-button").click()
    wait_for_title(page, "tr-attention", "cross-attention, decoder layer 2, every head, mean")
    page.locator("#tr-head").get_by_text("3", exact=True).click()
    wait_for_title(page, "tr-attention", "head 3")
    shot(page, screenshots, "translate-attention")


def test_summarize_draws_where_the_model_copied_from(page, screenshots):
    import lmdemo

    if "samsum-summarization" not in lmdemo.available_models():
        pytest.skip("the shipped samsum-summarization checkpoint is missing")
    open_tab(page, "Summarize")
    page.locator("#sum-button").click()
    wait_for_title(page, "sum-copy", "copy attention")
    wait_for_title(page, "sum-attention", "cross-attention")
    shot(page, screenshots, "summarize-attention")
