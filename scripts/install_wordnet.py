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

import argparse
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from augmenters.text._wordnet import WORDNET_FILES, find_wordnet  # noqa: E402

OPTIONAL_FILES = ("index.sense", "cntlist.rev")  # sense keys and SemCor counts (used to rank senses)
DEBIAN_DIRS = [os.environ.get("WNSEARCHDIR", ""), "/usr/share/wordnet", "/usr/local/WordNet-3.0/dict"]
DATA_DIR = Path(sys.prefix) / "share" / "nltk_data"  # on nltk.data.path for this interpreter

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


def check(data_dir: Path) -> str:
    """Load the copy through a fresh NLTK reader, as the ops do; returns the synonyms of 'dog' as proof."""
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    if str(data_dir) not in nltk.data.path:
        nltk.data.path.insert(0, str(data_dir))  # NLTK only opens files under its data roots
    with warnings.catch_warnings():  # "multilingual functions are not available": we use English only
        warnings.simplefilter("ignore", UserWarning)
        reader = WordNetCorpusReader(nltk.data.find("corpora/wordnet"), None)
    return ", ".join(reader.synsets("dog")[0].lemma_names())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help=f"nltk_data folder to fill (default {DATA_DIR})")
    parser.add_argument("--copy", action="store_true", help="copy the Debian files even if NLTK already finds a WordNet")
    args = parser.parse_args(argv)
    target = args.data_dir / "corpora" / "wordnet"

    found = None if args.copy else find_wordnet()
    if found is None:
        source = debian_source()
        if source is not None:
            print(f"install_wordnet: copying WordNet from {source} to {target}")
            copy_from(source, target)
        else:
            print("install_wordnet: no Debian WordNet files; trying nltk.download('wordnet')")
            import nltk

            nltk.download("wordnet", download_dir=str(args.data_dir), quiet=True, raise_on_error=False)
        found = target if (target / "lexnames").is_file() or target.with_suffix(".zip").is_file() else None
    if found is None:
        print(
            "install_wordnet: WordNet not available; synonym_swap and synonym_insert stay disabled. "
            "Install it with: sudo apt-get install wordnet-base wordnet-sense-index, then re-run make setup.",
            file=sys.stderr,
        )
        return 0
    try:
        proof = check(found.parent.parent)
    except Exception as exc:  # a broken copy must be visible, not silently used
        print(f"install_wordnet: WordNet at {found} does not load: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"install_wordnet: WordNet at {found} works (dog: {proof})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
