"""Korean throughout: every registered op, every UI string and every server message has a Korean entry."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.messages import TEMPLATES, parse_accept_language, translate
from app.ui_text import EN, KO
from augmenters import locale, registry

from .app_server import ROOT
from .test_app_browser import IMAGE_EDITS


def test_every_registered_op_and_setting_has_korean_words():
    # Iterates the registry: a new op (or setting) without an entry in augmenters/locale/ko.yaml fails here.
    assert locale.missing("ko", registry.all(None)) == []


def test_korean_op_words_are_korean_and_english_stays_on_the_augmenter():
    rotate = registry.get("rotate")
    assert locale.description(rotate, "en") == rotate.description
    assert re.search("[가-힣]", locale.description(rotate, "ko"))
    for augmenter in registry.all(None):
        for param in augmenter.spec:
            if param.help:
                assert re.search("[가-힣]", locale.setting_help(augmenter, param, "ko")), (augmenter.name, param.name)


def test_every_ui_string_has_a_korean_entry():
    assert sorted(set(EN) - set(KO)) == []


def _server_messages() -> list[str]:
    """Every gr.Error / gr.Warning message written in app/, with each {field} as one word."""
    found = []
    for path in sorted((ROOT / "app").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
                continue
            if node.func.attr not in ("Error", "Warning"):
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Call) and getattr(arg.func, "id", "") == "localize" and arg.args:
                arg = arg.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append(arg.value)
            elif isinstance(arg, ast.JoinedStr):
                found.append("".join(v.value if isinstance(v, ast.Constant) else "X" for v in arg.values))
    return found


def test_every_server_message_has_a_korean_template():
    messages = _server_messages()
    assert len(messages) > 20  # the scan sees the handlers' messages
    untranslated = [m for m in messages if not re.search("[가-힣]", translate(m, "ko"))]
    assert untranslated == []
    assert all(re.search("[가-힣]", ko) for _, ko in TEMPLATES)


@pytest.mark.parametrize("message", [m for _, _, _, m in IMAGE_EDITS if m])
def test_builder_refusals_read_fully_in_korean(message):
    korean = translate(message, "ko")
    leftover = re.sub(r"'[^']*'|\([a-z_]+\)|[-\d.]+", "", korean)  # names and numbers stay as they are
    assert not re.search("[A-Za-z]", leftover), korean
    assert translate(message, "en") == message


def test_a_message_inside_a_message_is_translated_too():
    text = "Sample #3 could not be made: step 1 (gaussian_noise): 'sigma' = -1 is below its minimum 0"
    assert translate(text, "ko") == "샘플 #3을(를) 만들 수 없습니다: 1단계 (gaussian_noise): 'sigma' = -1: 최솟값 0보다 작습니다"


@pytest.mark.parametrize(
    "header, language",
    [("ko-KR", "ko"), ("ko-KR,ko;q=0.9,en-US;q=0.8", "ko"), ("en-US,en;q=0.9,ko;q=0.8", "en"), ("fr;q=1, ko;q=0.5", "ko"), (None, "en"), ("de", "en")],
)
def test_the_browser_language_picks_the_session_language(header, language):
    assert parse_accept_language(header) == language
