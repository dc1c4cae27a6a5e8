"""Hangul syllables as jamo, and the 두벌식 (standard two-set) keyboard they are typed on.

A syllable U+AC00 + (initial × 21 + medial) × 28 + final splits into three jamo and composes
back by the same arithmetic, so every edit here yields a valid precomposed syllable.
"""

from __future__ import annotations

from functools import lru_cache

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ("",) + tuple("ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
_BASE, _LAST = 0xAC00, 0xD7A3

# The 두벌식 letter rows, unshifted, left to right (q..p, a..l, z..m): rows are staggered like QWERTY.
ROWS = ("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ")
# Shift gives the tense consonants and two vowels: a missed or extra Shift swaps these.
SHIFT = {"ㅂ": "ㅃ", "ㅈ": "ㅉ", "ㄷ": "ㄸ", "ㄱ": "ㄲ", "ㅅ": "ㅆ", "ㅐ": "ㅒ", "ㅔ": "ㅖ"}
SHIFT.update({v: k for k, v in list(SHIFT.items())})


def is_syllable(ch: str) -> bool:
    return len(ch) == 1 and _BASE <= ord(ch) <= _LAST


def split(ch: str) -> tuple[str, str, str]:
    """(initial, medial, final) of a syllable; final is "" when it has no 받침."""
    code = ord(ch) - _BASE
    return INITIALS[code // 588], MEDIALS[(code % 588) // 28], FINALS[code % 28]


def join(initial: str, medial: str, final: str = "") -> str:
    return chr(_BASE + (INITIALS.index(initial) * 21 + MEDIALS.index(medial)) * 28 + FINALS.index(final))


def is_vowel(jamo: str) -> bool:
    return jamo in MEDIALS


@lru_cache(maxsize=None)
def neighbours(jamo: str) -> tuple[str, ...]:
    """Keys next to `jamo`'s key of the same kind (consonant or vowel), so the syllable still composes."""
    place = {ch: (r, c) for r, row in enumerate(ROWS) for c, ch in enumerate(row)}
    if jamo not in place:
        return ()
    r, c = place[jamo]
    # Staggered rows: the keys touching (r, c) are c-1, c+1 in its row, c, c+1 above and c-1, c below.
    spots = [(r, c - 1), (r, c + 1), (r - 1, c), (r - 1, c + 1), (r + 1, c - 1), (r + 1, c)]
    out = []
    for rr, cc in spots:
        if 0 <= rr < len(ROWS) and 0 <= cc < len(ROWS[rr]):
            key = ROWS[rr][cc]
            if is_vowel(key) == is_vowel(jamo):
                out.append(key)
    return tuple(out)
