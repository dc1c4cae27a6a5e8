"""Characters misread the way OCR misreads print: 0/O, 1/l/I, rn/m, cl/d, vv/w (nlpaug's OcrAug, extended)."""

from __future__ import annotations

from functools import lru_cache

from ..core.params import Spec
from ..core.registry import register
from . import _nlpaug_data
from ._char_edits import CharEdit, char_settings
from ._tokens import count_to_change

# augplay's list of print confusions; each pair works both ways. nlpaug's letter/digit pairs are added.
OCR_PAIRS = (
    ("0", "O"), ("0", "o"), ("1", "l"), ("1", "I"), ("l", "I"), ("5", "S"), ("8", "B"), ("2", "Z"),
    ("6", "b"), ("9", "g"), ("9", "q"), ("e", "c"), ("a", "o"), ("h", "b"), ("u", "v"), ("n", "h"),
    ("rn", "m"), ("cl", "d"), ("vv", "w"), ("VV", "W"), ("ii", "u"), ("li", "h"), ("ri", "n"), ("in", "m"),
)
MAX_KEY = max(len(seen) for pair in OCR_PAIRS for seen in pair)


@lru_cache(maxsize=1)
def confusions() -> dict[str, tuple[str, ...]]:
    """What each character (or pair of characters) may be misread as."""
    table: dict[str, set[str]] = {}
    for a, b in OCR_PAIRS + _nlpaug_data.ocr_pairs():
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
    return {seen: tuple(sorted(read)) for seen, read in table.items()}


@lru_cache(maxsize=65536)
def sites(word: str, keep_first_last: bool) -> tuple[tuple[int, str], ...]:
    """(start, text) of every place in the word with a known confusion."""
    table = confusions()
    lo, hi = (1, len(word) - 1) if keep_first_last else (0, len(word))
    return tuple(
        (i, word[i : i + size])
        for i in range(lo, hi)
        for size in range(1, MAX_KEY + 1)
        if i + size <= hi and word[i : i + size] in table
    )


@register("ocr_error")
class OcrError(CharEdit):
    backend = "nlpaug-data"
    description = "Replace characters by what OCR often reads instead (0/O, 1/l/I, rn/m, cl/d, vv/w, ...)."
    caution = "Digits and letters trade places: numbers, codes and names stop being exact."
    spec = Spec(*char_settings())

    def check_health(self):
        return _nlpaug_data.health("char", "ocr", "en.json")

    def eligible(self, word, settings):
        return len(word) >= settings["min_chars"] and bool(sites(word, settings["keep_first_last"]))

    def edit(self, word, settings, rng):
        found = sites(word, settings["keep_first_last"])
        n = count_to_change(len(word), settings["aug_char_p"], settings["aug_char_min"], settings["aug_char_max"])
        taken: list[tuple[int, str]] = []
        used: set[int] = set()
        for j in rng.permutation(len(found)):
            if len(taken) == n:
                break
            start, seen = found[int(j)]
            span = set(range(start, start + len(seen)))
            if not span & used:  # "rn" and "n" overlap: one misreading per character
                taken.append((start, seen))
                used |= span
        table = confusions()
        out = word
        for start, seen in sorted(taken, reverse=True):
            options = table[seen]
            out = out[:start] + options[int(rng.integers(len(options)))] + out[start + len(seen) :]
        return out
