"""Space mode (SPACE_ID set): every cap holds on the server, whatever a client sends past the widgets."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from app.limits import SPACE

from ..app_server import running_app
from ..test_app_client import CHELSEA, public_endpoints


@pytest.fixture(scope="module")
def space_url():
    with running_app({"SPACE_ID": "augplay/hazards"}) as url:
        yield url


def refused(call, says: str) -> str:
    with pytest.raises((AppError, ValueError, Exception)) as error:
        call()
    message = str(error.value)
    assert says.lower() in message.lower(), message
    assert "Traceback" not in message
    return message


def test_no_local_path_anywhere_and_no_monitoring(space_url):
    client = Client(space_url, verbose=False)
    endpoints = public_endpoints(client)
    assert not [name for name in endpoints if "local" in name]
    api = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert not [p for e in api.values() for p in e["parameters"] if p["parameter_name"] == "local_path"]
    refused(  # the one choice that would read the server's disk is not among the choices
        lambda: client.predict("local", None, "light", 1, 0, "jpeg", False, False, 1, "", "", "local", api_name="/export_dataset"),
        "is not in the list of choices",
    )
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(space_url + "monitoring", timeout=10)


def test_caps_hold_for_a_client_that_bypasses_the_widgets(space_url, tmp_path):
    client = Client(space_url, verbose=False)
    client.predict("light", api_name="/image_load_preset")
    big = tmp_path / "thirteen_mp.png"
    Image.new("RGB", (4000, 3300), (10, 20, 30)).save(big)  # small file, too many pixels for a Space
    refused(lambda: client.predict(handle_file(str(big)), 0, 2, None, api_name="/augment_image"), "above the 12 MP limit")
    heavy = tmp_path / "heavy.bmp"
    Image.new("RGB", (2000, 1900), (1, 2, 3)).save(heavy)  # 11.4 MB: over the upload cap
    assert heavy.stat().st_size > SPACE.max_file_bytes
    refused(lambda: client.predict(handle_file(str(heavy)), 0, 2, None, api_name="/augment_image"), "exceeds the maximum file size")
    import httpx  # past the client's own check: the server refuses the upload itself

    with open(heavy, "rb") as file:
        answer = httpx.post(space_url + "gradio_api/upload", files={"files": ("heavy.bmp", file)}, timeout=60)
    assert answer.status_code == 413 and "heavy.bmp" not in answer.text.replace("heavy.bmp", "", 0), answer.text
    refused(lambda: client.predict(handle_file(str(CHELSEA)), 0, 9, None, api_name="/augment_image"), "from 1 to 8")
    client.predict("word_noise", api_name="/text_load_preset")
    refused(lambda: client.predict("x" * 2001, 0, 2, 0.0, "lines", api_name="/augment_text"), "above the 2,000 limit")
    refused(
        lambda: client.predict("demo_images", None, "light", 11, 0, "jpeg", False, False, 1, "", "", "local", api_name="/export_dataset"),
        "from 0 to 10",
    )
    refused(
        lambda: client.predict("demo_images", None, "light", 1, 0, "jpeg", False, False, 3, "", "", "local", api_name="/export_dataset"),
        "greater than maximum value 2",
    )


def test_a_file_the_client_names_is_never_read_back(space_url):
    client = Client(space_url, verbose=False)
    named = {"path": "/etc/passwd", "meta": {"_type": "gradio.FileData"}, "orig_name": "passwd.yaml"}
    message = refused(lambda: client.predict(named, api_name="/image_load_yaml"), "")
    assert "root:" not in message
    message = refused(lambda: client.predict(named, 0, 2, None, api_name="/augment_image"), "")
    assert "root:" not in message
