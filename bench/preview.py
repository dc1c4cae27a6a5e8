"""Image preview latency: the `augment_image` endpoint, served, vs the same handler in-process.

8 samples of a 512x512 photo with the `light` preset, 50 calls each, all measured in one run
against the app launched on 127.0.0.1 in its own process. The reference is the in-process call
of `app.handlers.augment_image` (pipeline + JPEG encoding). Served rows:
- raw HTTP: Gradio's queue protocol over one keep-alive connection, the input uploaded once
  (what the browser does): the server's own overhead;
- gradio_client, returning file URLs (download_files=False), uploading the input every call;
- gradio_client with its default download of the 8 preview files.
Goal: p95 <= 150 ms, server overhead <= 1.5x.

    python bench/preview.py [--calls 50] [--samples 8]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import httpx  # noqa: E402
from gradio_client import Client, handle_file  # noqa: E402

from app import handlers  # noqa: E402
from augmenters import load_image  # noqa: E402
from tests.app_server import running_app  # noqa: E402

PHOTO = ROOT / "app" / "assets" / "astronaut.jpg"  # 512x512
WARMUP = 3


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def timed(fn, calls: int) -> list[float]:
    for _ in range(WARMUP):
        fn()
    out = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


class RawSession:
    """Gradio's queue protocol by hand: join, then read the session's event stream to completion."""

    def __init__(self, url: str):
        self.url, self.http, self.session = url, httpx.Client(timeout=60), os.urandom(6).hex()
        deps = self.http.get(url + "config").json()["dependencies"]
        self.fn = {d["api_name"]: d["id"] for d in deps if d.get("api_name")}

    def upload(self, path: Path) -> dict:
        with path.open("rb") as handle:
            [server_path] = self.http.post(self.url + "gradio_api/upload", files={"files": (path.name, handle)}).json()
        return {"path": server_path, "orig_name": path.name, "meta": {"_type": "gradio.FileData"}}

    def call(self, api_name: str, data: list) -> list:
        body = {
            "data": data,
            "fn_index": self.fn[api_name],
            "session_hash": self.session,
            "event_data": None,
            "trigger_id": None,
        }
        self.http.post(self.url + "gradio_api/queue/join", json=body).raise_for_status()
        with self.http.stream("GET", self.url + f"gradio_api/queue/data?session_hash={self.session}") as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        if not message.get("success"):
                            raise RuntimeError(f"{api_name} failed: {message}")
                        return message["output"]["data"]
        raise RuntimeError(f"{api_name}: the stream ended early")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--samples", type=int, default=8)
    args = parser.parse_args()
    assert load_image(PHOTO).shape[:2] == (512, 512)

    state = handlers.load_preset("light", "image")
    in_process = timed(lambda: handlers.augment_image(str(PHOTO), state, 0, args.samples), args.calls)

    with running_app() as url:
        raw = RawSession(url)
        raw.call("image_load_preset", [None, None, "light"])
        uploaded = raw.upload(PHOTO)
        # Inputs: upload, local path, pipeline state (None: the server keeps it per session), seed, n, partner.
        raw_times = timed(lambda: raw.call("augment_image", [uploaded, None, None, 0, args.samples, None]), args.calls)

        photo = handle_file(str(PHOTO))
        urls_only = Client(url, verbose=False, download_files=False)
        urls_only.predict("light", api_name="/image_load_preset")
        client_urls = timed(
            lambda: urls_only.predict(photo, None, 0, args.samples, None, api_name="/augment_image"), args.calls
        )

        client = Client(url, verbose=False)
        client.predict("light", api_name="/image_load_preset")
        client_files = timed(
            lambda: client.predict(photo, None, 0, args.samples, None, api_name="/augment_image"), args.calls
        )

    rows = [
        ("in-process handler (reference)", in_process),
        ("raw HTTP queue protocol", raw_times),
        ("gradio_client, file URLs", client_urls),
        ("gradio_client, files downloaded", client_files),
    ]
    print(f"{args.samples} samples of 512x512, preset light, {args.calls} calls each (after {WARMUP} warm-up calls)")
    ref50, ref95 = statistics.median(in_process), percentile(in_process, 95)
    for name, values in rows:
        p50, p95 = statistics.median(values), percentile(values, 95)
        print(
            f"{name:<34} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   vs reference: p50 {p50 / ref50:5.2f}x  p95 {p95 / ref95:5.2f}x"
        )


if __name__ == "__main__":
    main()
