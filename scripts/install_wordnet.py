"""Make WordNet 3.0 available to NLTK inside this virtual environment (run by scripts/setup.sh).

Order: a WordNet NLTK already finds is kept; else the Debian files (`wordnet-base`,
`wordnet-sense-index`, under /usr/share/wordnet or $WNSEARCHDIR) are COPIED into
<venv>/share/nltk_data/corpora/wordnet (NLTK 3.10 refuses symlinks and hardlinks
into its data dirs); else `nltk.download("wordnet")` is tried. Debian leaves out the
`lexnames` file NLTK's reader opens first, so it is written from the list in
WordNet's lexnames(5WN) manual page. Never fails setup: without WordNet the synonym
ops report themselves disabled with the reason.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from augmenters.text._wordnet import WORDNET_FILES, find_wordnet  # noqa: E402

OPTIONAL_FILES = ("index.sense", "cntlist.rev")  # sense keys and SemCor counts (used to rank senses)
DEBIAN_DIRS = [os.environ.get("WNSEARCHDIR", ""), "/usr/share/wordnet", "/usr/local/WordNet-3.0/dict"]
TARGET = Path(sys.prefix) / "share" / "nltk_data" / "corpora" / "wordnet"

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


def debian_source() -> Path | None:
    needed = [n for n in WORDNET_FILES if n != "lexnames"]
    for folder in filter(None, DEBIAN_DIRS):
        if all((Path(folder) / name).is_file() for name in needed):
            return Path(folder)
    return None


def copy_from(source: Path, target: Path) -> None:
    """Copy into a temp folder next to the target, then rename: never a half-filled WordNet."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".wordnet.", dir=target.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; the venv is readable by all
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


def check() -> str:
    """Load WordNet through NLTK as the ops do; returns a few synonyms of 'dog' as proof."""
    from nltk.corpus import wordnet

    lemmas = wordnet.synsets("dog")[0].lemma_names()
    return ", ".join(lemmas)


def main() -> int:
    found = find_wordnet()
    if found is None:
        source = debian_source()
        if source is not None:
            print(f"install_wordnet: copying WordNet from {source} to {TARGET}")
            copy_from(source, TARGET)
        else:
            print("install_wordnet: no Debian WordNet files; trying nltk.download('wordnet')")
            import nltk

            nltk.download("wordnet", download_dir=str(TARGET.parent.parent), quiet=True, raise_on_error=False)
        found = find_wordnet()
    if found is None:
        print(
            "install_wordnet: WordNet not available; synonym_swap and synonym_insert stay disabled. "
            "Install it with: sudo apt-get install wordnet-base wordnet-sense-index, then re-run make setup.",
            file=sys.stderr,
        )
        return 0
    try:
        print(f"install_wordnet: WordNet at {found} works (dog: {check()})")
    except Exception as exc:  # a broken copy must be visible, not silently used
        print(f"install_wordnet: WordNet at {found} does not load: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
