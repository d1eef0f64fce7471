"""A small registry of named plugin classes, in the style of Cloud Custodian's c7n/registry.py.

`kinds.register("<key>")` is a class decorator; the registry keeps the classes in the order they
were registered and refuses a key registered twice (two modules claiming one kind is a bug, not
an override).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

K = TypeVar("K", bound=type)


class Registry:
    def __init__(self, plugin_type: str):
        self.plugin_type = plugin_type
        self._classes: dict[str, type] = {}

    def register(self, key: str) -> Callable[[K], K]:
        def _register(klass: K) -> K:
            if key in self._classes:
                raise ValueError(f"{self.plugin_type} `{key}` registered twice")
            self._classes[key] = klass
            return klass
        return _register

    def get(self, key: str) -> type:
        try:
            return self._classes[key]
        except KeyError:
            raise KeyError(f"unknown {self.plugin_type} `{key}`") from None

    def keys(self) -> list[str]:
        return list(self._classes)

    def values(self) -> list[type]:
        return list(self._classes.values())

    def items(self) -> list[tuple[str, type]]:
        return list(self._classes.items())

    def __contains__(self, key: object) -> bool:
        return key in self._classes

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __len__(self) -> int:
        return len(self._classes)


kinds = Registry("check kind")  # every module of catalog/kinds registers its kind here
