"""Each tab used like a person would: type, click, wait for the result, look at it; screenshots kept.

Needs Chromium and Playwright (see conftest.py; both skip with a reason when absent).
"""

import json
import time

import pytest

from tests.browser.conftest import open_tab, shot

pytestmark = [pytest.mark.browser]


def test_generate_streams_text_and_draws_the_chart(page, screenshots):
    prompt = page.locator("#gen-prompt textarea")
    prompt.fill("JULIET:")
    page.locator("#gen-button").click()
    output = page.locator("#gen-output textarea")
    page.wait_for_function("() => document.querySelector('#gen-output textarea').value.length >= 200")
    assert len(output.input_value()) == 200  # 200 new characters by default, from a character model
    page.locator("#gen-chart .js-plotly-plot").wait_for()
    shot(page, screenshots, "generate")


def test_inside_the_transformer_shows_the_attention_heatmap(page, screenshots):
    open_tab(page, "Inside the Transformer")
    page.locator("#inside-formulas .katex").first.wait_for()  # the formulas are typeset
    page.locator("#inside-text input, #inside-text textarea").first.fill("To be, or not")
    page.locator("#inside-button").click()
    # "To be, or not" has three spaces (the worked example shown on load has five)
    page.wait_for_function("() => document.querySelector('#inside-tokens').innerText.split('␣').length === 4")
    page.locator("#inside-weights .js-plotly-plot").wait_for()
    page.locator("#inside-scores .js-plotly-plot").wait_for()
    shot(page, screenshots, "inside")


def test_tokenizers_colour_each_token(page, screenshots):
    open_tab(page, "Tokenizers")
    page.locator("#tok-text textarea").fill("生存还是毁灭 to be")
    page.locator("#tok-button").click()
    page.locator("#tok-counts").get_by_text("char (trained on this text)").filter(visible=True).first.wait_for()
    assert "生" in page.locator("#tok-char").inner_text()
    shot(page, screenshots, "tokenizers")


def test_compare_lists_every_model(page, screenshots):
    open_tab(page, "Compare models")
    page.locator("#cmp-button").click()
    page.locator("#cmp-table").get_by_text("bits per character").filter(visible=True).first.wait_for()
    page.locator("#cmp-generations").get_by_text("shakespeare-char").filter(visible=True).first.wait_for()
    shot(page, screenshots, "compare")


def test_evaluate_an_upload_and_download_the_report(page, screenshots, tmp_path):
    data = tmp_path / "reviews.csv"
    data.write_text("text,label,prediction\n\"Great, call me at +1 415-555-0100\",positive,positive\n"
                    "\"太差了\",negative,negative\n\"Fine\",neutral,positive\n", encoding="utf-8")
    open_tab(page, "Evaluate")
    page.locator("#eval-upload input[type=file]").set_input_files(str(data))
    page.locator("#eval-task").get_by_text("sentiment", exact=True).click()  # the task sets its metrics
    # only the task's own metrics are offered, and ticked
    page.wait_for_function("() => [...document.querySelectorAll('#eval-metrics input')]"
                           ".map(e => e.closest('label').innerText.trim() + e.checked).join() === "
                           "'accuracy and macro F1true'")
    page.get_by_text("Columns (empty: the task's defaults)").click()
    page.locator("#eval-prediction-column input").click()  # the uploaded file's own columns are offered
    page.get_by_role("option", name="prediction").click()
    page.locator("#eval-button").click()
    status = page.locator("#eval-status")
    status.get_by_text("COMPLETE").wait_for(timeout=120_000)
    assert "PHONE: 1" in status.inner_text()
    page.locator("#eval-chart .js-plotly-plot").wait_for()
    with page.expect_download() as download:
        page.locator('#eval-reports a[download="results.json"]').click()
    with open(download.value.path(), encoding="utf-8") as f:
        results = json.load(f)
    assert results["status"] == "complete" and results["runs"][0]["pii_counts"] == {"PHONE": 1}
    shot(page, screenshots, "evaluate")


