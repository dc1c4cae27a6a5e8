"""Write the table of image augmenters into docs/image.md, generated from the registry.

    python scripts/gen_ops_table.py            # rewrite the table between the markers
    python scripts/gen_ops_table.py --check    # exit 1 if docs/image.md is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from augmenters import registry  # noqa: E402

DOC = ROOT / "docs" / "image.md"
BEGIN, END = "<!-- ops-table:begin -->", "<!-- ops-table:end -->"


def _setting(param: dict) -> str:
    default = param["default"]
    if isinstance(default, list):
        default = "[" + ", ".join(str(v) for v in default) + "]"
    unit = f" {param['unit']}" if param.get("unit") else ""
    return f"`{param['name']}`={default}{unit}"


def table(modality: str = "image") -> str:
    rows = ["| op | family | backend | what it does | settings (defaults) | caution |", "|---|---|---|---|---|---|"]
    for aug in registry.all(modality):
        d = aug.describe()
        settings = ", ".join(_setting(p) for p in d["params"]) or "—"
        partner = " Needs a partner image." if d["needs_partner"] else ""
        rows.append(
            f"| `{d['name']}` | {d['family']} | {d['backend']} | {d['description']}{partner} | {settings} | {d['caution'] or '—'} |"
        )
    return "\n".join(rows)


def render(text: str) -> str:
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the doc is up to date")
    args = parser.parse_args(argv)
    current = DOC.read_text(encoding="utf-8")
    wanted = render(current)
    if args.check:
        print("docs/image.md is up to date" if wanted == current else "docs/image.md is out of date: run scripts/gen_ops_table.py")
        return 0 if wanted == current else 1
    DOC.write_text(wanted, encoding="utf-8")
    print(f"wrote the ops table ({len(registry.names('image'))} ops) into {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
