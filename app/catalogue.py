"""The registry as the UI shows it: the Augmenters table, the add-step choices and the presets per modality."""

from __future__ import annotations

import logging

from augmenters import AugplayError, Pipeline, registry

logger = logging.getLogger("augplay.app")


def _describe_param(param: dict) -> str:
    parts = [f"{param['name']}: {param['type']}"]
    if param.get("choices"):
        parts.append("{" + ", ".join(map(str, param["choices"])) + "}")
    elif param.get("min") is not None or param.get("max") is not None:
        parts.append(f"[{param.get('min')}, {param.get('max')}]")
    parts.append(f"= {param['default']}")
    return " ".join(parts)


CATALOGUE_COLUMNS = ["name", "modality", "family", "status", "reason", "params", "caution"]


def catalogue_rows(modality: str | None = None) -> list[list[str]]:
    rows = []
    for augmenter in registry.all(modality):
        info = augmenter.describe()
        params = "<br>".join(_describe_param(p) for p in info["params"])  # one setting per line (markdown cell)
        rows.append(
            [info["name"], info["modality"], info["family"], info["status"], info["reason"], params, info["caution"]]
        )
    return rows


def catalogue_choices(modality: str) -> list[tuple[str, str]]:
    """Dropdown entries grouped by family; ops that cannot run here say why in their label."""
    entries = []
    for augmenter in sorted(registry.all(modality), key=lambda a: (a.family, a.name)):
        health = augmenter.health()
        note = "" if health.ok else f" — {health.status}: {health.reason}"
        entries.append((f"{augmenter.family} · {augmenter.name}{note}", augmenter.name))
    return entries


def presets_for(modality: str) -> list[str]:
    from presets import names

    out = []
    for name in names():
        try:
            if Pipeline.load(name).modality == modality:
                out.append(name)
        except AugplayError as exc:  # a preset naming an op that failed to load must not hide the others
            logger.warning("preset %s not offered: %s", name, exc)
    return out
