"""A Hugging Face Hub stand-in on 127.0.0.1, so the real `huggingface_hub` client runs in CI offline.

It answers just what `snapshot_download` (repo info, tree listing, HEAD/GET with Range on
`resolve` URLs, with the `X-Repo-Commit` and `ETag` headers) and `create_repo`, `create_branch`,
`upload_folder` (validate-yaml, preupload, the NDJSON commit; every file "regular", no LFS) call.
Point `HF_ENDPOINT` at `FakeHub.url`. Faults for tests: `cut_once` sends half of a file's first
GET and drops the connection; `fail` answers 500 for a path.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


def blob_oid(data: bytes) -> str:
    """git's blob id, which the Hub reports as a regular file's oid and ETag."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Repo:
    kind: str  # "model" | "dataset"
    private: bool = False
    commits: dict[str, dict[str, bytes]] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)

    def commit(self, files: dict[str, bytes], branch: str = "main") -> str:
        digest = hashlib.sha1(json.dumps(sorted((p, blob_oid(d)) for p, d in files.items())).encode())
        digest.update(branch.encode() + str(len(self.commits)).encode())
        sha = digest.hexdigest()
        self.commits[sha] = dict(files)
        self.branches[branch] = sha
        return sha

    def files_at(self, revision: str) -> tuple[str, dict[str, bytes]] | None:
        sha = self.branches.get(revision, revision)
        return (sha, self.commits[sha]) if sha in self.commits else None


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # a client dropping a connection is expected here
        pass


_API = re.compile(r"^/api/(models|datasets)/(.+?)(?:/(revision|tree|preupload|commit|branch|paths-info)/([^/]+)(?:/(.*))?)?$")
_RESOLVE = re.compile(r"^/(datasets/)?(.+?)/resolve/([^/]+)/(.+)$")


