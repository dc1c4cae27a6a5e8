"""Replace content words with a WordNet synonym (EDA's synonym replacement), keeping case and punctuation."""

from __future__ import annotations

from ..core.params import Flag, Int, Spec
from ..core.registry import register
from . import _wordnet
from ._tokens import match_case
from ._word_edits import WordEdit
from ._word_settings import amount_settings


def wordnet_settings() -> tuple:
    return (
        Int("senses", default=1, min=0, max=100, help="Use only the word's N most frequent WordNet senses (0 = all)"),
        Flag("inflected", default=False, help="Also use inflected forms (ran, dogs), through their base form's synonyms"),
    )


@register("synonym_swap")
class SynonymSwap(WordEdit):
    family = "word"
    backend = "nltk-wordnet"
    description = "Replace content words by a WordNet synonym from the word's most frequent part of speech."
    caution = "WordNet senses are not disambiguated: 'bank' may become 'depository' in a river text."
    spec = Spec(*amount_settings("words"), *wordnet_settings())
    replacement_key = "synonym"
    multi_word = True  # "domestic dog"; each part is checked to be one word in _wordnet

    def check_health(self):
        return _wordnet.health()

    def eligible(self, word, settings):
        return _wordnet.is_content_word(word)

    def edit(self, word, settings, rng):
        options = _wordnet.synonyms(word, settings["senses"], settings["inflected"])
        if not options:
            return None
        return match_case(word, options[int(rng.integers(len(options)))])
