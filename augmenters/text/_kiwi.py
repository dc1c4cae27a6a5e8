"""Korean sentence structure from Kiwi (kiwipiepy), for the ops that move or drop Korean words.

A Korean word (eojeol) is a content morpheme with its particles or endings attached: "서울은",
"맑고". Kiwi tags each morpheme, which says what a word is: a predicate (it carries an ending,
and a clause ends with it), an argument (a noun with its particle) or a modifier. Ops move
and drop whole arguments and modifiers inside a clause, so particles and endings stay with
their word and every clause keeps its predicate. Kiwi and its model load lazily, once per
process (about 10 s); analyses are cached by text.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from functools import lru_cache

import regex

from ..core.augmenter import Health

HANGUL = regex.compile(r"\p{Hangul}")
_LOCK = threading.Lock()


def health() -> Health:
    for module, package in (("kiwipiepy", "kiwipiepy"), ("kiwipiepy_model", "kiwipiepy-model")):
        if importlib.util.find_spec(module) is None:  # finds, does not import
            return Health("disabled", f"Korean ops need Kiwi: pip install kiwipiepy kiwipiepy-model (missing {package})")
    return Health()


class KiwiOp:
    """Mixin for the ops that run on Kiwi's analysis: their backend and health."""

    backend = "kiwi"

    def check_health(self) -> Health:
        return health()


def is_hangul_word(word: str) -> bool:
    return HANGUL.search(word) is not None


@lru_cache(maxsize=1)
def _analyser():
    from kiwipiepy import Kiwi

    return Kiwi()


@dataclass(frozen=True)
class Morpheme:
    form: str
    tag: str
    start: int  # character offsets in the text
    end: int


@lru_cache(maxsize=4096)
def morphemes(text: str) -> tuple[Morpheme, ...]:
    """Kiwi's best analysis of `text`."""
    with _LOCK:
        tokens = _analyser().tokenize(text)
    return tuple(Morpheme(t.form, t.tag, t.start, t.start + t.len) for t in tokens)


@dataclass(frozen=True)
class Word:
    """One Hangul word token: its morphemes and its role in the sentence."""

    morphemes: tuple[Morpheme, ...]
    clause: int

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(m.tag for m in self.morphemes)

    @property
    def is_predicate(self) -> bool:
        """It carries an ending (다, 고, 습니다) or is a bare verb or adjective: it closes a clause."""
        return any(t.startswith("E") or t in ("VV", "VA", "VX", "VCP", "VCN") for t in self.tags)

    @property
    def is_adjective(self) -> bool:
        """An adjective stem comes first (좋다, 맛있는), so a degree adverb may stand before it."""
        return bool(self.tags) and self.tags[0] == "VA"


def structure(tokens: list[str], where: list[int]) -> dict[int, Word]:
    """Word position -> Word, for every word with Hangul in it.

    Clause numbers grow after each predicate and at anything but plain spaces between words
    (punctuation, a line break), so a clause is what ops may reorder or cut within.
    """
    text = "".join(tokens)
    starts, at = [], 0
    for tok in tokens:
        starts.append(at)
        at += len(tok)
    found = morphemes(text)
    out: dict[int, Word] = {}
    clause, previous = 0, None
    for k, i in enumerate(where):
        if previous is not None and any(not t.isspace() or "\n" in t for t in tokens[previous + 1 : i]):
            clause += 1
        lo, hi = starts[i], starts[i] + len(tokens[i])
        if is_hangul_word(tokens[i]):
            word = Word(tuple(m for m in found if lo <= m.start < hi), clause)
            out[k] = word
            if word.is_predicate:
                clause += 1
        else:
            clause += 1  # a foreign word is a wall: Korean word order is not moved across it
        previous = i
    return out


def boundaries(word: Word, offset: int) -> list[int]:
    """Places inside a word (character index) where a noun meets another noun, a suffix or a
    particle without fusing: where people misplace spaces ("기온 변화", "학교 에"); a verb stem
    is never split from its ending."""
    out = []
    for a, b in zip(word.morphemes, word.morphemes[1:]):
        if a.end == b.start and b.start > offset and a.tag[:1] == "N" and b.tag[:1] in "NJX" and b.start not in out:
            out.append(b.start - offset)
    return out
