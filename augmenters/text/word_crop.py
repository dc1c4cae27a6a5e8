"""Cut out one run of consecutive words (nlpaug's RandomWordAug, action crop); never all of them.

The run stays inside one clause: it never crosses punctuation, an emoji or a line break,
so everything but the cut words and one space is left byte-identical.
"""

from __future__ import annotations

from ..core.augmenter import Augmenter
from ..core.errors import ReplayError
from ..core.params import WHOLE, Check, Items, Spec, Within
from ..core.registry import register
from ._tokens import count_to_change, is_plain_space, tokenize, word_indices
from ._protect import protect_settings, split
from ._rules import TEXT, budget, words_of
from ._word_settings import amount_settings


@register("word_crop")
class WordCrop(Augmenter):
    modality = "text"
    family = "word"
    backend = "python"
    description = "Delete one run of consecutive words inside a clause (never across punctuation or lines)."
    caution = "A cut can drop the words that carry the label ('not', the subject)."
    spec = Spec(*amount_settings("words", p=0.2), *protect_settings())

    def sample(self, settings, data, rng):
        tokens = tokenize(data)
        where = word_indices(tokens)
        n = count_to_change(len(where), settings["aug_p"], settings["aug_min"], settings["aug_max"])
        n = min(n, len(where) - 1)
        clause = _clauses(tokens, where)
        guarded = split(tokens, where, settings)[0]
        protected = [tokens[where[k]] for k in guarded]
        while n > 0:  # the longest run that fits in a clause and spares protected words, up to n words
            starts = [
                s for s in range(len(where) - n + 1)
                if clause[s] == clause[s + n - 1] and not any(s <= g < s + n for g in guarded)
            ]
            if starts:
                start = starts[int(rng.integers(len(starts)))]
                return {"start": start, "words": [tokens[i] for i in where[start : start + n]], "protected": protected}
            n -= 1
        return {"start": 0, "words": [], "protected": protected}

    def param_rules(self, settings, data):
        tokens, where = words_of(data)
        n = min(budget(settings, len(where)), len(where) - 1)

        def the_run(params: dict) -> bool:
            start, words = params["start"], params["words"]
            return words == [tokens[i] for i in where[start : start + len(words)]]

        return {
            "start": Within(0, max(0, len(where) - 1)),
            "words": Items(TEXT, most=max(0, n)),
            "protected": Items(TEXT, most=len(where)),
            WHOLE: Check(the_run, "the text's words from position `start`"),
        }

    def apply(self, data: str, params: dict) -> str:
        cut = params["words"]
        if not cut:
            return data
        tokens = tokenize(data)
        where = word_indices(tokens)
        start, end = params["start"], params["start"] + len(cut)
        if (
            not isinstance(start, int)
            or start < 0
            or end > len(where)
            or [tokens[i] for i in where[start:end]] != cut
            or len(set(_clauses(tokens, where)[start:end])) != 1
        ):
            raise ReplayError(f"word_crop: the text does not have {cut} from word position {start}")
        first, last = where[start], where[end - 1]
        # Take the spaces on one side with the run, so no double space is left behind.
        if first > 0 and is_plain_space(tokens[first - 1]):
            first -= 1
        elif last + 1 < len(tokens) and is_plain_space(tokens[last + 1]):
            last += 1
        return "".join(tokens[:first] + tokens[last + 1 :])


def _clauses(tokens: list[str], where: list[int]) -> list[int]:
    """Clause number of each word: it changes at anything between words but plain spaces."""
    out, current = [], 0
    for k, i in enumerate(where):
        if k and any(not tok.isspace() or "\n" in tok for tok in tokens[where[k - 1] + 1 : i]):
            current += 1
        out.append(current)
    return out
