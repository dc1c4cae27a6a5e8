"""What the app does at start so that a preview grid does not wait on housekeeping: Gradio's
static-path checks find the preview folder first, the queue's analytics summary is not rebuilt
after every event, the objects built at start are frozen out of the cyclic GC, and the server
parses HTTP with httptools."""

from __future__ import annotations

import gc
import importlib

from gradio import utils as gradio_utils
from gradio.data_classes import _StaticFiles

from app.previews import cache_dir, write_preview_bytes
from tests.app_server import free_port


def test_the_preview_folder_is_the_first_static_path():
    importlib.import_module("app.ui")
    assert _StaticFiles.all_paths[0] == cache_dir().resolve()
    path = write_preview_bytes(b"not really a jpeg", "jpg", "latency_probe")
    assert gradio_utils.is_static_file(path)  # still served as it is


def test_launch_freezes_the_start_and_summarises_analytics_every_100_events():
    ui = importlib.import_module("app.ui")
    gc.unfreeze()
    demo = ui.launch(port=free_port(), block=False)
    try:
        assert gc.get_freeze_count() > 100_000
        assert demo._queue.ANAYLTICS_CACHE_FREQUENCY == 100  # Gradio's spelling
        # httptools is installed (pyproject): uvicorn parses HTTP in C, not with h11
        assert demo.server.config.http_protocol_class.__name__ == "HttpToolsProtocol"
    finally:
        demo.close()
        gc.unfreeze()


def test_renders_show_progress_on_their_first_input_not_on_their_column():
    ui = importlib.import_module("app.ui")
    config = ui.demo.get_config_file()
    renders = [d for d in config["dependencies"] if d.get("render_id") is not None]
    assert len(renders) >= 3  # the Image and Text builders and the catalogue
    for dependency in renders:
        assert dependency["show_progress_on"] == dependency["inputs"][:1], dependency
