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
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from augmenters.text._wordnet import find_wordnet, is_nltk_layout  # noqa: E402
from augmenters.text._wordnet_files import copy_from, debian_source  # noqa: E402

DATA_DIR = Path(sys.prefix) / "share" / "nltk_data"  # on nltk.data.path for this interpreter


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
    if found is not None and not is_nltk_layout(found):
        found = None  # only Debian's raw files: copy them into the venv now
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