def test_evaluate_a_task_model_on_a_built_in_sample(page, screenshots):
    import lmdemo

    if not {"en-es-translation", "sst2-sentiment"} <= set(lmdemo.available_models()):
        pytest.skip("the shipped task models are missing")
    open_tab(page, "Evaluate")
    page.locator("#eval-model input").click()  # the page opens on task lm: only language models are offered
    page.get_by_role("option", name="shakespeare-char").wait_for()
    assert page.get_by_role("option", name="en-es-translation").count() == 0
    page.keyboard.press("Escape")
    page.locator("#eval-task").get_by_text("sentiment", exact=True).click()  # the task picks its model
    page.wait_for_function("() => document.querySelector('#eval-model input').value === 'sst2-sentiment'")
    page.locator("#eval-sample input").click()
    page.get_by_role("option", name="translation_en_es.tsv (English → Spanish, translated by a model)").click()
    page.wait_for_function("() => document.querySelector('#eval-model input').value === 'en-es-translation'")
    page.locator("#eval-button").click()
    status = page.locator("#eval-status")
    status.get_by_text("COMPLETE").wait_for(timeout=120_000)
    assert "12 rows" in status.inner_text() and "predictions made now by en-es-translation" in status.inner_text()
    page.locator("#eval-scores").get_by_text("bleu").first.wait_for()
    shot(page, screenshots, "evaluate-model")


def test_privacy_highlights_personal_data(page, screenshots):
    open_tab(page, "Privacy")
    page.locator("#pii-text textarea").fill("请联系张伟，电话 13812345678，或 jane.doe@example.com。")
    page.locator("#pii-button").click()
    clean = page.locator("#pii-clean textarea")
    page.wait_for_function("() => document.querySelector('#pii-clean textarea').value.includes('[EMAIL]')")
    assert clean.input_value() == "请联系[PERSON]，电话 [PHONE]，或 [EMAIL]。"
    assert "EMAIL" in page.locator("#pii-found").inner_text()
    shot(page, screenshots, "privacy")
    # a refused input: the message under its field, the last result kept, no toast
    page.locator("#pii-text textarea").fill("   ")
    page.locator("#pii-button").click()
    page.locator("#pii-text .validation-error").get_by_text("text is empty: type some text first").wait_for()
    assert clean.input_value() == "请联系[PERSON]，电话 [PHONE]，或 [EMAIL]。"
    assert page.locator(".toast-body").count() == 0
    shot(page, screenshots, "privacy-refused")


def test_poems_keep_the_form_and_convert_the_script(page, screenshots):
    import lmdemo

    if "tang-poems-char" not in lmdemo.available_models():
        pytest.skip("the shipped tang-poems-char checkpoint is missing")
    open_tab(page, "Poems")
    page.locator("#poem-title textarea").fill("静夜思")
    page.locator("#poem-form").get_by_text("五言律詩").click()
    page.locator("#poem-button").click()
    out = page.locator("#poem-out textarea")
    page.wait_for_function("() => document.querySelector('#poem-out textarea').value.split('\\n').length === 8")
    lines = out.input_value().split("\n")
    assert [len(line) for line in lines] == [6] * 8 and [line[-1] for line in lines] == list("，。") * 4
    assert "A 五言律詩: 8 lines" in page.locator("#poem-note").inner_text()
    shot(page, screenshots, "poem")


def test_sentiment_shows_each_experts_score(page, screenshots):
    import lmdemo

    if "sst2-sentiment" not in lmdemo.available_models():
        pytest.skip("the shipped sst2-sentiment checkpoint is missing")
    open_tab(page, "Sentiment")
    page.locator("#sent-button").click()
    table = page.locator("#sent-table")
    table.get_by_text("ngrams alone").wait_for()
    text = table.inner_text()
    assert "transformer alone" in text and "positive" in text and "negative" in text
    shot(page, screenshots, "sentiment")


