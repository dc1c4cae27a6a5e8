"""A Space starts whole: `python app/ui.py` with SPACE_ID set, in an environment `make setup` never touched.

A Space installs `requirements.txt` into a fresh Python and runs the app file; nothing of
`make setup` runs there (no WordNet copy into the venv, no dev extras). Rebuilding torch and the
rest into a new venv would cost gigabytes per CI run, so the test builds a *fresh venv* (its own
empty `sys.prefix`, so nothing `make setup` placed there is visible) whose only link to the
packages is a `.pth` line pointing at this environment's site-packages. Every op that is ok here
must be ok there, and every preset must give a preview through `gradio_client`.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import time
import urllib.request

import pytest
from gradio_client import Client, handle_file

from augmenters import Pipeline, registry

from .app_server import ROOT, free_port
from .test_app_client import CHELSEA


@pytest.fixture(scope="module")
def space_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("space")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    packages = next(p for p in site.getsitepackages() if p.endswith("site-packages"))
    fresh = next((venv / "lib").glob("python3*/site-packages"))
    (fresh / "packages.pth").write_text(packages + "\n", encoding="utf-8")
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp / "home"),  # a Space user's empty home: no ~/nltk_data, no caches
        "SPACE_ID": "augplay/space-start",
        "GRADIO_SERVER_NAME": "127.0.0.1",
        "GRADIO_SERVER_PORT": str(port),
        "AUGPLAY_MODELS_DIR": os.environ["AUGPLAY_MODELS_DIR"],  # the tiny models, as preload_from_hub would place
        "HF_HUB_OFFLINE": "1",
    }
    log = (tmp / "app.log").open("w+", encoding="utf-8")
    process = subprocess.Popen([str(venv / "bin" / "python"), "app/ui.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"the Space app exited with {process.returncode}:\n{log.read()[-3000:]}")
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the Space app did not answer within 120 s")
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_every_op_that_is_ok_after_make_setup_is_ok_on_the_space(space_url):
    table = Client(space_url, verbose=False).predict("all", api_name="/catalogue")
    rows = table["data"] if isinstance(table, dict) else table
    on_space = {row[0]: row[3] for row in rows}
    here = {augmenter.name: augmenter.health().status for augmenter in registry.all()}
    assert set(on_space) == set(here)
    assert {name: on_space[name] for name, status in here.items() if status == "ok"} == {
        name: "ok" for name, status in here.items() if status == "ok"
    }
    assert on_space["synonym_swap"] == "ok"  # WordNet found without make setup's copy


def test_one_preview_per_preset_on_the_space(space_url):
    from presets import names

    client = Client(space_url, verbose=False)
    for name in names():
        pipeline = Pipeline.load(name)
        if pipeline.modality == "image":
            client.predict(name, api_name="/image_load_preset")
            partner = handle_file(str(CHELSEA)) if pipeline.needs_partner else None
            _, records = client.predict(handle_file(str(CHELSEA)), 3, 1, partner, api_name="/augment_image")
            assert records[0]["pipeline"] == name, name
        else:
            client.predict(name, api_name="/text_load_preset")
            rows, _ = client.predict("The quick brown fox jumps over the lazy dog today.", 3, 1, 0.0, "lines", api_name="/augment_text")
            assert rows and rows[0]["text"], name
