"""Where the browser tests' Chromium is: found on PATH (Debian names it chromium), not hard-coded."""

from __future__ import annotations

import os
import shutil

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium_path() -> str:
    """$AUGPLAY_CHROMIUM, else the first Chromium on PATH; a clear error naming the fix otherwise."""
    chosen = os.environ.get("AUGPLAY_CHROMIUM") or next(filter(None, map(shutil.which, NAMES)), None)
    if not chosen or not os.access(chosen, os.X_OK):
        raise RuntimeError(
            "no Chromium found for the browser tests (looked for $AUGPLAY_CHROMIUM, then "
            f"{', '.join(NAMES)} on PATH): run `make setup` as root, or `sudo apt-get install chromium`"
        )
    return chosen
