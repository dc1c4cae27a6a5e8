"""The bounds contract shared by the text ops: a record names real words, at their positions,
no more of them than the amount settings allow."""

from __future__ import annotations

from ..core.params import All, Check, Fields, Items, Rule, Within
from ._tokens import count_to_change, tokenize, word_indices

TEXT = Check(lambda value: isinstance(value, str) and value != "", "a non-empty string")


def words_of(data: str) -> tuple[list[str], list[int]]:
    """(tokens, the token index of each word), as the ops tokenise."""
    tokens = tokenize(data)
    return tokens, word_indices(tokens)


def budget(settings: dict, count: int, keys: tuple[str, str, str] = ("aug_p", "aug_min", "aug_max")) -> int:
    """How many of `count` items the amount settings allow to change."""
    return count_to_change(count, *(settings[key] for key in keys))


def word_item(tokens: list[str], where: list[int], fields: dict[str, Rule], word_key: str = "word", last: int = -1) -> Rule:
    """A record item naming the word at word position `position` (0 .. len(where) + last) as `word_key`."""

    def at_position(item: dict) -> bool:
        k = item["position"]
        return 0 <= k < len(where) and tokens[where[k]] == item[word_key]

    rules = {"position": Within(0, len(where) + last), word_key: TEXT, **fields}
    return All(Fields(rules), Check(at_position, f"the text's word at that position ({word_key!r})"))


def ascending(key: str, strict: bool = True) -> Check:
    def ordered(items: list) -> bool:
        values = [item[key] for item in items]
        return all(a < b if strict else a <= b for a, b in zip(values, values[1:]))

    return Check(ordered, f"sorted by {key!r}" + (" without repeats" if strict else ""))


def word_changes(data: str, most: int, fields: dict[str, Rule], word_key: str = "word", strict: bool = True) -> Rule:
    """A list of at most `most` items, each naming a word of `data` at its position, in text order."""
    tokens, where = words_of(data)
    return All(Items(word_item(tokens, where, fields, word_key), most=max(0, most)), ascending("position", strict))
