"""Synonyms that fit the sentence: WordNet candidates in sense-frequency order, scored in context.

WordNet lists every sense of a word and nothing says which one a sentence uses, so "call" in
"phone call" may become "name". Each candidate replaces its word in the sentence and the
project's similarity model scores all those sentences against the source in one batched call,
together with the sentence that leaves the word out. A candidate's fit is the share of the
meaning lost by leaving the word out that it brings back: 1 = as good as the word itself,
0 = no better than deleting it. A raw similarity would not do: one word of twenty moves it
by a few hundredths whatever replaces it. Only candidates with fit >= `min_fit` are drawn from. The draw comes from the
step's Generator and the chosen words (with their fit) go on the record, so replay needs no
model. Without the model, or for text it cannot read, candidates are unscored and the
record says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import AugmenterUnavailableError
from ..core.params import Check, Flag, Float, Int, OneOf, Rule
from . import _wordnet
from ._protect import split
from ._tokens import count_to_change, match_case, tokenize, word_indices


def sense_settings(min_fit: float = 0.25) -> tuple:
    return (
        Int("senses", default=0, min=0, max=100, help="Use only the word's N most frequent WordNet senses (0 = all)"),
        Flag("inflected", default=False, help="Also use inflected forms (ran, dogs), through their base form's synonyms"),
        Flag("multi_word", default=True, help="Allow synonyms of several words ('domestic dog' for 'dog')"),
        Flag("context", default=True, help="Score candidates in the sentence with the similarity model; keep those that fit"),
        Int("candidates", default=10, min=1, max=50, help="Try at most this many synonyms per word, most frequent senses first"),
        Float(
            "min_fit", default=min_fit, min=0.0, max=1.0, step=0.01,
            help="Keep a synonym that brings back at least this share of the meaning lost by leaving its word out",
        ),
    )


@dataclass(frozen=True)
class Candidates:
    tokens: list
    where: list
    n: int  # how many words the amount settings ask for
    guarded: list  # positions of the protected words
    protected: list  # the protected words, as the record lists them
    kept: dict  # word position -> [(synonym, fit)] that fit
    context: str  # "scored", "off" or why not scored


def candidates(data: str, settings: dict, rng, case: bool = True) -> Candidates:
    """The fitting synonyms of a shortlist of the text's unprotected content words."""
    tokens = tokenize(data)
    where = word_indices(tokens)
    n = count_to_change(len(where), settings["aug_p"], settings["aug_min"], settings["aug_max"])
    guarded, free = split(tokens, where, settings)
    kept, context = {}, "scored" if settings["context"] else "off"
    if n > 0:
        free = [k for k in free if _wordnet.is_content_word(tokens[where[k]])]
        found = options(tokens, where, shortlist(free, n, rng), settings, case)
        kept, context = fitting(data, tokens, where, found, settings)
    return Candidates(tokens, where, n, guarded, [tokens[where[k]] for k in guarded], kept, context)


def shortlist(positions: list[int], n: int, rng) -> list[int]:
    """A random 3n of the candidate words, ascending: enough to find n that fit, and it keeps the
    scoring batch (one model pass per sentence) small on long texts."""
    return sorted(positions[int(j)] for j in rng.permutation(len(positions))[: 3 * n])


def options(tokens: list[str], where: list[int], positions: list[int], settings: dict, case: bool = True) -> dict:
    """Word position -> its synonyms (in the word's case when `case`), most frequent senses first,
    at most `candidates` of them."""
    out = {}
    present = {tokens[i].lower() for i in where}
    for k in positions:
        word = tokens[where[k]]
        found = _wordnet.synonyms(word, settings["senses"], settings["inflected"])
        # A synonym already in the sentence reads as a repeat ("phone call" -> "phone phone").
        found = [s for s in found if s.lower() not in present and (settings["multi_word"] or " " not in s)]
        found = found[: settings["candidates"]]
        found = [match_case(word, s) if case else s for s in found]
        if found:
            out[k] = found
    return out


def fitting(data: str, tokens: list[str], where: list[int], found: dict, settings: dict) -> tuple[dict, str]:
    """(word position -> [(synonym, fit)] kept, how they were judged).

    `fit` is the similarity of the sentence with that one word replaced, or None when unscored;
    the second value is "scored", "off", or the reason scoring was not possible.
    """
    unscored = {k: [(s, None) for s in syns] for k, syns in found.items()}
    if not settings["context"]:
        return unscored, "off"
    if not found:
        return {}, "scored"
    from ..similarity import similarities, uncovered

    reason = uncovered(data)
    if reason:
        return unscored, f"not scored: {reason}"
    pairs, sentences = [], []
    for k, syns in found.items():
        for syn in (None, *syns):  # None: the sentence without the word
            edited = list(tokens)
            edited[where[k]] = "" if syn is None else syn
            pairs.append((k, syn))
            sentences.append("".join(edited))
    try:
        sims = similarities([data] * len(sentences), sentences)
    except AugmenterUnavailableError as exc:
        return unscored, f"not scored: {exc}"
    kept: dict = {}
    without: dict = {}
    for (k, syn), sim in zip(pairs, sims):
        if syn is None:
            without[k] = sim
            continue
        lost = 1.0 - without[k]
        fit = round(max(-1.0, min(1.0, (sim - without[k]) / lost)), 4) if lost > 1e-4 else 1.0
        if fit >= settings["min_fit"]:
            kept.setdefault(k, []).append((syn, fit))
    return kept, "scored"


def fit_rule() -> Rule:
    """The record's `fit`: a similarity, or None when unscored."""
    return Check(lambda v: v is None or (isinstance(v, float) and -1.0 <= v <= 1.0), "a similarity in [-1, 1] or null")


def context_rule(settings: dict) -> Rule:
    """The record's `context`: "off" when the setting is off, else "scored" or why not."""
    if not settings["context"]:
        return OneOf(("off",))
    return Check(lambda v: isinstance(v, str) and v not in ("", "off"), "'scored' or why scoring was not possible")
