"""In a real browser: the visual catalogue (search, thumbnails, Add to pipeline) and the Korean UI throughout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from augmenters import locale, registry

from .test_app_browser import ASSETS, app_url, browser, expect_refusal, open_app, type_into  # noqa: F401


def _shots(tmp_path: Path) -> Path:
    """AUGPLAY_SCREENSHOT_DIR=docs/ refreshes the README's screenshots; by default they stay in tmp."""
    shots = Path(os.environ.get("AUGPLAY_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def _names_on_one_line(page) -> list[str]:
    """Card names the browser broke over more than one line (none may be)."""
    return page.locator(".op-card-name").evaluate_all(
        "els => els.filter(e => e.getClientRects().length > 1).map(e => e.textContent)"
    )


def test_catalogue_shows_every_op_on_the_input_and_adds_to_the_pipeline(app_url, browser, tmp_path):
    page = open_app(browser, app_url, height=1400)
    page.locator("#image-input input[type=file]").set_input_files(str(ASSETS / "chelsea.jpg"))
    page.get_by_role("tab", name="Augmenters").click()
    for augmenter in registry.all("image"):
        card = page.locator(f"#op-card-{augmenter.name}")
        expect(card).to_be_visible(timeout=180_000)  # the first visit renders every thumbnail once
        if augmenter.health().ok:
            expect(card.locator("img")).to_have_count(1)
    for augmenter in registry.all("text"):
        card = page.locator(f"#op-card-{augmenter.name}")
        expect(card).to_contain_text("Before:" if augmenter.health().ok else "No sample")
    assert _names_on_one_line(page) == []
    page.screenshot(path=str(_shots(tmp_path) / "screenshot-catalogue.png"), full_page=False)

    search = page.locator("#catalogue-search textarea, #catalogue-search input").first
    search.fill("noise")
    search.press("Enter")
    expect(page.locator("#op-card-gaussian_noise")).to_be_visible()
    expect(page.locator("#op-card-rotate")).to_have_count(0)
    page.locator("#add-gaussian_noise").click()
    expect(page.get_by_role("tab", name="Image", selected=True)).to_be_visible()  # back where the step went
    expect(page.locator("#image-builder code", has_text="gaussian_noise")).to_be_visible()

    page.get_by_role("tab", name="Augmenters").click()
    search.fill("word_swap")
    search.press("Enter")
    page.locator("#add-word_swap").click()
    expect(page.get_by_role("tab", name="Text", selected=True)).to_be_visible()
    expect(page.locator("#text-builder code", has_text="word_swap")).to_be_visible()
    page.close()


def _add_step(page, option: str) -> None:
    """Add a step in the tab on screen, through its (Korean) Augmenter dropdown and Add step button."""
    page.get_by_label("증강 연산").filter(visible=True).first.click()
    page.get_by_role("option", name=option).click()
    page.get_by_role("button", name="단계 추가").filter(visible=True).first.click()


def test_korean_ui_translates_ops_help_refusals_catalogue_and_table(app_url, browser, tmp_path):
    page = open_app(browser, app_url, locale="ko-KR", height=1400)
    rotate = registry.get("rotate")
    angle = next(p for p in rotate.spec if p.name == "angle")

    page.locator("#image-input input[type=file]").set_input_files(str(ASSETS / "chelsea.jpg"))
    _add_step(page, "geometry · rotate")
    builder = page.locator("#image-builder")
    expect(builder).to_contain_text(locale.description(rotate, "ko"))
    expect(builder).to_contain_text(locale.caution(rotate, "ko"))
    expect(builder).to_contain_text(locale.setting_help(rotate, angle, "ko"))
    expect(builder).not_to_contain_text(rotate.description)

    type_into(page.get_by_label("number input for angle high (degrees)"), "999")
    expect_refusal(page, "1단계 (rotate): 'angle' = 999.0: 최댓값 180.0보다 큽니다")
    page.locator("#image-augment").click()
    expect(page.locator("#image-grid img")).to_have_count(8)
    page.keyboard.press("Escape")
    page.screenshot(path=str(_shots(tmp_path) / "screenshot-korean.png"), full_page=False)

    page.get_by_role("tab", name="증강 목록").click()
    card = page.locator("#op-card-rotate")
    expect(card).to_contain_text(locale.description(rotate, "ko"), timeout=180_000)
    expect(card.get_by_role("button", name="파이프라인에 추가")).to_be_visible()

    page.get_by_role("tab", name="텍스트").click()
    page.locator("#text-augment").click()
    expect_refusal(page, "파이프라인이 비어 있습니다")
    _add_step(page, "word · word_swap")
    expect(page.locator("#text-builder code", has_text="word_swap")).to_be_visible()
    page.locator("#text-augment").click()
    head = page.locator("#text-variants table thead")
    for header in ("줄", "변형", "유사도", "바뀐 비율"):
        expect(head).to_contain_text(header)
    page.close()


@pytest.mark.parametrize("modality", ["image", "text"])
def test_every_registered_op_has_korean_words(modality):
    """Also checked without a browser (tests/test_translations.py); here per modality for a clear failure."""
    assert locale.missing("ko", registry.all(modality)) == []
