"""The registry of augmenter plugins: `@register("rotate")` on a class in one file.

Plugin modules under `augmenters/image/` and `augmenters/text/` are discovered on
first use, so `import augmenters` stays fast; they must import heavy libraries lazily.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import threading
from typing import Callable, Iterable, TypeVar

from .augmenter import Augmenter
from .errors import DuplicateAugmenterError, UnknownAugmenterError

A = TypeVar("A", bound=type[Augmenter])

logger = logging.getLogger("augplay")

PLUGIN_PACKAGES = ("augmenters.image", "augmenters.text")
MODALITIES = ("image", "text")


class Registry:
    def __init__(self, packages: Iterable[str] = PLUGIN_PACKAGES):
        self._packages = tuple(packages)
        self._items: dict[str, Augmenter] = {}
        self._discovered = False
        self._lock = threading.RLock()
        # module -> reason: a plugin that fails to import is reported, not fatal to the others
        self.import_errors: dict[str, str] = {}

    def register(self, name: str) -> Callable[[A], A]:
        """Class decorator. Refuses a second augmenter under the same name."""

        def decorate(cls: A) -> A:
            if not name or name != name.lower() or not name.replace("_", "").isalnum():
                raise ValueError(f"augmenter name {name!r} must be snake_case")
            if cls.modality not in MODALITIES:
                raise ValueError(f"augmenter {name!r}: modality must be one of {MODALITIES}")
            with self._lock:
                existing = self._items.get(name)
                # Re-importing the same class (a module reload) is fine; another class is not.
                if existing is not None and (type(existing).__module__, type(existing).__qualname__) != (
                    cls.__module__,
                    cls.__qualname__,
                ):
                    raise DuplicateAugmenterError(
                        f"augmenter name {name!r} is taken by {type(existing).__module__}."
                        f"{type(existing).__qualname__}; {cls.__module__}.{cls.__qualname__} cannot use it"
                    )
                cls.name = name
                self._items[name] = cls()
            return cls

        return decorate

    def unregister(self, name: str) -> None:
        """For tests that register throwaway augmenters."""
        with self._lock:
            self._items.pop(name, None)

    def _discover(self) -> None:
        if self._discovered:
            return
        with self._lock:
            if self._discovered:
                return
            for package_name in self._packages:
                package = importlib.import_module(package_name)
                for info in pkgutil.iter_modules(package.__path__):
                    if info.name.startswith("_"):  # _helpers are shared code, not plugins
                        continue
                    module = f"{package_name}.{info.name}"
                    try:
                        importlib.import_module(module)
                    except Exception as exc:
                        self.import_errors[module] = f"{type(exc).__name__}: {exc}"
                        logger.warning("augmenter plugin %s failed to import: %s", module, exc)
            self._discovered = True

    def get(self, name: str) -> Augmenter:
        self._discover()
        try:
            return self._items[name]
        except KeyError:
            close = [n for n in self._items if n.startswith(name[:3])] if name else []
            hint = f" (did you mean {', '.join(sorted(close))}?)" if close else ""
            raise UnknownAugmenterError(f"unknown augmenter {name!r}{hint}; `augplay list` shows them all") from None

    def __contains__(self, name: str) -> bool:
        self._discover()
        return name in self._items

    def names(self, modality: str | None = None) -> list[str]:
        self._discover()
        return sorted(n for n, a in self._items.items() if modality is None or a.modality == modality)

    def all(self, modality: str | None = None) -> list[Augmenter]:
        return [self._items[n] for n in self.names(modality)]


registry = Registry()
register = registry.register
