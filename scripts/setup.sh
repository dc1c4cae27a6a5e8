#!/usr/bin/env bash
# Installs everything augplay needs on a fresh machine: Debian packages (when root),
# the .venv with torch and the project, and the data files (WordNet). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
# WordNet for synonym_swap; Chromium for the browser tests; GL/GLib for OpenCV.
DEBIAN_PACKAGES="wordnet-base wordnet-sense-index chromium chromium-driver libgl1 libglib2.0-0 fonts-nanum"  # fonts-nanum: Korean glyphs for browser tests and screenshots

PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1 || ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: augplay needs Python 3.11 or newer as '$PYTHON' (found: $("$PYTHON" --version 2>&1 || echo none));" >&2
  echo "setup: install it (Debian 12: apt-get install python3) or run: make setup PYTHON=/path/to/python3.11" >&2
  exit 1
fi
# A stock Debian python3 has no ensurepip: `python3 -m venv` needs python3-venv (python3.X-venv).
if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1; then
  DEBIAN_PACKAGES="$DEBIAN_PACKAGES python3-venv"
fi

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for pkg in $DEBIAN_PACKAGES; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
fi
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: not root, so these Debian packages stay missing: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install ${missing[*]}" >&2
    echo "setup: without them synonym_swap is disabled and the browser tests cannot run; the rest works." >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -m venv "$VENV"; then
    rm -rf "$VENV"
    echo "setup: '$PYTHON -m venv' failed; on Debian install python3-venv (as root: apt-get install python3-venv)" >&2
    exit 1
  fi
fi
PIP=("$VENV/bin/python" -m pip install --disable-pip-version-check -q)
"${PIP[@]}" --upgrade pip >/dev/null

# torch and torchvision must be a matching pair; these are the pairs known to import here.
case "$(uname -m)" in
  x86_64) TORCH=("torch==2.14.1" "torchvision==0.29.1") ;;
  aarch64 | arm64) TORCH=("torch==2.9.1" "torchvision==0.24.1") ;;
  *) TORCH=("torch" "torchvision") ;;
esac
if ! "$VENV/bin/python" -c "import torch, torchvision" >/dev/null 2>&1; then
  echo "setup: installing ${TORCH[*]} (large; once)"
  "${PIP[@]}" "${TORCH[@]}"
fi

echo "setup: installing augplay and its dependencies into $VENV"
"${PIP[@]}" -e ".[dev,ray]"  # ray: the optional export engine, tested in CI
# imgaug asks for opencv-python, albumentations for opencv-python-headless: two wheels writing
# one cv2 package, whichever came last winning file by file. Keep only the headless one.
if "$VENV/bin/python" -m pip show opencv-python >/dev/null 2>&1; then
  HEADLESS=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("opencv-python-headless"))')
  "$VENV/bin/python" -m pip uninstall -y -q opencv-python
  "${PIP[@]}" --force-reinstall --no-deps "opencv-python-headless==$HEADLESS"
fi
"$VENV/bin/python" scripts/install_wordnet.py  # copies WordNet where NLTK looks (symlinks are refused)

echo "setup: done"
