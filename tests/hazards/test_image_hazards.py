"""Every image hazard through every entry point: the loader, `augplay preview`, `augplay export`, the app.

Each refusal is one specific human line (no traceback, no server path); each odd-but-valid
image loads and augments; in a batch the bad items are listed and every good item exported.
"""

from __future__ import annotations

import json

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from augmenters import AugplayError, load_image
from augmenters.export.sources import IMAGE_SUFFIXES

from ..app_server import running_app
from ..export_helpers import write_jpeg
from .images import IMAGE_CASES, LOADED, REFUSED, write_all

IDS = [case.name for case in IMAGE_CASES]


@pytest.fixture(scope="module")
def hazards(tmp_path_factory):
    return write_all(tmp_path_factory.mktemp("hazards") / "mixed")


@pytest.mark.parametrize("case", IMAGE_CASES, ids=IDS)
def test_the_loader(case, hazards):
    path = hazards[case.name]
    if case.refusal:
        with pytest.raises(AugplayError) as refused:
            load_image(path)
        assert case.refusal in str(refused.value) and str(refused.value).startswith(case.name)
    else:
        assert load_image(path).shape == case.shape


@pytest.mark.parametrize("case", IMAGE_CASES, ids=IDS)
def test_augplay_preview(case, hazards, tmp_path, capsys):
    from app.cli import main

    out = tmp_path / "out"
    code = main(["preview", "--pipeline", "light", "--input", str(hazards[case.name]), "--n", "2", "--seed", "3", "--out", str(out)])
    err = capsys.readouterr().err
    if case.refusal:
        assert code == 2 and err.count("\n") == 1 and case.refusal in err, err
        assert "Traceback" not in err and not out.exists()
    else:
        assert code == 0, err
        assert len([p for p in out.iterdir() if p.name.startswith("sample_")]) == 2


def test_augplay_export_lists_the_bad_and_exports_every_good_item(hazards, tmp_path, capsys):
    from app.cli import main

    folder = hazards[IMAGE_CASES[0].name].parent
    for seed in range(2):
        write_jpeg(folder / f"good_{seed}.jpg", seed)
    out = tmp_path / "export"
    code = main(["export", "--pipeline", "light", "--input", str(folder), "--out", str(out), "--variants", "1", "--seed", "2"])
    err = capsys.readouterr().err
    items = [case for case in REFUSED if case.name.endswith(IMAGE_SUFFIXES)]  # a folder's items are its image files
    assert code == 1 and f"{len(items)} rows failed" in err, err
    errors = {e["source"]: e["error"] for e in map(json.loads, (out / "errors.jsonl").read_text(encoding="utf-8").splitlines())}
    assert sorted(errors) == sorted(case.name for case in items)
    for case in items:
        assert case.refusal in errors[case.name] and str(tmp_path) not in errors[case.name]
    rows = [json.loads(line) for line in (out / "metadata.jsonl").read_text(encoding="utf-8").splitlines()]
    exported = {json.loads(row["record"])["source"] for row in rows}
    assert exported == {case.name for case in LOADED} | {"good_0.jpg", "good_1.jpg"}
    assert not list(out.rglob("*.part")) and all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


def test_the_app_answers_every_case_and_keeps_serving(app_url, hazards):
    client = Client(app_url, verbose=False)
    client.predict("light", api_name="/image_load_preset")
    for case in IMAGE_CASES:
        upload = handle_file(str(hazards[case.name]))
        if case.refusal:
            with pytest.raises(AppError) as refused:
                client.predict(image=upload, local_path=None, seed=1, n=1, partner=None, api_name="/augment_image")
            message = str(refused.value)
            assert case.refusal in message, (case.name, message)
            assert "Traceback" not in message and "/tmp" not in message and "gradio" not in message.lower(), message
        else:
            _, records = client.predict(image=upload, local_path=None, seed=1, n=1, partner=None, api_name="/augment_image")
            assert records[0]["source"] == case.name, case.name
    _, records = client.predict(  # still serving, and still right
        image=handle_file(str(hazards["one_pixel.png"])), local_path=None, seed=1, n=2, partner=None, api_name="/augment_image"
    )
    assert len(records) == 2


def test_the_app_says_an_animation_gives_its_first_frame(hazards):
    from app.handlers import describe_input

    assert "animated: the first of 4 frames is used" in describe_input(str(hazards["animated.gif"]))
    assert "animated: the first of 4 frames is used" in describe_input(str(hazards["animated.webp"]))
    assert "animated" not in describe_input(str(hazards["one_pixel.png"]))
