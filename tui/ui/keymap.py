"""The keymap of config.toml, checked against the bindings there are before the app starts.

Textual applies a keymap silently: an id that matches nothing is ignored, and a key
taken from an app-wide action (say `q` given to "board.open") shadows it on that
screen, so Quit is gone without a word. Here each of those is a ConfigError naming
the line of config.toml, and which action already has the key.

Binding ids are "<scope>.<name>": bindings of one scope are active together (a screen
and its widgets), and "app." bindings are active on every screen, so a new key clashes
with another binding of the same scope or of the app's. Only keys a binding did not
already have are checked, so the shipped defaults (escape,q closes the card screen,
over the app's q) stay as they are.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import _normalize_key_list  # what App.set_keymap normalises with

import tui.ui
from tui.core.config import config_place
from tui.core.errors import ConfigError

APP_SCOPE = "app"


@dataclass(frozen=True)
class KnownBinding:
    id: str
    keys: tuple[str, ...]
    """Its default keys, as textual names them ("question_mark", not "?")."""
    description: str

    @property
    def scope(self) -> str:
        return self.id.partition(".")[0]


def normalised_keys(keys: str) -> tuple[str, ...]:
    return tuple(key.strip() for key in _normalize_key_list(keys).split(","))


def known_bindings() -> dict[str, KnownBinding]:
    """Every binding of Cardboard's screens and widgets that has an id, by id."""
    for module in pkgutil.walk_packages(tui.ui.__path__, "tui.ui."):
        # Screens are imported on first use elsewhere; their bindings are needed now.
        importlib.import_module(module.name)
    known: dict[str, KnownBinding] = {}
    for node_class in _subclasses(DOMNode):
        if not node_class.__module__.startswith("tui.ui."):
            continue
        for binding in node_class.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                known.setdefault(
                    binding.id,
                    KnownBinding(binding.id, normalised_keys(binding.key), binding.description),
                )
    return known


def _subclasses(base: type[DOMNode]) -> list[type[DOMNode]]:
    found: list[type[DOMNode]] = []
    for subclass in base.__subclasses__():
        found += [subclass, *_subclasses(subclass)]
    return found


def checked_keymap(keymap: Mapping[str, str], path: Path | None = None) -> dict[str, str]:
    """The keymap to apply; raises ConfigError 'config.toml:line: keymap."id": ...'.

    `path` is the config.toml the keymap was read from (the user's by default).
    """
    if not keymap:
        return {}
    known = known_bindings()
    keys = {binding_id: binding.keys for binding_id, binding in known.items()}
    for binding_id, wanted in keymap.items():
        if binding_id not in known:
            raise ConfigError(
                f"{config_place('keymap', binding_id, path=path)}: {_unknown(binding_id, known)}"
            )
        keys[binding_id] = normalised_keys(wanted)
    for binding_id in keymap:
        binding = known[binding_id]
        for key in keys[binding_id]:
            if key in binding.keys:
                continue
            if holder := _holder(key, binding, keys, known):
                raise ConfigError(
                    f"{config_place('keymap', binding_id, path=path)}: {key} is already the key of "
                    f"{holder.id} ({holder.description}); rebind that too, or pick another key"
                )
    return dict(keymap)


def _unknown(binding_id: str, known: dict[str, KnownBinding]) -> str:
    close = get_close_matches(binding_id, known, n=1)
    hint = f"did you mean {close[0]}?" if close else "the help screen (?) lists the ids"
    return f"no action has this id; {hint}"


def _holder(
    key: str,
    binding: KnownBinding,
    keys: dict[str, tuple[str, ...]],
    known: dict[str, KnownBinding],
) -> KnownBinding | None:
    """Another binding active alongside `binding` that has `key`, after the keymap."""
    for other_id, other_keys in keys.items():
        other = known[other_id]
        if other_id == binding.id or key not in other_keys:
            continue
        if APP_SCOPE in (binding.scope, other.scope) or other.scope == binding.scope:
            return other
    return None
