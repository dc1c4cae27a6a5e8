"""Many users at once: 16 `gradio_client` users x 5 mixed requests against the app on 127.0.0.1.

Each user is its own session (its own Client): it loads a preset, then sends 5 requests in a
rotating mix of an image preview (8 samples of a 512x512 photo, `light`), a text preview
(`word_noise`, 4 variants of 3 lines) and a small export (the demo image dataset, 1 variant per
item, JPEG), each with a seed of its own. Every answer is compared with the same call made
in-process (the records and texts must be equal: no cross-talk between sessions).

Every client is built with one TLS context passed in (`ssl_verify=TLS`, the same certificate checks):
by default gradio_client builds a new one, ~38 ms of CPU, for every upload and downloaded file,
even over plain HTTP, and on a 2-core machine the 16 clients would then burn three times the
server's CPU. `--default-clients` measures them as constructed by default.

Reference, measured in the same run: the same 80 requests through the in-process handlers, one
at a time (no HTTP, no queue). A single client would be latency-bound and hide a serialised
server, so the headline is served throughput with 16 users / in-process one-at-a-time rate.
Goals (issue 12): 0 server errors, every answer correct, ratio >= 1.6 on this machine's cores,
queue-full answered with a clean message, peak RSS of the server (and its children) stated.

    python bench/load.py [--users 16] [--requests 5] [--burst 120] [--default-clients]
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# Previews and exports are content-addressed files under Gradio's temp folder: the in-process
# reference and the server each get their own, or the server would find the reference's files
# (an export "reused", a preview write skipped) and look faster than it is.
import tempfile as _tempfile  # noqa: E402

os.environ["GRADIO_TEMP_DIR"] = _tempfile.mkdtemp(prefix="augplay-load-reference-")
SERVER_TEMP = _tempfile.mkdtemp(prefix="augplay-load-server-")

from gradio_client import Client, handle_file  # noqa: E402

from app import export_handlers, handlers  # noqa: E402
from tests.app_server import running_app  # noqa: E402

PHOTO = ROOT / "app" / "assets" / "astronaut.jpg"  # 512x512
TEXT = "The quick brown fox jumps over the lazy dog.\nA second line to augment.\nAnd a third one here."
KINDS = ("image", "text", "export")
TLS: dict = {"ssl_verify": ssl.create_default_context()}  # emptied by --default-clients


def request_plan(users: int, per_user: int) -> list[list[tuple[str, int]]]:
    """(kind, seed) per request; kinds rotate so every moment has a mix."""
    return [[(KINDS[(u + r) % len(KINDS)], 1000 * u + r) for r in range(per_user)] for u in range(users)]


# -- the same work, in-process -------------------------------------------------------------


def in_process(kind: str, seed: int):
    if kind == "image":
        _, records = handlers.augment_image(str(PHOTO), handlers.load_preset("light", "image"), seed, 8)
        return records
    if kind == "text":
        return [row["text"] for row in handlers.augment_text(TEXT, handlers.load_preset("word_noise", "text"), seed, 4)]
    summary, archive, _, _ = export_handlers.run_export(
        "demo_images", None, None, "light", handlers.load_preset("light", "image"), None, 1, seed, "jpeg", False,
        False, 1, "", "", "local", progress=lambda *a, **k: None,
    )
    return export_rows(archive)


def export_rows(archive: str) -> list[dict]:
    with zipfile.ZipFile(archive) as z:
        return [json.loads(line) for line in z.read("metadata.jsonl").decode().splitlines()]


# -- served --------------------------------------------------------------------------------


def served(client: Client, kind: str, seed: int):
    if kind == "image":
        _, records = client.predict(
            image=handle_file(str(PHOTO)), local_path=None, seed=seed, n=8, partner=None, api_name="/augment_image"
        )
        return records
    if kind == "text":
        rows, _ = client.predict(TEXT, seed, 4, 0.0, "lines", api_name="/augment_text")
        return [row["text"] for row in rows]
    _, archive, _, _ = client.predict(
        "demo_images", None, None, "light", 1, seed, "jpeg", False, False, 1, "", "", "local", api_name="/export_dataset"
    )
    return export_rows(archive)


def open_session(url: str) -> Client:
    """A user arriving: the page (the client's config and API info) and the presets they pick."""
    client = Client(url, verbose=False, download_files=tempfile.mkdtemp(prefix="augplay-load-"), **TLS)
    client.predict("light", api_name="/image_load_preset")
    client.predict("word_noise", api_name="/text_load_preset")
    return client


def user_session(client: Client, plan: list[tuple[str, int]], expected: dict, results: list) -> None:
    for kind, seed in plan:
        started = time.perf_counter()
        try:
            answer, error = served(client, kind, seed), None
        except Exception as exc:  # an error answer is counted and shown, not fatal to the bench
            answer, error = None, f"{type(exc).__name__}: {exc}"
        results.append(
            {
                "kind": kind,
                "seed": seed,
                "seconds": time.perf_counter() - started,
                "error": error,
                "correct": error is None and answer == expected[(kind, seed)],
            }
        )


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its descendants (export workers included), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in (Path("/proc") / str(current) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
        todo.extend(children.get(current, []))
    return total


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its live descendants, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        current, seen = int(entry.name), set()
        while current not in (pid, 0, 1) and current not in seen:  # walk up to see whether pid is an ancestor
            seen.add(current)
            try:
                current = int((Path("/proc") / str(current) / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                current = 0
        if current == pid:
            total += (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / ticks  # incl. reaped children
    return total


def server_pid(port: int) -> int | None:
    """The app process listening on `port` (found through its command line)."""
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f"--port\0{port}" in (entry / "cmdline").read_text():
                return int(entry.name)
        except OSError:
            continue
    return None


def burst(url: str, count: int) -> dict:
    """`count` text previews submitted at once from 4 sessions: past the queue's size, some are refused."""
    clients = [Client(url, verbose=False, **TLS) for _ in range(4)]
    for client in clients:
        client.predict("word_noise", api_name="/text_load_preset")
    jobs = [clients[i % 4].submit(TEXT, i, 16, 0.0, "lines", api_name="/augment_text") for i in range(count)]
    refused, other, messages = 0, 0, set()
    for job in jobs:
        try:
            job.result(timeout=600)
        except Exception as exc:
            text = str(exc)
            if "queue is full" in text.lower():
                refused += 1
                messages.add(text.strip()[:160])
            else:
                other += 1
                messages.add(f"{type(exc).__name__}: {text[:160]}")
    return {"submitted": count, "queue_full": refused, "other_errors": other, "messages": sorted(messages)}


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--burst", type=int, default=120, help="requests submitted at once for the queue-full check (0: skip)")
    parser.add_argument("--default-clients", action="store_true", help="gradio_client as constructed by default")
    args = parser.parse_args()
    if args.default_clients:
        TLS.clear()
    plan = request_plan(args.users, args.requests)
    work = [request for user in plan for request in user]

    for kind in KINDS:  # warm-up: imports, first JIT-like costs, the demo dataset's first listing
        in_process(kind, 999_999)
    started, reference_cpu = time.perf_counter(), sum(os.times()[:4])  # children too: export workers
    expected = {(kind, seed): in_process(kind, seed) for kind, seed in work}
    reference_seconds = time.perf_counter() - started
    reference_cpu = sum(os.times()[:4]) - reference_cpu
    reference_rate = len(work) / reference_seconds

    with running_app({"GRADIO_TEMP_DIR": SERVER_TEMP}) as url:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        pid = server_pid(port)
        peak, stop = [0], threading.Event()

        def watch() -> None:
            while not stop.is_set():
                if pid:
                    peak[0] = max(peak[0], tree_rss_kb(pid))
                time.sleep(0.05)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        warm = Client(url, verbose=False, **TLS)
        warm.predict("light", api_name="/image_load_preset")
        warm.predict("word_noise", api_name="/text_load_preset")
        for kind in KINDS:
            served(warm, kind, 999_999)
        with ThreadPoolExecutor(args.users) as pool:  # sessions open before the clock starts
            clients = list(pool.map(lambda _: open_session(url), range(args.users)))
        results: list[dict] = []
        server_cpu, client_cpu = tree_cpu_seconds(pid) if pid else 0.0, sum(os.times()[:2])
        started = time.perf_counter()
        with ThreadPoolExecutor(args.users) as pool:
            for client, user in zip(clients, plan):
                pool.submit(user_session, client, user, expected, results)
        served_seconds = time.perf_counter() - started
        server_cpu = (tree_cpu_seconds(pid) if pid else 0.0) - server_cpu
        client_cpu = sum(os.times()[:2]) - client_cpu
        queue = burst(url, args.burst) if args.burst else None
        stop.set()
        watcher.join()

    served_rate = len(results) / served_seconds
    errors = [r for r in results if r["error"]]
    wrong = [r for r in results if not r["error"] and not r["correct"]]
    clients_kind = "default gradio_client" if args.default_clients else "gradio_client, one TLS context"
    print(f"# bench/load.py — {args.users} users x {args.requests} requests ({clients_kind}), {os.cpu_count()} cores")
    print(f"requests: {len(results)}  server errors: {len(errors)}  wrong answers: {len(wrong)}")
    for kind in KINDS:
        times = [r["seconds"] for r in results if r["kind"] == kind and not r["error"]]
        if times:
            print(f"  {kind:6s} n={len(times):3d}  median {statistics.median(times) * 1000:7.0f} ms  p95 {p95(times) * 1000:7.0f} ms")
    all_times = [r["seconds"] for r in results if not r["error"]]
    print(f"p95 latency (all): {p95(all_times) * 1000:.0f} ms")
    print(f"in-process, one at a time: {reference_rate:.2f} req/s ({reference_seconds:.1f} s)")
    print(f"served, {args.users} users:        {served_rate:.2f} req/s ({served_seconds:.1f} s)")
    print(f"throughput ratio (served / in-process): {served_rate / reference_rate:.2f}x  (goal >= 1.6x)")
    print(f"peak RSS, server + children: {peak[0] / 1024:.0f} MB")
    cores = os.cpu_count() or 1
    if reference_cpu > 0 and server_cpu > 0:
        # What the cores allow: every core busy with nothing but the work each side measured.
        print(
            f"ceiling on {cores} cores: in-process work alone {cores / (reference_cpu / len(work)) / reference_rate:.2f}x, "
            f"with the server's own CPU per request {cores / (server_cpu / len(results)) / reference_rate:.2f}x"
        )
    print(f"CPU per request: in-process {reference_cpu / len(work) * 1000:.0f} ms, server {server_cpu / len(results) * 1000:.0f} ms")
    print(
        f"CPU while serving: server {server_cpu:.1f} s, this bench's {args.users} clients {client_cpu:.1f} s, "
        f"over {served_seconds:.1f} s on {os.cpu_count()} cores (machine load average {os.getloadavg()[0]:.1f})"
    )
    if queue:
        print(f"burst: {queue['submitted']} at once -> {queue['queue_full']} refused as queue-full, {queue['other_errors']} other errors")
        for message in queue["messages"]:
            print(f"  message: {message}")
    for r in errors[:5]:
        print(f"  error: {r['kind']} seed {r['seed']}: {r['error'][:200]}")
    return 0 if not errors and not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
