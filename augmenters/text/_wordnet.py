"""WordNet synonyms through NLTK's reader, found and loaded lazily.

`find_wordnet` only looks at files (the health check must stay cheap: importing
nltk alone takes a second), over the folders NLTK searches, augplay's cache, and
Debian's WordNet (copied into that cache at first use: a Space has no `make setup`).
NLTK's reader seeks in shared file handles, so every lookup holds one lock.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
from functools import lru_cache
from pathlib import Path

from ..core.augmenter import Health
from ._stopwords import STOPWORDS
from ._wordnet_files import WORDNET_FILES, cache_root, debian_source, is_complete, prepare_from_debian
from ._tokens import is_single_word

MISSING_REASON = (
    "WordNet not found: run make setup (it copies WordNet into .venv/share/nltk_data), "
    "or apt-get install wordnet-base wordnet-sense-index and then python scripts/install_wordnet.py"
)
_POS_ORDER = ("n", "v", "a", "r")
_LOCK = threading.RLock()


def nltk_search_paths() -> list[Path]:
    """The folders nltk.data.path lists on Linux and macOS, in its order (see nltk/data.py)."""
    paths = [Path(p).expanduser() for p in os.environ.get("NLTK_DATA", "").split(os.pathsep) if p]
    paths.append(Path("~/nltk_data").expanduser())
    paths += [Path(sys.prefix, "nltk_data"), Path(sys.prefix, "share", "nltk_data"), Path(sys.prefix, "lib", "nltk_data")]
    paths += [Path(p) for p in ("/usr/share/nltk_data", "/usr/local/share/nltk_data", "/usr/lib/nltk_data", "/usr/local/lib/nltk_data")]
    return paths


def find_wordnet() -> Path | None:
    """The first WordNet NLTK would load (an unpacked folder with every file, or nltk.download's zip),
    else the copy in augplay's cache, else Debian's files (prepared at first use)."""
    for root in nltk_search_paths():
        folder = root / "corpora" / "wordnet"
        if is_complete(folder):
            return folder
        if (root / "corpora" / "wordnet.zip").is_file():
            return root / "corpora" / "wordnet.zip"
    cached = cache_root() / "corpora" / "wordnet"
    return cached if is_complete(cached) else debian_source()


def is_nltk_layout(found: Path) -> bool:
    """`<nltk_data>/corpora/wordnet[.zip]`, as opposed to Debian's /usr/share/wordnet."""
    return found.parent.name == "corpora"


def _data_root(found: Path) -> Path | None:
    """The nltk_data folder to add to NLTK's path for `found`; None when NLTK searches it already."""
    if not is_nltk_layout(found):  # Debian's folder: copy it, with lexnames
        return prepare_from_debian(found)
    root = found.parent.parent
    return None if root in nltk_search_paths() else root


def health() -> Health:
    if importlib.util.find_spec("nltk") is None:  # finds, does not import
        return Health("disabled", "nltk is not installed: run make setup (or pip install nltk)")
    return Health() if find_wordnet() is not None else Health("disabled", MISSING_REASON)


@lru_cache(maxsize=1)
def _reader():
    import nltk

    found = find_wordnet()
    root = _data_root(found) if found is not None else None
    if root is not None and str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))
    from nltk.corpus import wordnet

    wordnet.ensure_loaded()
    return wordnet


def _usable(lemma: str) -> bool:
    """A lemma whose every part is one word token ("U.S." would add punctuation)."""
    return all(is_single_word(part) for part in lemma.split(" "))


def is_content_word(word: str) -> bool:
    return word.lower() not in STOPWORDS and not any(ch.isdigit() for ch in word)


@lru_cache(maxsize=65536)
def synonyms(word: str, senses: int = 0, inflected: bool = False) -> tuple[str, ...]:
    """Synonyms of `word` in its most frequent part of speech, in WordNet's sense order.

    With no tagger, the part of speech comes from WordNet itself: the one whose senses
    of this word are tagged most often in SemCor (the counts WordNet ships). `senses`
    keeps only that many of the most frequent senses (0 = all). Unless `inflected`,
    only base forms are replaced ("ran" would get base-form synonyms like "escape").
    """
    lower = word.lower()
    if not is_content_word(lower):
        return ()
    with _LOCK:
        wn = _reader()
        ranked = []
        for order, pos in enumerate(_POS_ORDER):
            synsets = wn.synsets(lower, pos=pos)
            own = [lem for s in synsets for lem in s.lemmas() if lem.name().lower() == lower]
            if synsets and (own or inflected):
                ranked.append((-sum(lem.count() for lem in own), -len(synsets), order, synsets))
        if not ranked:
            return ()
        # Only the dominant part of speech: "fox" the animal never becomes "flim-flam" the verb.
        synsets = min(ranked, key=lambda item: item[:3])[3]
        names = [lem.name().replace("_", " ") for s in synsets[: senses or None] for lem in s.lemmas()]
    out: list[str] = []
    for name in names:
        # Capitalised lemmas are names ("Charles James Fox" for "fox"): a common word never becomes one.
        if name.lower() != lower and name == name.lower() and name not in out and _usable(name):
            out.append(name)
    return tuple(out)
