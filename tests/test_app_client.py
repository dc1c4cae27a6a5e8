"""The app driven through gradio_client on 127.0.0.1: every api_name, image and text, presets, YAML, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from augmenters import Pipeline, load_image, registry
from augmenters.io import encode_image

from .app_server import ROOT, running_app

CHELSEA = ROOT / "app" / "assets" / "chelsea.jpg"
COFFEE = ROOT / "app" / "assets" / "coffee.jpg"


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


@pytest.fixture
def client(app_url):
    """A fresh session per test: the pipeline builder's state is per session."""
    return Client(app_url, verbose=False)


def public_endpoints(client: Client) -> set[str]:
    return set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])


def test_the_public_endpoints_are_exactly_these(client):
    """A new endpoint must join this list, and so get a test below."""
    expected = {
        "/augment_image",
        "/image_sample_detail",
        "/image_pin_sample",
        "/image_show_input",
        "/image_show_local",
        "/augment_text",
        "/text_filter",
        "/catalogue",
        "/export_dataset",  # tests/test_app_export.py
        "/export_estimate",
        "/evaluate",  # tests/test_app_evaluate.py
    }
    for prefix in ("image", "text"):
        expected |= {
            f"/{prefix}_{name}"
            for name in ("load_preset", "add_step", "load_yaml", "save_yaml", "show_code", "pipeline_yaml", "new_seed")
        }
    assert public_endpoints(client) == expected


def test_catalogue_is_the_registry(client):
    table = client.predict("all", api_name="/catalogue")
    names = [row[0] for row in table["data"]]
    assert names == registry.names()
    assert table["headers"] == ["name", "modality", "family", "status", "reason", "params", "caution"]
    text_only = client.predict("text", api_name="/catalogue")
    assert [row[0] for row in text_only["data"]] == registry.names("text")


def test_image_preset_augment_is_byte_identical_to_the_pipeline(client):
    client.predict("light", api_name="/image_load_preset")
    gallery, records = client.predict(
        image=handle_file(str(CHELSEA)), local_path=None, seed=3, n=4, partner=None, api_name="/augment_image"
    )  # the parameters have real names (docs/app.md)
    assert len(gallery) == 4 and len(records) == 4
    image, pipeline = load_image(CHELSEA), Pipeline.load("light")
    for i, (item, record) in enumerate(zip(gallery, records)):
        expected, expected_record = pipeline(image, seed=3, index=i, source=CHELSEA.name)
        assert record == json.loads(json.dumps(expected_record))
        assert item["caption"].startswith(f"#{i} ")
        assert Path(item["image"]).read_bytes() == encode_image(expected, "jpeg")


def test_sample_detail_and_pin(client):
    client.predict("light", api_name="/image_load_preset")
    compare, record = client.predict(handle_file(str(CHELSEA)), None, 5, 2, None, api_name="/image_sample_detail")
    before, after = compare
    assert record["seed"] == 5 and record["index"] == 2
    expected, _ = Pipeline.load("light")(load_image(CHELSEA), seed=5, index=2, source=CHELSEA.name)
    assert Path(after).read_bytes() == encode_image(expected, "jpeg")
    assert Path(before).read_bytes() == encode_image(load_image(CHELSEA), "jpeg")
    pins = client.predict([], 5, 2, api_name="/image_pin_sample")
    assert [(p["seed"], p["index"], p["pipeline"]["name"]) for p in pins] == [(5, 2, "light")]


def test_show_input_decodes_with_our_loader(client):
    preview = client.predict(handle_file(str(COFFEE)), api_name="/image_show_input")
    assert Path(preview).read_bytes() == encode_image(load_image(COFFEE), "jpeg")
    local = client.predict(str(COFFEE), api_name="/image_show_local")
    assert Path(local).read_bytes() == Path(preview).read_bytes()


def test_add_step_save_and_load_yaml_round_trip(client, app_url, tmp_path):
    client.predict("rotate", api_name="/image_add_step")
    client.predict("hflip", api_name="/image_add_step")
    shown = client.predict(api_name="/image_pipeline_yaml")
    saved = client.predict(api_name="/image_save_yaml")
    assert Path(saved).read_text(encoding="utf-8").rstrip("\n") == shown.rstrip("\n")
    assert Pipeline.from_yaml(shown).ops() == ["rotate", "hflip"]
    other = Client(app_url, verbose=False)
    other.predict(handle_file(saved), api_name="/image_load_yaml")
    assert other.predict(api_name="/image_pipeline_yaml") == shown


def test_bad_yaml_names_the_step_and_field(client, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "schema: 1\nsteps:\n  - op: hflip\n  - op: rotate\n    settings:\n      angle: [0, 999]\n", encoding="utf-8"
    )
    with pytest.raises(AppError) as err:
        client.predict(handle_file(str(bad)), api_name="/image_load_yaml")
    message = str(err.value)
    assert "bad.yaml, step 2 (rotate)" in message and "'angle'" in message and "999" in message
    assert str(tmp_path) not in message


