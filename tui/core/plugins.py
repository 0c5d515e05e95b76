"""Providers are plugins: entry points in the group "cardboard.providers".

The built-in providers are registered in pyproject.toml exactly as a third-party
package would register its own, so nothing here knows their names. Listing names
imports nothing; a provider module is imported only when an account needs it.
"""

from __future__ import annotations

import logging
from importlib.metadata import EntryPoint, entry_points

from tui.core.errors import ConfigError
from tui.core.provider import Provider

GROUP = "cardboard.providers"

log = logging.getLogger(__name__)


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def provider_names() -> list[str]:
    """Installed provider names, sorted, without importing any of them."""
    return sorted(_entry_points())


def load_provider(name: str) -> type[Provider]:
    """Import one provider class; a ConfigError says what is installed if it is unknown."""
    entry_point = _entry_points().get(name)
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
