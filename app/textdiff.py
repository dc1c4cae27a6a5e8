"""Token diffs of a variant against its source, as HTML with <del>/<ins> marks for the text table."""

from __future__ import annotations

import difflib
import html
import re

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def diff_ops(source: str, variant: str) -> list[tuple[str, str]]:
    """(kind, text) pieces: kind is "same", "del" or "ins"; joined "same"+"ins" gives the variant."""
    a, b = tokens(source), tokens(variant)
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(b[j1:j2])))
    return pieces


def diff_html(source: str, variant: str) -> str:
    out = []
    for kind, text in diff_ops(source, variant):
        escaped = html.escape(text).replace("\n", "<br>")
        out.append(escaped if kind == "same" else f"<{kind}>{escaped}</{kind}>")
    return "".join(out)
