"""The local app's Download button, in a real browser, against the fake Hub: needs_model -> ok, no restart."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .app_server import running_app
from .fake_hub import FakeHub
from .test_app_browser import browser, open_app  # noqa: F401  (the shared browser fixture)
from .tiny_models import DEFAULT_TRANSLATORS, build_tiny_marian


@pytest.fixture(scope="module")
def hub_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("hub-app")
    with FakeHub() as server:
        for seed, model_id in enumerate(DEFAULT_TRANSLATORS):
            server.add_model(model_id, build_tiny_marian(root / model_id.replace("/", "--"), seed=seed, eos_bias=1.3, into_english=seed == 1))
        env = {
            "HF_ENDPOINT": server.url,
            "HF_HUB_CACHE": str(root / "hf-cache"),
            "HF_HUB_OFFLINE": "0",
            "AUGPLAY_MODELS_DIR": "",  # an online laptop: nothing placed by hand
            "HF_HUB_DISABLE_TELEMETRY": "1",
        }
        with running_app(env) as url:
            yield url, server


def test_download_button_turns_a_needs_model_step_ok(hub_app, browser):  # noqa: F811
    url, server = hub_app
    page = open_app(browser, url)
    page.get_by_role("tab", name="Text").click()
    page.get_by_label("Augmenter").last.click()
    page.get_by_role("option", name="sentence · back_translation").click()
    page.get_by_role("button", name="Add step").last.click()
    builder = page.locator("#text-builder")
    expect(builder.locator(".prose.op-unavailable")).to_contain_text("augplay models pull Helsinki-NLP/opus-mt-en-de Helsinki-NLP/opus-mt-de-en")
    builder.get_by_role("button", name="Download the models").click()
    expect(builder.locator(".prose.op-unavailable")).to_have_count(0)
    expect(builder.get_by_role("button", name="Download the models")).to_have_count(0)
    assert server.gets[(DEFAULT_TRANSLATORS[1], "model.safetensors")] == 1
    page.close()
