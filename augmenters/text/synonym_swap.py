"""Replace content words with a WordNet synonym that fits the sentence (EDA's synonym replacement, in context)."""

from __future__ import annotations

from ..core.params import Items, Spec
from ..core.registry import register
from . import _sense, _wordnet
from ._protect import protect_settings
from ._rules import TEXT, budget, word_changes, words_of
from ._word_edits import WordEdit
from ._word_settings import amount_settings


@register("synonym_swap")
class SynonymSwap(WordEdit):
    family = "word"
    backend = "nltk-wordnet"
    description = (
        "Replace content words by a WordNet synonym, most frequent senses first, keeping only those "
        "the similarity model finds fit the sentence."
    )
    caution = "Without the similarity model (or with context off) senses are not disambiguated: 'bank' may become 'depository'."
    spec = Spec(*amount_settings("words"), *_sense.sense_settings(), *protect_settings())
    replacement_key = "synonym"
    multi_word = True  # "domestic dog"; each part is checked to be one word in _wordnet

    def check_health(self):
        return _wordnet.health()

    def sample(self, settings, data, rng):
        found = _sense.candidates(data, settings, rng)
        positions, changes = sorted(found.kept), []
        for j in rng.permutation(len(positions))[: found.n]:
            k = positions[int(j)]
            synonym, fit = found.kept[k][int(rng.integers(len(found.kept[k])))]
            changes.append({"position": k, "word": found.tokens[found.where[k]], "synonym": synonym, "fit": fit})
        changes.sort(key=lambda c: c["position"])
        return {"changes": changes, "protected": found.protected, "context": found.context}

    def param_rules(self, settings, data):
        n = budget(settings, len(words_of(data)[1]))
        return {
            "changes": word_changes(data, n, {"synonym": TEXT, "fit": _sense.fit_rule()}),
            "protected": Items(TEXT, most=len(words_of(data)[1])),
            "context": _sense.context_rule(settings),
        }
