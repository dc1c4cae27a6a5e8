"""Image preview latency: the `augment_image` endpoint, served, vs the same handler in-process.

8 samples of a 512x512 photo with the `light` preset, 50 calls each, all measured in one run
against the app launched on 127.0.0.1 in its own process. Every call uses a fresh seed: previews
are content-addressed files, so repeating one seed would skip the writes after the first call.
The reference is the in-process call of `app.handlers.augment_image` (pipeline + JPEG encoding).
Served rows:
- raw HTTP: Gradio's queue protocol over one keep-alive connection, the input uploaded once
  (what the browser does): the server's own overhead; then the same plus downloading the 8 files;
- gradio_client, returning file URLs (download_files=False), uploading the input every call;
- gradio_client with its default download of the 8 preview files, as constructed by default
  (it then builds a new TLS context, ~38 ms of CPU, for every file and upload, even over plain
  HTTP) and with one TLS context passed once (`ssl_verify=ssl.create_default_context()`: the same
  certificate checks, built once), the setup the README recommends;
- what a person waits for: headless Chromium, click *Augment* -> all 8 tiles decoded on screen,
  on the page's clock (from the click event to the frame showing the grid).
Goals: browser click-to-grid p95 <= 300 ms; gradio_client with downloads p95 <= 3x in-process.

    python bench/preview.py [--calls 50] [--samples 8] [--no-browser]
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
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
from tests.chromium import chromium_path  # noqa: E402

PHOTO = ROOT / "app" / "assets" / "astronaut.jpg"  # 512x512
WARMUP = 3


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def timed(fn, calls: int) -> list[float]:
    """Milliseconds per call of fn(seed), each call with a seed never used before in this run."""
    for _ in range(WARMUP):
        fn(_fresh_seed())
    out = []
    for _ in range(calls):
        seed = _fresh_seed()
        start = time.perf_counter()
        fn(seed)
        out.append((time.perf_counter() - start) * 1000)
    return out


_next_seed = int(time.time())  # unlike any earlier run's seeds, so its previews are not cached yet


def _fresh_seed() -> int:
    global _next_seed
    _next_seed += 1
    return _next_seed


BROWSER_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# True once the grid shows `n` images, all decoded, and it is a new grid: previews are named by
# their content, so a sample that no step changed has the same file as in the previous call and
# only *some* tile is new (Gradio replaces the gallery's value as a whole).
# Returns the page's clock at that moment (a truthy number).
_GRID_READY = """([n, before]) => {
  const tiles = [...document.querySelectorAll('#image-grid img')].slice(0, n);
  const ready = tiles.length >= n && tiles.every(t => t.complete && t.naturalWidth > 0) && tiles.some(t => !before.includes(t.src));
  return ready ? performance.now() : false;
}"""
# The click as the page sees it: Playwright's own checks before it dispatches a click (the
# button is visible, stable, not covered: several round trips) are not the app's time.
_CLICK_CLOCK = """() => document.addEventListener('click', e => {
  if (e.target.closest && e.target.closest('#image-augment')) window.__augplayClickedAt = performance.now();
}, true)"""


# Where a click's time goes, from the page's own clock and Resource Timing (ms after the click).
_PHASES = """([t0, tReady]) => {
  const res = performance.getEntriesByType('resource').filter(e => e.startTime >= t0);
  const join = res.find(e => e.name.includes('queue/join'));
  const files = res.filter(e => e.name.includes('file='));
  if (!join || !files.length) return null;
  const first = Math.min(...files.map(e => e.startTime)), last = Math.max(...files.map(e => e.responseEnd));
  return {"click -> join sent": join.startTime - t0, "join sent -> result in page": first - join.startTime,
          "fetching the files": last - first, "decoding and showing": tReady - last};
}"""


def browser_times(
    url: str, calls: int, samples: int, phases: list[dict] | None = None, driver: list[float] | None = None
) -> list[float]:
    """Click Augment -> every tile decoded, in headless Debian Chromium (never a downloaded browser),
    on the page's clock from the click event to the frame that shows the decoded grid.

    With `phases`, each timed call also appends its breakdown (see _PHASES); with `driver`, the
    same span as seen from Python, Playwright's pre-click checks included."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1500})
        page.set_default_timeout(60_000)
        page.goto(url)
        page.locator("#image-input input[type=file]").set_input_files(str(PHOTO))
        page.locator("#image-preset input").click()
        page.get_by_role("option", name="light", exact=True).click()
        page.locator("code", has_text="hflip").first.wait_for()  # the builder shows the preset
        seed_box = page.get_by_label("Seed", exact=True).first
        count_box = page.get_by_label("Number of samples", exact=True).first
        if count_box.count():
            count_box.fill(str(samples))
        before: list[str] = []
        page.evaluate(_CLICK_CLOCK)

        # The seed is typed before the clock starts: only click -> grid is timed.
        times = []
        for call in range(WARMUP + calls):
            seed = _fresh_seed()
            seed_box.fill(str(seed))
            page.evaluate("() => { performance.clearResourceTimings(); window.__augplayClickedAt = null; }")
            start = time.perf_counter()
            page.locator("#image-augment").click()
            ready = page.wait_for_function(_GRID_READY, arg=[samples, before], polling="raf").json_value()
            if call >= WARMUP:
                clicked = page.evaluate("() => window.__augplayClickedAt")
                times.append(ready - clicked)
                if driver is not None:
                    driver.append((time.perf_counter() - start) * 1000)
                if phases is not None:
                    breakdown = page.evaluate(_PHASES, [clicked, ready])
                    if breakdown:
                        phases.append(breakdown)
            before = page.eval_on_selector_all("#image-grid img", "tiles => tiles.map(t => t.src)")
        browser.close()
    return times


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
    parser.add_argument("--no-browser", action="store_true", help="skip the headless Chromium row")
    args = parser.parse_args()
    assert load_image(PHOTO).shape[:2] == (512, 512)

    state = handlers.load_preset("light", "image")
    in_process = timed(lambda seed: handlers.augment_image(str(PHOTO), state, seed, args.samples), args.calls)

    with running_app() as url:
        raw = RawSession(url)
        raw.call("image_load_preset", [None, None, "light"])
        uploaded = raw.upload(PHOTO)
        # Inputs: upload, local path, pipeline state (None: the server keeps it per session), seed, n, partner.
        raw_times = timed(lambda seed: raw.call("augment_image", [uploaded, None, None, seed, args.samples, None]), args.calls)

        def raw_with_files(seed: int) -> None:
            gallery = raw.call("augment_image", [uploaded, None, None, seed, args.samples, None])[0]
            for item in gallery:
                raw.http.get(item["image"]["url"]).raise_for_status()

        raw_downloads = timed(raw_with_files, args.calls)

        photo = handle_file(str(PHOTO))
        urls_only = Client(url, verbose=False, download_files=False)
        urls_only.predict("light", api_name="/image_load_preset")
        client_urls = timed(
            lambda seed: urls_only.predict(photo, None, seed, args.samples, None, api_name="/augment_image"), args.calls
        )

        client = Client(url, verbose=False)
        client.predict("light", api_name="/image_load_preset")
        client_files = timed(
            lambda seed: client.predict(photo, None, seed, args.samples, None, api_name="/augment_image"), args.calls
        )

        shared_tls = Client(url, verbose=False, ssl_verify=ssl.create_default_context())
        shared_tls.predict("light", api_name="/image_load_preset")
        client_files_tls = timed(
            lambda seed: shared_tls.predict(photo, None, seed, args.samples, None, api_name="/augment_image"), args.calls
        )
        # Done with them: their heartbeat streams and keep-alive connections would otherwise stay
        # open on the server (and the bench's own process) through the browser row.
        for done in (urls_only, client, shared_tls):
            done.close()
        raw.http.close()
        phases: list[dict] = []
        driver: list[float] = []
        in_browser = [] if args.no_browser else browser_times(url, args.calls, args.samples, phases, driver)

    rows = [
        ("in-process handler (reference)", in_process),
        ("raw HTTP queue protocol", raw_times),
        ("raw HTTP + downloading the files", raw_downloads),
        ("gradio_client, file URLs", client_urls),
        ("gradio_client, files downloaded", client_files),
        ("  same, one TLS context (README)", client_files_tls),
    ]
    if in_browser:
        rows.append(("browser: click -> grid decoded", in_browser))
    print(f"{args.samples} samples of 512x512, preset light, {args.calls} calls each (after {WARMUP} warm-up calls)")
    ref50, ref95 = statistics.median(in_process), percentile(in_process, 95)
    for name, values in rows:
        p50, p95 = statistics.median(values), percentile(values, 95)
        print(
            f"{name:<34} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   vs reference: p50 {p50 / ref50:5.2f}x  p95 {p95 / ref95:5.2f}x"
        )
    if driver:
        print(
            f"  (the same seen from Python, Playwright's pre-click checks included: p50 {statistics.median(driver):.1f} ms, "
            f"p95 {percentile(driver, 95):.1f} ms)"
        )
    if phases:
        print("browser click, median per phase (the page's clock; the phases end to end, not the p50 above):")
        for phase in phases[0]:
            print(f"  {phase:<30} {statistics.median(p[phase] for p in phases):7.1f} ms")


if __name__ == "__main__":
    main()
