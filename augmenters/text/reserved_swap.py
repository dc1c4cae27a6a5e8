"""Swap terms for others of their group of interchangeable terms (nlpaug's ReservedAug).

Each group is one string, "FWD, Fwd, FW": a found term becomes another member of its
group. Terms may be several words; they match whole words only, longest first.
"""

from __future__ import annotations

import regex

from ..core.augmenter import Augmenter
from ..core.errors import ReplayError, SettingsError
from ..core.params import All, Check, Fields, Flag, Items, Spec, TextList, Within
from ..core.registry import register
from ._tokens import choose, count_to_change
from ._rules import TEXT
from ._word_settings import amount_settings


def parse_groups(groups: list[str], where: str = "reserved_swap") -> list[list[str]]:
    """Split each group on commas; refuse groups of one term and terms in two groups."""
    parsed, owner = [], {}
    for n, group in enumerate(groups, start=1):
        terms = list(dict.fromkeys(t.strip() for t in group.split(",") if t.strip()))
        if len(terms) < 2:
            raise SettingsError(f"{where}: group {n} ({group!r}) needs at least two terms separated by commas")
        for term in terms:
            if term in owner:
                raise SettingsError(f"{where}: {term!r} is in group {owner[term]} and group {n}; a term needs one group")
            owner[term] = n
        parsed.append(terms)
    return parsed


def find_terms(text: str, groups: list[list[str]], case_sensitive: bool) -> list[tuple[int, str, int]]:
    """(offset, term as written, group) of every whole-word match, longest term first, no overlaps."""
    terms = sorted({t for g in groups for t in g}, key=lambda t: (-len(t), t))
    if not terms:
        return []
    group_of = {(t if case_sensitive else t.casefold()): i for i, g in enumerate(groups) for t in g}
    pattern = regex.compile(
        r"(?<!\w)(?:" + "|".join(regex.escape(t) for t in terms) + r")(?!\w)",
        0 if case_sensitive else regex.IGNORECASE,
    )
    return [
        (m.start(), m.group(), group_of[m.group() if case_sensitive else m.group().casefold()])
        for m in pattern.finditer(text)
    ]


@register("reserved_swap")
class ReservedSwap(Augmenter):
    modality = "text"
    family = "word"
    backend = "python"
    description = "Swap domain terms for another of their group (e.g. 'FWD, Fwd, FW'), as written in the settings."
    caution = "Only as safe as the groups: put truly interchangeable terms together."
    spec = Spec(
        TextList(
            "groups",
            default=("FWD, Fwd, FW", "Thank you, Thanks, Thx", "e.g., for example, for instance"),
            help="One group of interchangeable terms per line, separated by commas",
        ),
        *amount_settings("found terms", p=0.3),
        Flag("case_sensitive", default=True, help="Match terms only as written (off: 'fwd' matches 'FWD')"),
    )

    def validate_settings(self, settings, where=None):
        validated = super().validate_settings(settings, where)
        parse_groups(validated["groups"], where or self.name)
        return validated

    def sample(self, settings, data, rng):
        groups = parse_groups(settings["groups"])
        found = find_terms(data, groups, settings["case_sensitive"])
        n = count_to_change(len(found), settings["aug_p"], settings["aug_min"], settings["aug_max"])
        changes = []
        if n > 0:
            for j in choose(rng, len(found), n):
                offset, term, g = found[j]
                same = (lambda t: t == term) if settings["case_sensitive"] else (lambda t: t.casefold() == term.casefold())
                others = [t for t in groups[g] if not same(t)]
                changes.append({"offset": offset, "term": term, "replacement": others[int(rng.integers(len(others)))]})
        return {"changes": changes}

    def param_rules(self, settings, data):
        n = count_to_change(len(find_terms(data, parse_groups(settings["groups"]), settings["case_sensitive"])), settings["aug_p"], settings["aug_min"], settings["aug_max"])

        def in_text(change: dict) -> bool:
            return data[change["offset"] : change["offset"] + len(change["term"])] == change["term"]

        change = All(Fields({"offset": Within(0, len(data)), "term": TEXT, "replacement": TEXT}), Check(in_text, "a term found at its offset"))
        return {"changes": Items(change, most=n)}

    def apply(self, data: str, params: dict) -> str:
        out, end = [], 0
        for change in params["changes"]:
            offset, term = change["offset"], change["term"]
            if not isinstance(offset, int) or offset < end or data[offset : offset + len(term)] != term:
                raise ReplayError(f"reserved_swap: the text has no {term!r} at character {offset}")
            out += [data[end:offset], change["replacement"]]
            end = offset + len(term)
        out.append(data[end:])
        return "".join(out)
