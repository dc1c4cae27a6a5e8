"""Insert a WordNet synonym of a content word, one that fits the sentence, at a random place (EDA's random insertion)."""

from __future__ import annotations

from ..core.augmenter import Augmenter
from ..core.errors import ReplayError
from ..core.params import All, Fields, Items, Spec, Within
from ..core.registry import register
from . import _sense, _wordnet
from ._protect import protect_settings
from ._tokens import tokenize, word_indices
from ._rules import TEXT, ascending, budget, word_item, words_of
from ._word_settings import amount_settings


@register("synonym_insert")
class SynonymInsert(Augmenter):
    modality = "text"
    family = "word"
    backend = "nltk-wordnet"
    description = "Insert synonyms of random content words (ones that fit the sentence) at random word positions."
    caution = "Inserted words can break grammar ('the dog hound ran'); meaning usually survives."
    spec = Spec(*amount_settings("words"), *_sense.sense_settings(), *protect_settings())

    def check_health(self):
        return _wordnet.health()

    def sample(self, settings, data, rng):
        # A synonym is judged by how well it stands in for its source word in this sentence.
        found = _sense.candidates(data, settings, rng, case=False)
        sources, inserted = sorted(found.kept), []
        tokens, where = found.tokens, found.where
        # Only where a space (or the text's start) comes before the word, never inside "$12.50", a URL
        # or between two protected words ("`make book`").
        guarded = set(found.guarded)
        places = [
            at for at, i in enumerate(where)
            if (i == 0 or tokens[i - 1].isspace()) and not (at in guarded and at - 1 in guarded)
        ] + [len(where)]
        for _ in range(found.n if sources else 0):
            k = sources[int(rng.integers(len(sources)))]
            synonym, fit = found.kept[k][int(rng.integers(len(found.kept[k])))]
            inserted.append(
                {
                    "position": places[int(rng.integers(len(places)))],  # before word `position`; len(where) = after the last
                    "synonym": synonym,
                    "fit": fit,
                    "of": {"position": k, "word": tokens[where[k]]},
                }
            )
        inserted.sort(key=lambda item: item["position"])  # stable: same-place insertions keep their order
        return {"inserted": inserted, "protected": found.protected, "context": found.context}

    def param_rules(self, settings, data):
        tokens, where = words_of(data)
        source = word_item(tokens, where, {})
        item = Fields({"position": Within(0, len(where)), "synonym": TEXT, "fit": _sense.fit_rule(), "of": source})
        return {
            "inserted": All(Items(item, most=budget(settings, len(where))), ascending("position", strict=False)),
            "protected": Items(TEXT, most=len(where)),
            "context": _sense.context_rule(settings),
        }

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
