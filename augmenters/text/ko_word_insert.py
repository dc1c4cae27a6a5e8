"""Insert a degree adverb (정말, 아주, 꽤 …) before a Korean adjective, found with Kiwi.

Korean has no free WordNet to draw synonyms from here; an intensifier in front of a predicate
(adjectives take degree adverbs, most verbs do not) is the insertion that stays grammatical and keeps the gist ("날씨가 좋다" -> "날씨가 정말 좋다").
"""

from __future__ import annotations

from ..core.augmenter import Augmenter
from ..core.errors import ReplayError
from ..core.params import Items, Spec, TextList
from ..core.registry import register
from . import _kiwi
from ._protect import protect_settings
from ._rules import TEXT, budget, word_changes, words_of
from ._tokens import count_to_change, tokenize, word_indices
from ._word_settings import amount_settings
from .ko_word_delete import movable

ADVERBS = ("정말", "아주", "매우", "꽤", "참", "무척", "진짜", "너무")


@register("ko_word_insert")
class KoWordInsert(_kiwi.KiwiOp, Augmenter):
    modality = "text"
    family = "word"
    description = "Insert a degree adverb (정말, 아주, 꽤 …) before a Korean adjective."
    caution = "Intensifiers shift tone ('좋다' vs '너무 좋다'); leave them out of sentiment-strength labels."
    spec = Spec(
        *amount_settings("words", p=0.1, most=2),
        TextList("adverbs", default=ADVERBS, help="The adverbs to draw from, one per item"),
        *protect_settings(),
    )

    def _targets(self, tokens: list[str], where: list[int], settings: dict) -> tuple[list[int], list[int]]:
        guarded, _, words = movable(tokens, where, settings)
        adverbs = set(settings["adverbs"])
        targets = [
            k for k, w in words.items()
            if w.is_adjective and k not in guarded and not (k and tokens[where[k - 1]] in adverbs)
        ]
        return guarded, targets

    def sample(self, settings, data, rng):
        tokens = tokenize(data)
        where = word_indices(tokens)
        guarded, targets = self._targets(tokens, where, settings)
        adverbs = [a for a in settings["adverbs"] if a.strip()]
        n = count_to_change(len(where), settings["aug_p"], settings["aug_min"], settings["aug_max"])
        n = min(n, len(targets)) if adverbs else 0
        chosen = sorted(targets[int(j)] for j in rng.permutation(len(targets))[:n])
        inserted = [
            {"position": k, "word": tokens[where[k]], "adverb": adverbs[int(rng.integers(len(adverbs)))]} for k in chosen
        ]
        return {"inserted": inserted, "protected": [tokens[where[k]] for k in guarded]}

    def param_rules(self, settings, data):
        where = words_of(data)[1]
        return {
            "inserted": word_changes(data, budget(settings, len(where)), {"adverb": TEXT}),
            "protected": Items(TEXT, most=len(where)),
        }

    def apply(self, data: str, params: dict) -> str:
        tokens = tokenize(data)
        where = word_indices(tokens)
        for item in params["inserted"]:
            k = item["position"]
            if not isinstance(k, int) or not 0 <= k < len(where) or tokens[where[k]] != item["word"]:
                raise ReplayError(f"ko_word_insert: the text has no {item['word']!r} at word position {k}")
        out = list(tokens)
        for item in params["inserted"]:
            out[where[item["position"]]] = item["adverb"] + " " + out[where[item["position"]]]
        return "".join(out)

