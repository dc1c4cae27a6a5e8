"""띄어쓰기 noise: remove spaces between Korean words or add one inside a word at a morpheme boundary.

Spacing is the most common noise in written Korean ("할 수 있다" / "할수있다", "학교에 갔다" /
"학교에갔다"). Splits happen only where Kiwi sees two morphemes meet, so the characters stay
the same; only spaces between or inside Hangul words change, everything else byte-identical.
"""

from __future__ import annotations

from ..core.augmenter import Augmenter
from ..core.errors import ReplayError
from ..core.params import All, Check, Float, Int, Items, Spec
from ..core.registry import register
from . import _kiwi
from ._protect import protect_settings, split
from ._rules import TEXT, ascending, word_item, words_of
from ._tokens import tokenize, word_indices


def _gaps(tokens: list[str], where: list[int], free: set[int]) -> list[int]:
    """Word positions k whose word and the next are Hangul, free, and one plain space apart."""
    return [
        k for k in range(len(where) - 1)
        if where[k + 1] == where[k] + 2 and tokens[where[k] + 1] == " "
        and k in free and k + 1 in free and _kiwi.is_hangul_word(tokens[where[k]]) and _kiwi.is_hangul_word(tokens[where[k + 1]])
    ]


def _cuts(tokens: list[str], where: list[int], free: set[int]) -> dict[int, list[int]]:
    """Word position -> the character places inside it where a space may go."""
    text_starts, at = [], 0
    for tok in tokens:
        text_starts.append(at)
        at += len(tok)
    words = _kiwi.structure(tokens, where)
    out = {}
    for k, word in words.items():
        places = _kiwi.boundaries(word, text_starts[where[k]])
        if k in free and places:
            out[k] = places
    return out


@register("ko_spacing")
class KoSpacing(_kiwi.KiwiOp, Augmenter):
    modality = "text"
    family = "char"
    description = "Korean spacing noise: join neighbouring Korean words, or split a word where two morphemes meet."
    caution = "Spacing changes can change the reading of a few words (나 가다 / 나가다); labels rarely depend on it."
    spec = Spec(
        Float("join_p", default=0.15, min=0.0, max=1.0, step=0.01, help="Fraction of spaces between Korean words to remove"),
        Float("split_p", default=0.1, min=0.0, max=1.0, step=0.01, help="Fraction of Korean words to split at a morpheme boundary"),
        Int("aug_min", default=1, min=0, max=100, help="Make at least this many spacing changes (when there is room)"),
        *protect_settings(),
    )

    def sample(self, settings, data, rng):
        tokens = tokenize(data)
        where = word_indices(tokens)
        guarded, free = split(tokens, where, settings)
        gaps, cuts = _gaps(tokens, where, set(free)), _cuts(tokens, where, set(free))
        n_join = int(round(settings["join_p"] * len(gaps)))
        n_split = int(round(settings["split_p"] * len(cuts)))
        if n_join + n_split < settings["aug_min"] and (gaps or cuts):
            extra = settings["aug_min"] - n_join - n_split
            joins_first = bool(gaps) and (not cuts or rng.random() < 0.5)
            n_join, n_split = (n_join + extra, n_split) if joins_first else (n_join, n_split + extra)
        n_join, n_split = min(n_join, len(gaps)), min(n_split, len(cuts))
        joined = sorted(gaps[int(j)] for j in rng.permutation(len(gaps))[:n_join])
        split_at = sorted(list(cuts)[int(j)] for j in rng.permutation(len(cuts))[:n_split])
        return {
            "joined": [{"position": k, "word": tokens[where[k]], "next": tokens[where[k + 1]]} for k in joined],
            "split": [
                {"position": k, "word": tokens[where[k]], "at": cuts[k][int(rng.integers(len(cuts[k])))]} for k in split_at
            ],
            "protected": [tokens[where[k]] for k in guarded],
        }

    def param_rules(self, settings, data):
        tokens, where = words_of(data)
        inside = Check(lambda at: isinstance(at, int) and at > 0, "a place inside the word")
        joined = word_item(tokens, where, {"next": TEXT}, last=-1)
        split_item = word_item(tokens, where, {"at": inside})
        return {
            "joined": All(Items(joined, most=len(where)), ascending("position")),
            "split": All(Items(split_item, most=len(where)), ascending("position")),
            "protected": Items(TEXT, most=len(where)),
        }

    def apply(self, data: str, params: dict) -> str:
        tokens = tokenize(data)
        where = word_indices(tokens)
        out = list(tokens)

        def check(item: dict) -> int:
            k = item["position"]
            if not isinstance(k, int) or not 0 <= k < len(where) or tokens[where[k]] != item["word"]:
                raise ReplayError(f"ko_spacing: the text has no {item['word']!r} at word position {k}")
            return k

        for item in params["joined"]:
            k = check(item)
            if k + 1 >= len(where) or where[k + 1] != where[k] + 2 or tokens[where[k + 1]] != item["next"]:
                raise ReplayError(f"ko_spacing: {item['word']!r} is not followed by {item['next']!r}")
            out[where[k] + 1] = ""
        for item in params["split"]:
            k, at = check(item), item["at"]
            word = tokens[where[k]]
            if not isinstance(at, int) or not 0 < at < len(word):
                raise ReplayError(f"ko_spacing: cannot split {word!r} at {at}")
            out[where[k]] = word[:at] + " " + word[at:]
        return "".join(out)
