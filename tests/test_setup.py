"""What `make setup` promises a fresh machine: one OpenCV, the Python it needs, no hard-coded browser."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPENCV_WHEELS = ("opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv-contrib-python-headless")


def test_one_opencv_wheel_owns_cv2():
    installed = [name for name in OPENCV_WHEELS if _installed(name)]
    assert installed == ["opencv-python-headless"], installed


def _installed(name: str) -> bool:
    try:
        importlib.metadata.distribution(name)
        return True
    except importlib.metadata.PackageNotFoundError:
        return False


def test_python_bounds_match_what_the_code_needs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"].startswith(">=3.11")  # tomllib is 3.11+
    assert sys.version_info >= (3, 11)


def test_setup_refuses_a_too_old_python_with_a_clear_message(tmp_path):
    old = tmp_path / "python3"
    old.write_text("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'Python 3.9.2'; exit 0; fi\nexit 1\n")
    old.chmod(0o755)
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup.sh")],
        env={"PATH": "/usr/bin:/bin", "PYTHON": str(old)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "needs Python 3.11 or newer" in result.stderr and "Python 3.9.2" in result.stderr


def test_the_browser_is_found_not_hard_coded():
    from .chromium import chromium_path

    assert Path(chromium_path()).exists()
    hard_coded = '"/usr/bin/' + 'chromium"'
    for path in [*ROOT.glob("tests/**/*.py"), *ROOT.glob("bench/*.py")]:
        assert hard_coded not in path.read_text(encoding="utf-8"), path
