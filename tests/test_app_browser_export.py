"""The Export tab in a real browser: a real export with its progress, gallery and ZIP; bad values refused."""

from __future__ import annotations

import io
import json
import os
import urllib.request
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from .test_app_browser import app_url, browser, open_app, pick  # noqa: F401  (fixtures)

DEMO_ITEMS = 18  # app/assets/demo/shapes: 8 circles, 6 squares, 4 triangles


def go_to_export(page) -> None:
    page.get_by_role("tab", name="Export").click()
    expect(page.locator("#export-start")).to_be_visible()


def test_export_the_demo_images_with_the_image_tabs_pipeline(app_url, browser, tmp_path):  # noqa: F811
    shots = Path(os.environ.get("AUGPLAY_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page = open_app(browser, app_url, height=1100)
    pick(page, "image-preset", "light")
    expect(page.locator("code", has_text="rotate")).to_be_visible()
    go_to_export(page)
    expect(page.locator("#export-pipeline input")).to_have_value("The Image tab's pipeline")
    page.locator("#export-variants input").fill("1")
    page.locator("#export-start").click()

    summary = page.locator("#export-summary")
    expect(summary).to_contain_text(f"{DEMO_ITEMS} rows written from shapes with pipeline light")
    expect(summary.locator("table")).to_contain_text("triangle")
    images = page.locator("#export-gallery img")
    expect(images).to_have_count(8)
    expect(page.locator("#export-start")).to_be_enabled()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#export-gallery img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    expect(page.locator("#export-rows")).to_contain_text("__aug0.jpg")

    link = page.locator("#export-download a").first
    href = link.get_attribute("href")
    assert href and href.endswith(".zip")
    with urllib.request.urlopen(href, timeout=30) as response:
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    assert archive.testzip() is None
    meta = [json.loads(line) for line in archive.read("metadata.jsonl").decode("utf-8").splitlines()]
    assert len(meta) == DEMO_ITEMS and {m["label"] for m in meta} == {"circle", "square", "triangle"}
    assert all(m["file_name"].endswith("__aug0.jpg") and m["file_name"] in archive.namelist() for m in meta)
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / "screenshot-export.png"))
    page.close()


def test_bad_values_get_a_message_and_export_nothing(app_url, browser):  # noqa: F811
    page = open_app(browser, app_url)
    go_to_export(page)
    pick(page, "export-pipeline", "preset: light")
    message = "Variants per item must be a whole number from 0 to 100."
    for value in ("2.5", "-1"):
        page.locator("#export-variants input").fill(value)
        page.locator("#export-start").click()
        toast = page.locator(".toast-body", has_text=message)
        expect(toast).to_be_visible()
        expect(page.locator("#export-start")).to_be_enabled()
        expect(page.locator("#export-download a")).to_have_count(0)
        expect(page.locator("#export-gallery img")).to_have_count(0)
        expect(page.locator("#export-summary")).not_to_contain_text("rows written")
        toast.locator("..").locator(".toast-close").click()
        expect(toast).to_have_count(0)
    page.close()


def test_a_pinned_sample_exports_as_its_tile(app_url, browser):  # noqa: F811
    """Pin a tile in the Image tab, export the pins from the Export tab: the ZIP holds that tile."""
    page = open_app(browser, app_url, height=1400)
    page.locator("#image-input input[type=file]").set_input_files(str(Path(__file__).parents[1] / "app/assets/coffee.jpg"))
    pick(page, "image-preset", "light")
    page.locator("#image-augment").click()
    tiles = page.locator("#image-grid button img")
    expect(tiles).to_have_count(8)
    tiles.nth(2).click()
    expect(page.locator("#image-record")).to_contain_text('"index"')
    page.get_by_role("button", name="Pin this sample").click()
    go_to_export(page)
    page.get_by_text("Pinned samples (from the Image tab)").click()
    page.locator("#export-pins").click()
    expect(page.locator("#export-pins-summary")).to_contain_text("1 pinned sample(s)")
    link = page.locator("#export-pins-download a").first
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    with urllib.request.urlopen(href if href.startswith("http") else app_url.rstrip("/") + href) as response:
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    meta = [json.loads(line) for line in archive.read("metadata.jsonl").decode().splitlines()]
    assert [(m["source"], m["k"]) for m in meta] == [("coffee.jpg", 2)]
    page.close()
