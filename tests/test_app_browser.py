"""A real browser (headless Debian Chromium via playwright) uses the app the way a person does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from .app_server import ROOT, running_app

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 60_000
# Generous on a busy 2-core machine: the first text call may load the similarity model.
expect.set_options(timeout=TIMEOUT_MS)
ASSETS = ROOT / "app" / "assets"


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def open_app(browser, url: str, locale: str = "en-US", height: int = 1200):
    """A fresh page (so a fresh session and pipeline) on the app."""
    page = browser.new_page(viewport={"width": 1400, "height": height}, locale=locale)
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    return page


def pick(page, dropdown_id: str, option: str) -> None:
    page.locator(f"#{dropdown_id} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def add_step(page, option: str) -> None:
    page.get_by_label("Augmenter").first.click()
    page.get_by_role("option", name=option).click()
    page.get_by_role("button", name="Add step").first.click()


def assert_builder_editable(page, modality: str) -> None:
    """Every control the builder rendered can be edited (none left disabled)."""
    controls = page.locator(f"#{modality}-builder").locator("input, select, textarea")
    expect(controls.first).to_be_attached()
    disabled = controls.evaluate_all(
        "els => els.filter(e => e.disabled).map(e => e.getAttribute('aria-label') || e.name)"
    )
    assert disabled == []


def test_image_then_text_in_a_browser(app_url, browser, tmp_path):
    # AUGPLAY_SCREENSHOT_DIR=docs/ refreshes the committed screenshots; by default they stay in tmp.
    shots = Path(os.environ.get("AUGPLAY_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page = open_app(browser, app_url, height=1500)
    expect(page.get_by_role("tab", name="Image")).to_be_visible()

    page.locator("#image-input input[type=file]").set_input_files(str(ASSETS / "chelsea.jpg"))
    pick(page, "image-preset", "light")
    expect(page.locator("code", has_text="rotate")).to_be_visible()  # the builder rendered the preset's steps
    assert_builder_editable(page, "image")
    page.locator("#image-augment").click()
    tiles = page.locator("#image-grid img")
    expect(tiles).to_have_count(8)
    for i in range(8):
        expect(page.locator("#image-grid").get_by_text(f"#{i} ", exact=False).first).to_be_attached()
    tiles.nth(2).click()  # a tile shows its before/after and its record
    expect(page.locator("#image-record")).to_contain_text('"index": 2')
    expect(page.locator("#image-compare img")).to_have_count(2)
    page.keyboard.press("Escape")  # back from the gallery's preview to the grid, for the screenshot
    page.screenshot(path=str(shots / "image_tab.png"), full_page=True)

    # The rendered builder edits the pipeline: a setting typed in, then a step removed.
    page.get_by_label("number input for fill").fill("40")
    page.get_by_label("number input for fill").press("Enter")
    page.get_by_role("button", name="Remove").nth(1).click()
    expect(page.locator("code", has_text="hflip")).to_have_count(0)
    page.get_by_text("Pipeline as YAML").first.click()
    yaml_view = page.locator(".cm-content").first
    expect(yaml_view).to_contain_text("fill: 40")
    expect(yaml_view).not_to_contain_text("hflip")

    page.get_by_role("tab", name="Text").click()
    pick(page, "text-preset", "word_noise")
    expect(page.locator("code", has_text="word_swap")).to_be_visible()
    assert_builder_editable(page, "text")
    page.locator("#text-augment").click()
    rows = page.locator("#text-variants table tbody tr")
    expect(rows).to_have_count(8)
    page.screenshot(path=str(shots / "text_tab.png"), full_page=True)
    page.close()


def test_korean_browser_gets_korean_ui_strings(app_url, browser):
    page = open_app(browser, app_url, locale="ko-KR")
    expect(page.get_by_role("tab", name="이미지")).to_be_visible()
    expect(page.get_by_role("button", name="증강").first).to_be_visible()
    pick(page, "image-preset", "light")
    expect(page.locator("code", has_text="rotate")).to_be_visible()  # op names stay as in the registry
    page.close()


def test_removing_a_step_keeps_the_next_steps_values(app_url, browser):
    """Two steps of one op: after removing the first, the second shows its own settings, not the first's."""
    page = open_app(browser, app_url)
    add_step(page, "geometry · rotate")
    add_step(page, "geometry · rotate")
    expect(page.locator("code", has_text="rotate")).to_have_count(2)
    fills = page.get_by_label("number input for fill")
    fills.nth(1).fill("40")
    fills.nth(1).press("Enter")
    page.get_by_text("Pipeline as YAML").first.click()
    expect(page.locator(".cm-content").first).to_contain_text("fill: 40")
    page.get_by_role("button", name="Remove").first.click()
    expect(page.locator("code", has_text="rotate")).to_have_count(1)
    expect(page.get_by_label("number input for fill")).to_have_value("40")
    page.close()


def test_a_value_typed_just_before_augment_is_used(app_url, browser):
    """Clicking Augment commits the field being typed in; the samples must already use it."""
    page = open_app(browser, app_url)
    page.locator("#image-input input[type=file]").set_input_files(str(ASSETS / "coffee.jpg"))
    add_step(page, "geometry · rotate")
    assert_builder_editable(page, "image")
    low = page.get_by_label("number input for angle low (degrees)")
    high = page.get_by_label("number input for angle high (degrees)")
    for angle, fields in (("33", (high, low)), ("34", (high, low)), ("20", (low, high))):
        for field in fields:  # in an order that keeps low <= high at every step
            field.fill(angle)
        page.locator("#image-augment").click()  # blurs the last field: its edit and Augment leave together
        expect(page.locator("#image-grid")).to_contain_text(f"#0 rotate(angle={angle})")
    page.close()
