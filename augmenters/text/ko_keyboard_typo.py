"""Korean typing slips on the 두벌식 layout, made at the jamo level and composed back into syllables.

Four slips, as people make them: a neighbouring key (ㅓ for ㅏ), a missed or extra Shift (ㄱ/ㄲ,
ㅐ/ㅒ), a dropped 받침 (했다 -> 해다), and a 받침 typed as the next syllable's initial (먹어 -> 머거).
Only Hangul syllables change; every result is a valid precomposed syllable.
"""

from __future__ import annotations

from ..core.params import Int, MultiChoice, Spec
from ..core.registry import register
from . import _hangul
from ._protect import protect_settings
from ._word_edits import WordEdit
from ._word_settings import amount_settings

KINDS = ("neighbour", "shift", "drop_final", "move_final")


def slips(word: str, kinds: list[str]) -> list[tuple[str, list[str]]]:
    """(kind, the words that slip could give) for each kind that applies to `word`."""
    chars = list(word)
    found: dict[str, list[str]] = {kind: [] for kind in kinds}

    def put(kind: str, i: int, *syllables: str) -> None:
        if kind in found:
            found[kind].append("".join(chars[:i] + list(syllables) + chars[i + len(syllables) :]))

    for i, ch in enumerate(chars):
        if not _hangul.is_syllable(ch):
            continue
        first, middle, last = _hangul.split(ch)
        for key in _hangul.neighbours(first):
            put("neighbour", i, _hangul.join(key, middle, last))
        for key in _hangul.neighbours(middle):
            put("neighbour", i, _hangul.join(first, key, last))
        for key in _hangul.neighbours(last):
            put("neighbour", i, _hangul.join(first, middle, key))
        if first in _hangul.SHIFT:
            put("shift", i, _hangul.join(_hangul.SHIFT[first], middle, last))
        if middle in _hangul.SHIFT:
            put("shift", i, _hangul.join(first, _hangul.SHIFT[middle], last))
        if _hangul.SHIFT.get(last) in _hangul.FINALS:
            put("shift", i, _hangul.join(first, middle, _hangul.SHIFT[last]))
        if last:
            put("drop_final", i, _hangul.join(first, middle))
            following = chars[i + 1] if i + 1 < len(chars) else ""
            if last in _hangul.INITIALS and _hangul.is_syllable(following) and _hangul.split(following)[0] == "ㅇ":
                _, next_middle, next_last = _hangul.split(following)
                put("move_final", i, _hangul.join(first, middle), _hangul.join(last, next_middle, next_last))
    return [(kind, words) for kind, words in found.items() if words]


@register("ko_keyboard_typo")
class KoKeyboardTypo(WordEdit):
    family = "char"
    backend = "python"
    description = "Korean typos on the 두벌식 keyboard: neighbouring key, Shift slip, dropped or moved 받침."
    caution = "A slip can make another real word (달 -> 딸); names and terms lose their exact form."
    spec = Spec(
        *amount_settings("words", p=0.1),
        Int("jamo_max", default=1, min=1, max=5, help="Slips per chosen word, each on the word as slipped so far"),
        MultiChoice("kinds", default=KINDS, choices=KINDS, help="Which slips to make"),
        *protect_settings(),
    )

    def eligible(self, word, settings):
        return any(_hangul.is_syllable(ch) for ch in word)

    def edit(self, word, settings, rng):
        out = word
        for _ in range(settings["jamo_max"]):
            options = slips(out, settings["kinds"])
            if not options:
                break
            kind, words = options[int(rng.integers(len(options)))]
            out = words[int(rng.integers(len(words)))]
        return out if out != word else None
