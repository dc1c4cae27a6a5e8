"""Insert a WordNet synonym of a random word at a random place (EDA's random insertion)."""

from __future__ import annotations

from ..core.augmenter import Augmenter
from ..core.errors import ReplayError
from ..core.params import All, Fields, Items, Spec, Within
from ..core.registry import register
from . import _wordnet
from ._tokens import count_to_change, tokenize, word_indices
from ._rules import TEXT, ascending, budget, word_item, words_of
from ._word_settings import amount_settings
from .synonym_swap import wordnet_settings


@register("synonym_insert")
class SynonymInsert(Augmenter):
    modality = "text"
    family = "word"
    backend = "nltk-wordnet"
    description = "Insert synonyms of random content words at random word positions."
    caution = "Inserted words can break grammar ('the dog hound ran'); meaning usually survives."
    spec = Spec(*amount_settings("words"), *wordnet_settings())

    def check_health(self):
        return _wordnet.health()

    def sample(self, settings, data, rng):
        tokens = tokenize(data)
        where = word_indices(tokens)
        n = count_to_change(len(where), settings["aug_p"], settings["aug_min"], settings["aug_max"])
        sources = []
        if n > 0:
            for k, i in enumerate(where):
                options = _wordnet.synonyms(tokens[i], settings["senses"], settings["inflected"])
                if options:
                    sources.append((k, tokens[i], options))
        inserted = []
        for _ in range(n if sources else 0):
            k, word, options = sources[int(rng.integers(len(sources)))]
            inserted.append(
                {
                    "position": int(rng.integers(len(where) + 1)),  # before word `position`; len(where) = after the last
                    "synonym": options[int(rng.integers(len(options)))],
                    "of": {"position": k, "word": word},
                }
            )
        inserted.sort(key=lambda item: item["position"])  # stable: same-place insertions keep their order
        return {"inserted": inserted}

    def param_rules(self, settings, data):
        tokens, where = words_of(data)
        source = word_item(tokens, where, {})
        item = Fields({"position": Within(0, len(where)), "synonym": TEXT, "of": source})
        return {"inserted": All(Items(item, most=budget(settings, len(where))), ascending("position", strict=False))}

    def apply(self, data: str, params: dict) -> str:
        tokens = tokenize(data)
        where = word_indices(tokens)
        before: dict[int, list[str]] = {}
        for item in params["inserted"]:
            source, at = item["of"], item["position"]
            k = source["position"]
            if not isinstance(k, int) or not 0 <= k < len(where) or tokens[where[k]] != source["word"]:
                raise ReplayError(f"synonym_insert: the text has no {source['word']!r} at word position {k}")
            if not isinstance(at, int) or not 0 <= at <= len(where):
                raise ReplayError(f"synonym_insert: word position {at} is outside a text of {len(where)} words")
            before.setdefault(at, []).append(item["synonym"])
        out = list(tokens)
        for at, synonyms in before.items():
            if at < len(where):
                out[where[at]] = "".join(s + " " for s in synonyms) + out[where[at]]
            else:  # after the last word, which may also get insertions before it
                out[where[-1]] = out[where[-1]] + "".join(" " + s for s in synonyms)
        return "".join(out)
