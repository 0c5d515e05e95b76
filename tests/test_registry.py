"""Providers are entry points: listed without importing, loaded on demand, broken ones skipped."""

from __future__ import annotations

import logging
import sys
import tomllib
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from tui.core import plugins as registry
from tui.core.errors import ConfigError
from tui.core.provider import Provider
from tui.providers.local import LocalProvider

BUILT_IN = {"local", "kaiten", "kanbantool", "kitemaker", "kanbert", "kitchen"}


def test_the_built_in_providers_are_registered_like_any_plugin():
    assert set(registry.provider_names()) >= BUILT_IN
    assert registry.load_provider("local") is LocalProvider


def test_listing_imports_no_provider_module(monkeypatch):
    for name in list(sys.modules):
        if name.startswith("tui.providers.") and name not in (
            "tui.core.plugins",
            "tui.core.provider",
        ):
            monkeypatch.delitem(sys.modules, name)
    registry.provider_names()
    assert "tui.providers.kaiten" not in sys.modules
    assert "tui.providers.local" not in sys.modules


def test_an_unknown_provider_names_the_installed_ones():
    with pytest.raises(ConfigError) as refused:
        registry.load_provider("trello")
    message = str(refused.value)
    assert "unknown provider 'trello'" in message
    assert all(name in message for name in BUILT_IN)


@pytest.fixture
def with_plugins(monkeypatch):
    """Installs extra entry points next to the real ones for one test."""

    def install(**plugins: str) -> None:
        real = list(registry.entry_points(group=registry.GROUP))
        extra = [EntryPoint(name, value, registry.GROUP) for name, value in plugins.items()]
        monkeypatch.setattr(registry, "entry_points", lambda group: real + extra)

    return install


def test_a_plugin_that_fails_to_import_is_skipped_with_a_warning(with_plugins, caplog):
    with_plugins(broken="tests.no_such_module:Provider", odd="tui.core.provider:Capability")
    with caplog.at_level(logging.WARNING, logger="tui.core.plugins"):
        loaded = registry.load_all()
    assert set(loaded) >= BUILT_IN and not {"broken", "odd"} & set(loaded)
    assert all(issubclass(cls, Provider) for cls in loaded.values())
    warnings = " ".join(record.getMessage() for record in caplog.records)
    assert "'broken' failed to load" in warnings
    assert "'odd'" in warnings and "not a Provider class" in warnings


def test_loading_a_broken_plugin_by_name_is_a_config_error(with_plugins):
    with_plugins(broken="tests.no_such_module:Provider")
    with pytest.raises(ConfigError, match="provider 'broken' failed to load"):
        registry.load_provider("broken")


def test_the_local_provider_is_where_its_entry_point_says_and_found_without_a_scan(monkeypatch):
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    registered = pyproject["project"]["entry-points"][registry.GROUP]
    assert registered[registry.LOCAL_PROVIDER.name] == registry.LOCAL_PROVIDER.value

    def no_scan(group: str) -> list[EntryPoint]:
        raise AssertionError("the entry points were read")

    monkeypatch.setattr(registry, "entry_points", no_scan)
    assert registry.load_provider("local") is LocalProvider
