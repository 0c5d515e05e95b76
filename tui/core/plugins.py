"""Providers are plugins: entry points in the group "cardboard.providers".

The built-in providers are registered in pyproject.toml exactly as a third-party
package would register its own. Listing names imports nothing; a provider module is
imported only when an account needs it.

One name is known here: the local board's, which every `cardboard` command on the
local board and every start without accounts needs. Reading the entry points would
cost such a command ~15 ms, an eighth of it (importing importlib.metadata, then a look
at every installed distribution), so `LOCAL_PROVIDER` says where pyproject.toml's
"local" entry point points, and tests/test_registry.py checks that the two agree.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, NamedTuple

from tui.core.errors import ConfigError
from tui.core.provider import Provider

if TYPE_CHECKING:
    from collections.abc import Iterable
    from importlib.metadata import EntryPoint

GROUP = "cardboard.providers"

log = logging.getLogger(__name__)


class KnownEntryPoint(NamedTuple):
    """An entry point of this package's own, loaded like one without reading the others."""

    name: str
    value: str

    def load(self) -> object:
        module, _, attribute = self.value.partition(":")
        return getattr(importlib.import_module(module), attribute)


LOCAL_PROVIDER = KnownEntryPoint("local", "tui.providers.local:LocalProvider")


def entry_points(group: str) -> Iterable[EntryPoint]:
    """The installed entry points of `group`; importlib.metadata is imported here, by the
    first command that needs more than the local board."""
    from importlib import metadata

    return metadata.entry_points(group=group)


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def provider_names() -> list[str]:
    """Installed provider names, sorted, without importing any of them."""
    return sorted(_entry_points())


def load_provider(name: str) -> type[Provider]:
    """Import one provider class; a ConfigError says what is installed if it is unknown."""
    entry_point: EntryPoint | KnownEntryPoint | None = (
        LOCAL_PROVIDER if name == LOCAL_PROVIDER.name else _entry_points().get(name)
    )
    if entry_point is None:
        raise ConfigError(
            f"unknown provider {name!r}; installed: {', '.join(provider_names()) or 'none'}"
        )
    try:
        provider = entry_point.load()
    except Exception as exc:  # a third-party plugin can fail in any way on import
        raise ConfigError(f"provider {name!r} failed to load: {exc}") from exc
    if not (isinstance(provider, type) and issubclass(provider, Provider)):
        raise ConfigError(f"provider {name!r} ({entry_point.value}) is not a Provider class")
    return provider


def load_all() -> dict[str, type[Provider]]:
    """Every provider that loads; a broken one is logged and skipped, never fatal."""
    loaded: dict[str, type[Provider]] = {}
    for name in provider_names():
        try:
            loaded[name] = load_provider(name)
        except ConfigError as exc:
            log.warning("skipping %s", exc)
    return loaded