@pytest.mark.slow
def test_train_then_generate_in_the_same_session(page, screenshots):
    open_tab(page, "Train")
    page.locator("#train-model").get_by_text("Transformer", exact=True).click()
    steps = page.locator("#train-steps input[type=number]")
    steps.fill("20")
    steps.press("Enter")
    page.locator("#train-button").click()
    page.locator("#train-status").get_by_text("Done").wait_for(timeout=180_000)
    page.locator("#train-chart .js-plotly-plot").wait_for()
    page.locator("#train-generate").click()
    page.wait_for_function("() => document.querySelector('#train-output textarea').value.length >= 100")
    shot(page, screenshots, "train")


def test_the_page_speaks_chinese(browser, app_url, screenshots):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(app_url)
        page.get_by_role("tab", name="Transformer 内部").wait_for(timeout=60_000)
        for name in ("生成", "分词器", "比较模型", "评测", "隐私", "训练"):
            assert page.get_by_role("tab", name=name).count() == 1
        page.get_by_role("tab", name="生成").click()
        page.get_by_text("提示词", exact=True).first.wait_for()
        page.locator("#gen-prompt textarea").fill("生存还是毁灭")
        page.locator("#gen-button").click()
        page.wait_for_function("() => document.querySelector('#gen-output textarea').value.length >= 200")
        page.locator("#gen-chart .js-plotly-plot").wait_for()
        shot(page, screenshots, "chinese")
    finally:
        context.close()


def test_the_language_switches_in_settings(page, screenshots):
    page.locator("button.settings").click()  # Gradio's footer: Settings → Language
    page.get_by_label("Language").first.click()
    page.get_by_role("option", name="简体中文").click()
    page.get_by_text("语言", exact=True).first.wait_for()  # the settings panel itself switches at once
    page.get_by_role("dialog").locator("button").first.click()  # close the panel
    # Gradio 6.31 re-translates a tab's button when it is selected (a fresh page in a Chinese
    # browser shows every tab in Chinese, see test_the_page_speaks_chinese)
    page.locator("button[role=tab][data-tab-id=train]").click()
    page.get_by_text("训练文本", exact=True).first.wait_for()
    assert page.locator("button[role=tab][data-tab-id=train]").inner_text() == "训练"
    shot(page, screenshots, "switched-to-chinese")


def test_history_lists_runs_and_compares_two(page, screenshots):
    """Two evaluations of the built-in sample in the Evaluate tab, then the History tab: the runs are listed,
    the run name charts its scores, and the two runs compare item by item."""
    open_tab(page, "Evaluate")
    page.locator("#eval-sample input").click()
    page.get_by_role("option", name="translation.tsv (predictions vs references)").click()
    from evals.history import RunHistory

    def recorded():  # the app runs in this process: the same run history
        with RunHistory() as db:
            return [r["id"] for r in db.runs(run="app-translation")]

    before = len(recorded())
    for n in (1, 2):
        page.locator("#eval-button").click()
        deadline = time.time() + 120
        while len(recorded()) < before + n and time.time() < deadline:
            time.sleep(0.5)
    ids = recorded()[:2]
    assert len(ids) == 2 and len(recorded()) == before + 2
    open_tab(page, "History")
    page.locator("#history-refresh").click()
    page.locator("#history-runs").get_by_text("app-translation").filter(visible=True).first.wait_for()
    page.locator("#history-run input").fill("app-translation")
    page.locator("#history-run input").press("Enter")
    page.locator("#history-chart .js-plotly-plot").wait_for()
    page.locator("#history-a input").fill(str(ids[0]))
    page.locator("#history-b input").fill(str(ids[1]))
    page.locator("#history-compare").click()
    page.locator("#history-status").get_by_text(f"A = run {ids[0]}").wait_for()
    page.locator("#history-comparison").get_by_text("paired bootstrap").filter(visible=True).first.wait_for()
    assert page.locator("#history-comparison").get_by_text("bleu", exact=True).filter(visible=True).count() >= 1
    shot(page, screenshots, "history")
