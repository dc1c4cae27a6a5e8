"""The Text tab's table: each variant's token diff against the source (<del>/<ins>), its scores and status."""

from __future__ import annotations

import difflib
import functools
import html
import re
from typing import Any

from .messages import session_language, translate
from .ui_text import word

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


# Inside a change, whitespace is drawn: a removed space or an added line break must be seen.
_VISIBLE_SPACE = {" ": "·", "\t": "→", "\n": "↵<br>", "\u00a0": "⍽"}


def _visible(text: str) -> str:
    return "".join(_VISIBLE_SPACE.get(c, html.escape(c)) for c in text)


def diff_html(source: str, variant: str) -> str:
    out = []
    for kind, text in diff_ops(source, variant):
        if kind == "same":
            out.append(html.escape(text).replace("\n", "<br>"))
        else:
            out.append(f"<{kind}>{_visible(text)}</{kind}>")
    return "".join(out)


def _fraction(value: Any) -> str:
    return "—" if value is None else f"{float(value):.2f}"


def _similarity(row: dict, words, language: str) -> str:
    """The score, or "not scored" where no scorer can judge the text: the reason, which says how to
    get a score (`augplay models pull …`), is the tooltip."""
    reason = row.get("record", {}).get("similarity_unavailable")
    if row.get("similarity") is None and reason:
        return f"<span title='{html.escape(translate(reason, language), quote=True)}'>{words('table_not_scored')}</span>"
    return _fraction(row.get("similarity"))


def text_table(source: str | None, rows: list[dict] | None, min_similarity: float = 0.0, language: str | None = None) -> str:
    """The variants as an HTML table, changes marked; variants under `min_similarity` are greyed out.

    Headers and notes are in `language` (default: the session's, as the browser asks).
    """
    if not rows:
        return ""
    language = language or session_language()
    words = functools.partial(word, language=language)
    source = source or ""
    per_line = any(row.get("line") is not None for row in rows)
    body = []
    for row in rows:
        similarity = row.get("similarity")
        below = similarity is not None and float(similarity) < float(min_similarity)
        failed = row.get("record", {}).get("failed")  # the pipeline's own min_similarity gave up on it
        unscored = similarity is None and float(min_similarity) > 0
        status = html.escape(failed) if failed else (words("table_below") if below else "")
        status = status or (words("table_unscored") if unscored else "")
        css = ' class="below"' if below else ""
        line = f"<td>{html.escape(str(row.get('line')))}</td>" if per_line else ""
        original = row.get("source", source)  # each line is diffed against itself
        body.append(
            f"<tr{css}>{line}<td>{row['index']}</td><td class='variant'>{diff_html(original, row['text'])}</td>"
            f"<td>{_similarity(row, words, language)}</td><td>{_fraction(row.get('changed'))}</td><td>{status}</td></tr>"
        )
    note = ""
    if all(row.get("similarity") is None for row in rows):
        reasons = {row.get("record", {}).get("similarity_unavailable") for row in rows} - {None}
        why = f" ({html.escape(translate(sorted(reasons)[0], language))})" if len(reasons) == 1 else ""
        note = f"<p class='note'>{words('table_no_scores')}{why}</p>"
    columns = (["table_line"] if per_line else []) + ["table_index", "table_variant", "table_similarity", "table_changed"]
    head = "".join(f"<th>{words(c)}</th>" for c in columns) + "<th></th>"
    head = f"<tr>{head}</tr>"
    return f"{note}<table class='augplay-variants'><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
