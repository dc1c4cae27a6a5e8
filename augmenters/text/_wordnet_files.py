"""WordNet 3.0 files where NLTK can read them: from Debian's `wordnet-base` into a folder we control.

Debian puts the files under /usr/share/wordnet (or $WNSEARCHDIR) without the `lexnames` file
NLTK's reader opens first, and NLTK 3.10 refuses symlinks and hardlinks into its data dirs, so
the files are COPIED, with `lexnames` written from WordNet's lexnames(5WN) manual page. `make
setup` does it into the venv (scripts/install_wordnet.py); a Space, which installs only
requirements.txt and packages.txt, does it at first use into a writable cache.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# The files NLTK's WordNetCorpusReader opens (its _FILES); index.sense is only needed for sense keys.
WORDNET_FILES = (
    "lexnames",
    "index.noun", "index.verb", "index.adj", "index.adv",
    "data.noun", "data.verb", "data.adj", "data.adv",
    "noun.exc", "verb.exc", "adj.exc", "adv.exc",
)
OPTIONAL_FILES = ("index.sense", "cntlist.rev")  # sense keys and SemCor counts (used to rank senses)
CACHE_ENV = "AUGPLAY_CACHE_DIR"

# WordNet 3.0 lexicographer files: number, name, syntactic category (1 noun, 2 verb, 3 adj, 4 adv).
LEXNAMES = (
    "adj.all 3, adj.pert 3, adv.all 4, noun.Tops 1, noun.act 1, noun.animal 1, noun.artifact 1, "
    "noun.attribute 1, noun.body 1, noun.cognition 1, noun.communication 1, noun.event 1, noun.feeling 1, "
    "noun.food 1, noun.group 1, noun.location 1, noun.motive 1, noun.object 1, noun.person 1, "
    "noun.phenomenon 1, noun.plant 1, noun.possession 1, noun.process 1, noun.quantity 1, noun.relation 1, "
    "noun.shape 1, noun.state 1, noun.substance 1, noun.time 1, verb.body 2, verb.change 2, verb.cognition 2, "
    "verb.communication 2, verb.competition 2, verb.consumption 2, verb.contact 2, verb.creation 2, "
    "verb.emotion 2, verb.motion 2, verb.perception 2, verb.possession 2, verb.social 2, verb.stative 2, "
    "verb.weather 2, adj.ppl 3"
)


def lexnames_text() -> str:
    entries = [item.split() for item in LEXNAMES.split(", ")]
    return "".join(f"{i:02d}\t{name}\t{cat}\n" for i, (name, cat) in enumerate(entries))


def debian_dirs() -> list[Path]:
    return [Path(p) for p in (os.environ.get("WNSEARCHDIR", ""), "/usr/share/wordnet", "/usr/local/WordNet-3.0/dict") if p]


def debian_source() -> Path | None:
    """A folder with Debian's WordNet files (every file NLTK reads but `lexnames`), or None."""
    needed = [n for n in WORDNET_FILES if n != "lexnames"]
    for folder in debian_dirs():
        if all((folder / name).is_file() for name in needed):
            return folder
    return None


def cache_root() -> Path:
    """A writable nltk_data folder of augplay's own: $AUGPLAY_CACHE_DIR, else ~/.cache/augplay, else the temp dir."""
    chosen = os.environ.get(CACHE_ENV) or os.path.join(os.environ.get("XDG_CACHE_HOME") or "~/.cache", "augplay")
    for base in (Path(chosen).expanduser(), Path(tempfile.gettempdir()) / "augplay"):
        try:
            base.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(base, os.W_OK):
            return base / "nltk_data"
    return Path(tempfile.gettempdir()) / "augplay" / "nltk_data"


def is_complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in WORDNET_FILES)


def copy_from(source: Path, target: Path) -> None:
    """Copy into a temp folder next to the target, then rename: never a half-filled WordNet."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".wordnet.", dir=target.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; the copy is readable by all
        for name in WORDNET_FILES + OPTIONAL_FILES:
            if (source / name).is_file():
                shutil.copyfile(source / name, staging / name)  # real copies: NLTK rejects links
        if not (staging / "lexnames").is_file():
            (staging / "lexnames").write_text(lexnames_text(), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def prepare_from_debian(source: Path) -> Path:
    """The nltk_data root holding a copy of Debian's WordNet in augplay's cache, copied once."""
    root = cache_root()
    target = root / "corpora" / "wordnet"
    if not is_complete(target):
        try:
            copy_from(source, target)
        except OSError:
            if not is_complete(target):  # another process may have just finished the same copy
                raise
    return root
