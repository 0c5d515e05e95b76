"""The command palette offers whatever the screen beneath it can do, read from its bindings.

Every key is therefore also a command, named by its binding's description, and a
screen that adds a key adds a command without touching this module. The help screen
lists the same bindings, so both always agree with the keymap in force.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen


@dataclass(frozen=True)
class KeyedAction:
    """One binding as the user sees it: every key that runs it, after the keymap."""

    node: DOMNode
    """Where the action runs (the focused widget, the screen or the app)."""
    binding: Binding
    keys: tuple[str, ...]
    enabled: bool

    @property
    def group(self) -> str:
        return group_title(self.node)

    @property
    def description(self) -> str:
        return self.binding.description or self.binding.action.replace("_", " ")

    @property
    def key_text(self) -> str:
        return ", ".join(self.keys)

    @property
    def unavailable(self) -> str | None:
        """Why the provider cannot do this here, where the screen says so."""
        ask = getattr(self.node, "why_unavailable", None)
        return ask(self.binding.action.split("(")[0]) if ask else None


def group_title(node: DOMNode) -> str:
    """ "Card" for CardScreen, "App" for the app, a widget's own group title or its name."""
    if node.BINDING_GROUP_TITLE:
        return node.BINDING_GROUP_TITLE
    if isinstance(node, App):
        return "App"
    name = type(node).__name__.removesuffix("Screen") or type(node).__name__
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def keyed_actions(screen: Screen[Any]) -> list[KeyedAction]:
    """Every binding active on `screen`: its focused widget's, the screen's and the app's.

    Textual's `active_bindings` already applied the keymap and dropped keys a focused
    input consumes or a nearer binding shadows; it has one entry per key, so the keys
    of one binding are gathered here.
    """
    gathered: dict[tuple[int, str], KeyedAction] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        identity = (id(active.node), binding.id or f"{binding.action}|{binding.description}")
        key = screen.app.get_key_display(binding)
        known = gathered.get(identity)
        if known is None:
            gathered[identity] = KeyedAction(active.node, binding, (key,), active.enabled)
        elif key not in known.keys:
            gathered[identity] = replace(known, keys=(*known.keys, key))
    return list(gathered.values())


class CardboardCommands(Provider):
    """The keys of the screen the palette was opened over, as commands.

    Only Cardboard's own bindings (those with an id, which a keymap can rebind); the
    help screen also lists Textual's, like scrolling, which make poor commands.
    """

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for action in keyed_actions(self.screen):
            if not (action.enabled and action.binding.id and action.binding.description):
                continue
            help_text = f"{action.key_text}  ·  {action.group}"
            if action.binding.tooltip:
                help_text += f"  ·  {action.binding.tooltip}"
            run = partial(self.app.run_action, action.binding.action, action.node)
            commands.append((action.description, help_text, run))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, run in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, text=name, help=help_text)