class FakeHub:
    def __init__(self, token: str | None = None) -> None:
        self.repos: dict[tuple[str, str], Repo] = {}
        self.token = token  # writes need `Authorization: Bearer <token>` when set
        self.gets: Counter = Counter()  # (repo_id, path) -> GETs of file contents
        self.cut_once: set[str] = set()
        self.fail: set[str] = set()
        self.requests: list[str] = []
        self.ranges: list[tuple[str, int]] = []  # (path, first byte) of each ranged GET: a resumed download
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeHub":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- content --------------------------------------------------------------------------
    def add_model(self, repo_id: str, folder: Path) -> str:
        files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in Path(folder).rglob("*") if p.is_file()}
        return self.repos.setdefault(("model", repo_id), Repo("model")).commit(files)

    def files(self, repo_id: str, kind: str = "dataset", revision: str = "main") -> dict[str, bytes]:
        found = self.repos[(kind, repo_id)].files_at(revision)
        return found[1] if found else {}

    # -- HTTP -------------------------------------------------------------------------------
    def _handler(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet test output
                pass

            def _send(self, status: int, body: bytes = b"", headers: dict | None = None, head: bool = False) -> None:
                self.send_response(status)
                for key, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
                    self.send_header(key, value)
                self.end_headers()
                if body and not head and self.command != "HEAD":
                    self.wfile.write(body)

            def _json(self, status: int, value, headers: dict | None = None) -> None:
                self._send(status, json.dumps(value).encode(), {"Content-Type": "application/json", **(headers or {})})

            def _error(self, status: int, code: str, message: str) -> None:
                self._json(status, {"error": message}, {"X-Error-Code": code, "X-Error-Message": message})

            def _authorized(self) -> bool:
                return hub.token is None or self.headers.get("Authorization") == f"Bearer {hub.token}"

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _repo(self, kind: str, repo_id: str) -> Repo | None:
                repo = hub.repos.get((kind, repo_id))
                if repo is None or (repo.private and not self._authorized()):
                    self._error(404, "RepoNotFound", f"Repository {repo_id} not found")
                    return None
                return repo

            # -- reads ----------------------------------------------------------------------
            def do_HEAD(self) -> None:
                self._resolve(head=True)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                hub.requests.append(f"GET {url.path} {self.headers.get('Range', '')}")
                api = _API.match(url.path)
                if api:
                    return self._api_get(api, parse_qs(url.query))
                self._resolve(head=False)

            def _api_get(self, match, query) -> None:
                kind, repo_id, action, revision = match.group(1)[:-1], unquote(match.group(2)), match.group(3), match.group(4)
                repo = self._repo(kind, repo_id)
                if repo is None:
                    return
                found = repo.files_at(unquote(revision or "main"))
                if found is None:
                    return self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
                sha, files = found
                if action == "tree":
                    return self._tree(files, unquote(match.group(5) or "").strip("/"), query.get("recursive") == ["true"] or query.get("recursive") == ["True"])
                info = {
                    "id": repo_id,
                    "sha": sha,
                    "private": repo.private,
                    "siblings": [{"rfilename": p} for p in sorted(files)],
                }
                self._json(200, info)

            def _tree(self, files: dict[str, bytes], under: str, recursive: bool) -> None:
                prefix = f"{under}/" if under else ""
                inside = {p: d for p, d in files.items() if p.startswith(prefix)}
                if under and not inside:
                    return self._error(404, "EntryNotFound", f"{under} does not exist")
                entries, folders = [], set()
                for path, data in sorted(inside.items()):
                    rest = path[len(prefix):]
                    if recursive or "/" not in rest:
                        entries.append({"type": "file", "oid": blob_oid(data), "size": len(data), "path": path})
                    if "/" in rest:  # its folders are entries too
                        parts = rest.split("/")[:-1]
                        for depth in range(1, (len(parts) if recursive else 1) + 1):
                            folders.add(prefix + "/".join(parts[:depth]))
                entries += [{"type": "directory", "oid": blob_oid(f.encode()), "size": 0, "path": f} for f in sorted(folders)]
                self._json(200, entries)

            def _resolve(self, head: bool) -> None:
                match = _RESOLVE.match(urlparse(self.path).path)
                if not match:
                    return self._error(404, "EntryNotFound", "not found")
                kind = "dataset" if match.group(1) else "model"
                repo_id, revision, path = unquote(match.group(2)), unquote(match.group(3)), unquote(match.group(4))
                repo = self._repo(kind, repo_id)
                if repo is None:
                    return
                found = repo.files_at(revision)
                if found is None:
                    return self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
                sha, files = found
                if path not in files:
                    return self._error(404, "EntryNotFound", f"{path} does not exist", )
                if path in hub.fail:
                    return self._send(500, b"boom", {"X-Repo-Commit": sha})
                data = files[path]
                headers = {"X-Repo-Commit": sha, "ETag": f'"{blob_oid(data)}"', "Accept-Ranges": "bytes"}
                if head:
                    return self._send(200, data, headers, head=True)
                with hub._lock:
                    hub.gets[(repo_id, path)] += 1
                    cut = path in hub.cut_once
                    hub.cut_once.discard(path)
                start = 0
                ranged = re.match(r"bytes=(\d+)-$", self.headers.get("Range", ""))
                if ranged:
                    start = int(ranged.group(1))
                    hub.ranges.append((path, start))
                    headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
                body = data[start:]
                self.send_response(206 if ranged else 200)
                for key, value in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(key, value)
                self.end_headers()
                if cut:  # half the bytes, then the connection drops mid-file
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.wfile.write(body)

            # -- writes ---------------------------------------------------------------------
            def do_POST(self) -> None:
                url = urlparse(self.path)
                hub.requests.append(f"POST {url.path}")
                body = self._body()
                if url.path == "/api/validate-yaml":
                    return self._json(200, {"errors": [], "warnings": []})
                if not self._authorized():
                    return self._error(401, "Unauthorized", "Invalid credentials in Authorization header")
                if url.path == "/api/repos/create":
                    return self._create(json.loads(body))
                api = _API.match(url.path)
                if not api or api.group(3) not in ("preupload", "commit", "branch"):
                    return self._error(404, "EntryNotFound", "no such endpoint")
                kind, repo_id, action = api.group(1)[:-1], unquote(api.group(2)), api.group(3)
                revision = unquote(api.group(4))
                repo = self._repo(kind, repo_id)
                if repo is None:
                    return
                if action == "preupload":
                    files = json.loads(body)["files"]
                    return self._json(200, {"files": [
                        {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False, "oid": None} for f in files
                    ]})
                if action == "branch":
                    if revision in repo.branches:
                        return self._error(409, "Conflict", "Reference already exists")
                    repo.branches[revision] = repo.branches["main"]
                    return self._json(200, {})
                return self._commit(repo, kind, repo_id, revision, body)

            def _create(self, payload: dict) -> None:
                name, org = payload["name"], payload.get("organization")
                repo_id = f"{org}/{name}" if org else name
                kind = payload.get("type") or "model"
                if (kind, repo_id) in hub.repos:
                    return self._error(409, "Conflict", "You already created this repo")
                repo = Repo(kind, private=payload.get("visibility", "public") == "private" or bool(payload.get("private")))
                repo.commit({".gitattributes": b"*.bin filter=lfs\n"})
                hub.repos[(kind, repo_id)] = repo
                prefix = "datasets/" if kind == "dataset" else ""
                self._json(200, {"url": f"{hub.url}/{prefix}{repo_id}"})

            def _commit(self, repo: Repo, kind: str, repo_id: str, revision: str, body: bytes) -> None:
                found = repo.files_at(revision)
                if found is None:
                    return self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
                files = dict(found[1])
                for line in body.splitlines():
                    item = json.loads(line)
                    value = item["value"]
                    if item["key"] == "file":
                        files[value["path"]] = base64.b64decode(value["content"])
                    elif item["key"] == "deletedFile":
                        files.pop(value["path"], None)
                    elif item["key"] != "header":
                        return self._error(400, "BadRequest", f"fake hub does not take {item['key']}")
                sha = repo.commit(files, revision)
                prefix = "datasets/" if kind == "dataset" else ""
                self._json(200, {"commitUrl": f"{hub.url}/{prefix}{repo_id}/commit/{sha}", "commitOid": sha, "pullRequestUrl": None})

        return Handler
