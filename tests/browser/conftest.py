"""A served app and a headless Chromium driven by Playwright; both skip with a reason when absent."""

import os
import shutil

import pytest

from tests.conftest import served_app

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path():
    """Debian's Chromium (``apt-get install -y chromium``), or $LMDEMO_CHROMIUM."""
    for path in (os.environ.get("LMDEMO_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if path and os.path.isfile(path):
            return path
    return None


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -r requirements-test.txt)")
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium not found: install it with `apt-get install -y chromium` (.ci/run does) "
                    "or point LMDEMO_CHROMIUM at a Chromium binary")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def app_url():
    yield from served_app("LMDEMO_BROWSER_TEST_PORT", 7872)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory):
    """Where screenshots go: $LMDEMO_SCREENSHOTS, or a pytest temporary folder."""
    folder = os.environ.get("LMDEMO_SCREENSHOTS") or str(tmp_path_factory.mktemp("screenshots"))
    os.makedirs(folder, exist_ok=True)
    return folder


@pytest.fixture()
def page(browser, app_url):
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(app_url)
    page.get_by_role("tab", name="Generate").wait_for()
    yield page
    context.close()


def shot(page, screenshots, name):
    """A full-page screenshot ``name``.png in the screenshots folder."""
    page.screenshot(path=os.path.join(screenshots, f"{name}.png"), full_page=True)


def open_tab(page, name):
    page.get_by_role("tab", name=name).click()
