"""The Export tab: the same files as `augplay export`, a ZIP to download, limits enforced on the server."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import gradio as gr
import pytest
from gradio_client import Client

from app import builder, export_handlers, handlers
from app.limits import SPACE

from .app_server import running_app
from .cli_helpers import run_cli

DEMO_IMAGES = export_handlers.SOURCES["demo_images"]
DEMO_TEXT = export_handlers.SOURCES["demo_text"]


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "summary.json"
    }


def _export(kind="demo_images", choice="light", variants=2, seed=3, fmt="same", originals=False, balance=False, **kw):
    args = dict(
        kind=kind, upload=None, local=None, choice=choice, image_state=builder.empty("image"),
        text_state=builder.empty("text"), variants=variants, seed=seed, fmt=fmt, originals=originals,
        balance=balance, workers=1, text_column="", label_column="",
    )
    args.update(kw)
    return export_handlers.run_export(*args.values())


def test_the_tab_writes_what_the_cli_writes_and_zips_it(tmp_path):
    summary, archive, gallery, rows = _export(balance=True, originals=True)
    cli = run_cli(
        "export", "--pipeline", "light", "--input", str(DEMO_IMAGES), "--out", str(tmp_path / "cli"),
        "--variants", "2", "--seed", "3", "--balance", "--include-originals",
    )
    assert cli.returncode == 0, cli.stderr
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path / "app")
    assert _tree(tmp_path / "app") == _tree(tmp_path / "cli")
    # balanced: every class ends with as many rows as the largest (8 circles x 3)
    assert "| circle | 8 | 16 |" in summary and "| triangle | 4 | 20 |" in summary
    assert len(gallery) == export_handlers.SHOWN_ROWS and rows[0]["original"] is True
    assert isinstance(rows[-1]["record"], dict) and rows[-1]["record"]["seed"] == 3


def test_the_same_request_twice_reuses_the_export():
    first = _export(variants=1, seed=11)
    second = _export(variants=1, seed=11)
    assert second[1] == first[1] and "already complete" in second[0]


def test_the_tab_pipelines_and_text_export():
    state = handlers.load_preset("word_noise", "text")
    summary, archive, gallery, rows = _export(kind="demo_text", choice=export_handlers.FROM_TEXT_TAB, text_state=state)
    assert "**20 rows**" in summary and gallery == []
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        assert {"reviews.csv", "README.md", "pipeline.yaml", "augplay-export.json"} <= names
        text = z.read("reviews.csv").decode("utf-8")
    assert "배송이" in text or "배송" in text
    assert rows[0]["source_id"] == "0" and rows[0]["label"] == "positive"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (dict(kind="upload"), "Upload a ZIP"),
        (dict(kind="upload", upload=str(DEMO_IMAGES / "circle" / "circle_00.jpg")), "upload a .zip, .csv"),
        (dict(kind="local", local="/no/such/place"), "no such folder or file"),
        (dict(variants=10_000), "Variants per item must be a whole number from 0 to 100"),
        (dict(variants=2.5), "Variants per item must be a whole number"),
        (dict(seed=-1), "seed must be a whole number"),
        (dict(choice="word_noise"), "works on text, but shapes holds image"),
        (dict(choice=export_handlers.FROM_IMAGE_TAB), "pipeline is empty"),
        (dict(fmt="gif"), "Pick an image format"),
        (dict(workers=999), "Worker processes must be a whole number from 1"),
    ],
)
def test_bad_requests_get_human_errors(overrides, message):
    with pytest.raises(gr.Error, match=message):
        _export(**overrides)


def test_space_limits_cap_exports(monkeypatch):
    monkeypatch.setenv("SPACE_ID", "someone/augplay")
    assert [value for _, value in export_handlers.source_choices(SPACE)] == ["demo_images", "demo_text", "upload"]
    with pytest.raises(gr.Error, match="Pick where the dataset comes from"):
        _export(kind="local", local=str(DEMO_IMAGES))
    with pytest.raises(gr.Error, match="from 0 to 10"):
        _export(variants=11)


def test_the_ray_engine_is_offered_locally_only(monkeypatch):
    from app.limits import LOCAL

    assert export_handlers.engine_choices(LOCAL) == ["local", "ray"]  # make setup installs the ray extra
    assert export_handlers.engine_choices(SPACE) == ["local"]
    monkeypatch.setenv("SPACE_ID", "someone/augplay")
    with pytest.raises(gr.Error, match="'ray' engine is not offered here"):
        _export(engine="ray")


def test_the_export_endpoint_over_http():
    with running_app() as url:
        client = Client(url, verbose=False)
        client.predict("light", api_name="/image_load_preset")
        summary, archive, gallery, rows = client.predict(
            "demo_images", None, None, "@image", 1, 5, "jpeg", False, False, 1, "", "", "local", api_name="/export_dataset"
        )
        assert "**18 rows**" in summary and Path(archive).name.endswith(".zip")
        with zipfile.ZipFile(archive) as z:
            meta = [json.loads(line) for line in z.read("metadata.jsonl").decode().splitlines()]
        assert len(meta) == 18 and all(m["file_name"].endswith("__aug0.jpg") for m in meta)
        estimate = client.predict(
            "demo_images", None, None, "light", 3, 5, "jpeg", False, False, 1, "", "", "local", api_name="/export_estimate"
        )
        assert "**18 items**" in estimate and "54 rows" in estimate


def test_pinned_samples_export_as_the_tiles_they_were(tmp_path):
    chelsea = str(export_handlers.DEMO.parent / "chelsea.jpg")
    light = handlers.load_preset("light", "image")
    gallery, records = handlers.augment_image(chelsea, light, 21, 4)
    pins = handlers.pin_sample([], light, 21, 3)
    pins, files = handlers.attach_pin_files(pins, {}, None, path=chelsea)
    assert pins[0]["source"] == "chelsea.jpg" and chelsea not in json.dumps(pins)  # no server path on the page
    pins = handlers.pin_sample(pins, handlers.load_preset("geometric_strong", "image"), 5, 0)
    pins, files = handlers.attach_pin_files(pins, files, None, path=chelsea)
    summary, archive = export_handlers.export_pins(pins, files, "jpeg")
    assert "**2 pinned sample(s)**" in summary
    with zipfile.ZipFile(archive) as z:
        meta = [json.loads(line) for line in z.read("metadata.jsonl").decode().splitlines()]
        assert [m["file_name"] for m in meta] == ["chelsea__seed21_k3.jpg", "chelsea__seed5_k0.jpg"]
        assert z.read("chelsea__seed21_k3.jpg") == Path(gallery[3][0]).read_bytes()  # the tile, byte for byte
        assert json.loads(meta[0]["record"]) == json.loads(json.dumps(records[3]))
        assert json.loads(meta[1]["pipeline"])["name"] == "geometric_strong"
    with pytest.raises(gr.Error, match="Pin a sample in the Image tab first"):
        export_handlers.export_pins([], {}, "jpeg")
