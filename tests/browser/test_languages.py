"""The page in Chinese: switched live in Settings, then every tab used; nothing breaks and the server's
own text (headers, titles, messages) follows the language.

Needs Chromium and Playwright (see conftest.py; both skip with a reason when absent).
"""

import pytest

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser]


def switch_to_chinese(page):
    page.locator("button.settings").click()  # Gradio's footer: Settings → Language
    page.get_by_label("Language").first.click()
    page.get_by_role("option", name="简体中文").click()
    page.get_by_text("语言", exact=True).first.wait_for()
    page.get_by_role("dialog").locator("button").first.click()  # close the panel


def open_tab_by_id(page, tab_id):
    page.locator(f"button[role=tab][data-tab-id={tab_id}]").click()


def no_error(page):
    errors = page.evaluate("() => [...document.querySelectorAll('.toast-body.error, .toast-wrap .error')]"
                           ".map(e => e.innerText)")
    assert errors == []


def test_a_live_switch_to_chinese_keeps_every_tab_working(page, screenshots):
    switch_to_chinese(page)
    # Generate: the sampler radio must still send its value (it sent the label "Top-k" before)
    open_tab_by_id(page, "generate")
    page.locator("#gen-sampler").get_by_text("top-k", exact=True).wait_for()
    page.locator("#gen-prompt textarea").fill("ROMEO:")
    page.locator("#gen-button").click()
    page.wait_for_function("() => document.querySelector('#gen-output textarea').value.length >= 200")
    page.locator("#gen-sampler").get_by_text("温度采样", exact=True).click()
    page.locator("#gen-chart").get_by_text("温度采样：保留").first.wait_for()  # the chart's title, from the server
    no_error(page)
    shot(page, screenshots, "zh-generate")

    open_tab_by_id(page, "tokenizers")
    page.locator("#tok-button").click()
    page.locator("#tok-counts").get_by_text("每词元字符数").first.wait_for()
    assert "3 个字节" in page.locator("#tok-bpe").inner_text()  # a Chinese character: its bytes, once

    open_tab_by_id(page, "compare")
    page.locator("#cmp-button").click()
    page.locator("#cmp-table").get_by_text("未知词元").first.wait_for()

    open_tab_by_id(page, "privacy")
    page.locator("#pii-operator").get_by_text("掩码 ****", exact=True).click()
    page.locator("#pii-button").click()
    page.wait_for_function("() => document.querySelector('#pii-clean textarea').value.includes('****')")

    open_tab_by_id(page, "translate")
    page.locator("#tr-text textarea").fill("生存还是毁灭")
    page.locator("#tr-button").click()
    page.get_by_text("大部分是模型没学过的文本").first.wait_for(timeout=60_000)  # the unseen-text flag

    open_tab_by_id(page, "sentiment")
    page.locator("#sent-button").click()
    page.locator("#sent-table").get_by_text("模型未见过的比例").first.wait_for(timeout=60_000)

    open_tab_by_id(page, "summarize")
    page.locator("#sum-method").get_by_text("lead-3", exact=True).click()
    page.wait_for_function("() => !document.querySelector('#sum-beams') || "
                           "document.querySelector('#sum-beams').offsetParent === null")  # no beams for lead-3
    page.locator("#sum-button").click()
    page.wait_for_function("() => document.querySelector('#sum-out textarea').value.length > 0")

    open_tab_by_id(page, "evaluate")
    page.locator("#eval-sample input").click()
    page.get_by_role("option", name="lm.txt (language model)").click()
    page.locator("#eval-button").click()
    page.locator("#eval-status").get_by_text("任务 lm").wait_for(timeout=120_000)
    page.locator("#eval-rows").get_by_text("bits per character").first.wait_for()
    no_error(page)
    shot(page, screenshots, "zh-evaluate")


def test_an_error_names_the_field_in_chinese(page, screenshots):
    switch_to_chinese(page)
    open_tab_by_id(page, "compare")
    page.locator("#cmp-models .remove-all").click()  # every chosen model taken off the list
    page.locator("#cmp-button").click()
    page.get_by_text("models 为空：请至少选择一个要比较的模型").first.wait_for()
    shot(page, screenshots, "zh-error")