def test_text_pipeline_loaded_in_image_tab_is_refused(client, tmp_path):
    text_yaml = tmp_path / "words.yaml"
    text_yaml.write_text(Pipeline.load("word_noise").to_yaml(), encoding="utf-8")
    with pytest.raises(AppError, match="text pipeline; load it in the Text tab"):
        client.predict(handle_file(str(text_yaml)), api_name="/image_load_yaml")


def test_errors_are_human_and_leak_no_path(client, tmp_path):
    with pytest.raises(AppError, match="pipeline is empty"):
        client.predict(handle_file(str(CHELSEA)), None, 0, 2, None, api_name="/augment_image")
    client.predict("light", api_name="/image_load_preset")
    with pytest.raises(AppError, match="Upload an image"):
        client.predict(None, None, 0, 2, None, api_name="/augment_image")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    with pytest.raises(AppError) as err:
        client.predict(handle_file(str(broken)), None, 0, 2, None, api_name="/augment_image")
    assert "broken.png" in str(err.value) and "/" not in str(err.value)
    # Gradio's own component checks answer first, in words too.
    with pytest.raises(AppError, match="number of samples must be from 1 to 16"):
        client.predict(handle_file(str(CHELSEA)), None, 0, 17, None, api_name="/augment_image")
    with pytest.raises(AppError, match="no_such_op is not in the list of choices"):
        client.predict("no_such_op", api_name="/image_add_step")


def test_show_code_and_new_seed(client):
    client.predict("light", api_name="/image_load_preset")
    python, cli = client.predict(7, 3, api_name="/image_show_code")
    assert "Pipeline.from_yaml(" in python and "seed=7" in python and "range(3)" in python
    assert cli.startswith("augplay preview --pipeline light.yaml") and "--seed 7" in cli
    # with the files given, the code names them: the upload (the samples' source id) and the YAML Save gives
    _, cli = client.predict(7, 3, handle_file(str(CHELSEA)), None, None, api_name="/image_show_code")
    assert cli.startswith("augplay preview --pipeline light.yaml --input chelsea.jpg --n 3 --seed 7")
    assert Path(client.predict(api_name="/image_save_yaml")).name == "light.yaml"
    seed = client.predict(api_name="/image_new_seed")
    assert isinstance(seed, (int, float)) and 0 <= seed < 2**31


def test_text_tab_end_to_end(client):
    source = "The quick brown fox jumps over the lazy dog near the quiet river bank today."
    client.predict("word_noise", api_name="/text_load_preset")
    assert "word_swap" in client.predict(api_name="/text_pipeline_yaml")
    rows, table = client.predict(source, 11, 3, 0.0, "whole", api_name="/augment_text")
    pipeline = Pipeline.load("word_noise")
    assert [r["text"] for r in rows] == [pipeline(source, seed=11, index=i, source="text")[0] for i in range(3)]
    # each line a sample (the default): keyed by line number, as `augplay export` keys a .txt file's lines
    lines, _ = client.predict(f"{source}\n\nsecond line here", 11, 2, 0.0, api_name="/augment_text")
    assert [(r["line"], r["index"]) for r in lines] == [("0", 0), ("0", 1), ("2", 0), ("2", 1)]
    assert lines[0]["text"] == pipeline(source, seed=11, index=0, source="0")[0]
    assert table.count("<tr") == 4 and "augplay-variants" in table
    filtered = client.predict(source, rows, 0.5, api_name="/text_filter")
    assert filtered.count("<tr") == 4
    python, _ = client.predict(11, 3, source, "whole", api_name="/text_show_code")
    assert "data = " in python and "seed=11" in python
    assert isinstance(client.predict(api_name="/text_new_seed"), (int, float))


def test_text_builder_yaml_round_trip(client):
    client.predict("word_delete", api_name="/text_add_step")
    saved = client.predict(api_name="/text_save_yaml")
    fresh = Pipeline.from_yaml(Path(saved).read_text(encoding="utf-8"))
    assert fresh.ops() == ["word_delete"] and fresh.modality == "text"
    client.predict(handle_file(saved), api_name="/text_load_yaml")
    with pytest.raises(AppError, match="rotate is not in the list of choices"):
        client.predict("rotate", api_name="/text_add_step")
    with pytest.raises(AppError, match="Type or paste some text"):
        client.predict("   ", 0, 2, 0.0, api_name="/augment_text")


def test_space_mode_hides_local_paths_and_caps_samples():
    with running_app({"SPACE_ID": "augplay/test"}) as url:
        client = Client(url, verbose=False)
        endpoints = public_endpoints(client)
        assert "/image_show_local" not in endpoints and "/augment_image" in endpoints
        client.predict("light", api_name="/image_load_preset")
        with pytest.raises(AppError, match="number of samples must be from 1 to 8"):
            client.predict(handle_file(str(CHELSEA)), 0, 9, None, api_name="/augment_image")
        gallery, _ = client.predict(handle_file(str(CHELSEA)), 0, 8, None, api_name="/augment_image")
        assert len(gallery) == 8
