"""Themes as TOML files: the shipped ones (themes/) and the user's (paths.user_themes_dir()).

A theme file names textual's base colours and, in a `[variables]` table, Cardboard's
own colours (APP_VARIABLES) or overrides of textual's variables:

    name = "my-theme"
    dark = true
    primary = "#D19A5B"
    background = "#1C1B19"

    [variables]
    wip-over = "#E06C5F"
    card-selected-background = "#D19A5B 30%"

Colours are anything textual parses: "#rrggbb", "rgb(...)", names, and "ansi_*" names
for a theme that keeps the terminal's own palette (`ansi = true`). A variable may add an
opacity ("#D19A5B 30%").
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import Theme

from tui.core import paths
from tui.core.errors import ConfigError
from tui.core.toml_fields import Absent, TableReader, not_empty
from tui.core.toml_file import read_config_text, validate_toml

APP_VARIABLES: dict[str, str] = {
    # Cardboard's variable: the textual variable it falls back to when a theme
    # (textual's own, or a user's) does not set it.
    "card-background": "surface",  # a card tile
    "card-title": "foreground",  # a card's title, on card-background or card-selected-background
    "card-muted": "foreground-muted",  # a card's details, empty states, timestamps
    "card-border": "panel-lighten-1",
    "card-selected-background": "primary-muted",  # the card under the cursor
    "card-selected-foreground": "foreground",
    "card-selected-border": "border",
    "card-blocked": "error",  # the mark of a blocked card
    "due-overdue": "text-error",  # a due date in the past
    "column-header-background": "panel",  # column title, card count and WIP limit
    "lane-header": "secondary",  # a swimlane's title
    "wip-over": "text-error",  # a card count above the column's WIP limit
    "label-default": "secondary",  # a label the service gives no colour
    "timer-running": "success",  # the running timer's badge
}


# textual's ANSI colour system leaves these to the theme (its own ANSI themes set
# them); without them its stylesheet fails to parse.
_ANSI_TEXTUAL_DEFAULTS = {
    True: {"ansi-background": "ansi_black", "ansi-foreground": "ansi_white"},
    False: {"ansi-background": "ansi_white", "ansi-foreground": "ansi_black"},
}


def variable_defaults(theme: Theme) -> dict[str, str]:
    """What App.get_theme_variable_defaults returns: values for any theme that lacks them.

    Cardboard's variables come from the theme's own colours, so a theme that does not
    set them (textual's own, or a user's) still styles every widget, and a user's ANSI
    theme gets the variables textual needs but does not derive.
    """
    colours = theme.to_color_system().generate()
    defaults = {name: colours[fallback] for name, fallback in APP_VARIABLES.items()}
    return {**_ANSI_TEXTUAL_DEFAULTS[theme.dark], **defaults} if theme.ansi else defaults


def _check_colour(value: str) -> str:
    try:
        Color.parse(value)
    except ColorParseError as exc:
        raise ValueError(str(exc)) from None
    return value


_OPACITY = re.compile(r"\d{1,3}(?:\.\d+)?%")


def _check_variable(value: str) -> str:
    """A colour with an optional opacity ("#D19A5B 30%"), or a text style ("b reverse")."""
    words = value.split()
    if words and all(word in VALID_STYLE_FLAGS for word in words):
        return value
    colour, *opacity = words or [value]
    if colour != "auto":  # textual's "whichever contrasts" colour
        _check_colour(colour)
    if opacity and not (len(opacity) == 1 and _OPACITY.fullmatch(opacity[0])):
        raise ValueError(f"{' '.join(opacity)!r} is not an opacity like 50%")
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class ThemeFile:
    """One theme file; the fields are textual's Theme's, so conversion is one call."""

    name: str
    """What the theme is called in config.toml, the command palette and ui state."""
    dark: bool = True
    """A dark theme: textual derives contrasting text and shades from this."""
    ansi: bool = False
    """Use the terminal's own palette ("ansi_*" colours) instead of converting it to RGB."""
    primary: str
    secondary: str | None = None
    accent: str | None = None
    foreground: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    success: str | None = None
    warning: str | None = None
    error: str | None = None
    variables: dict[str, str] = field(default_factory=dict)
    """Cardboard's variables (APP_VARIABLES) and overrides of textual's own."""

    @classmethod
    def from_table(cls, table: object) -> ThemeFile:
        reader = TableReader(table)

        def colour(key: str) -> str | Absent:
            return reader.text(key, required=key == "primary", check=_check_colour)

        return reader.build(
            cls,
            name=reader.text("name", required=True, check=not_empty),
            dark=reader.flag("dark"),
            ansi=reader.flag("ansi"),
            primary=colour("primary"),
            secondary=colour("secondary"),
            accent=colour("accent"),
            foreground=colour("foreground"),
            background=colour("background"),
            surface=colour("surface"),
            panel=colour("panel"),
            success=colour("success"),
            warning=colour("warning"),
            error=colour("error"),
            variables=reader.text_table("variables", check=_check_variable),
        )

    def to_textual(self) -> Theme:
        return Theme(**asdict(self))  # every field here is one of Theme's


def load_themes() -> tuple[dict[str, Theme], list[str]]:
    """The shipped themes and the user's, by name, and the files that failed.

    A user theme with a shipped theme's name replaces it. A file that fails is left
    out and named in the failures ("path:line: what is wrong"); the others still load.
    """
    themes: dict[str, Theme] = {}
    failures: list[str] = []
    for theme_file in _theme_files():
        try:
            theme = validate_toml(
                read_config_text(theme_file), str(theme_file), ThemeFile.from_table
            )
        except FileNotFoundError:  # removed since the folder was listed
            continue
        except ConfigError as exc:
            failures.append(str(exc))
            continue
        themes[theme.name] = theme.to_textual()
    return themes, failures


def _theme_files() -> list[Traversable]:
    """Shipped themes first, so the user's come later and override them."""
    user_dir = paths.user_themes_dir()
    shipped = _toml_files(files("tui") / "themes")
    return shipped + (_toml_files(user_dir) if user_dir.is_dir() else [])


def _toml_files(folder: Traversable) -> list[Traversable]:
    found = (entry for entry in folder.iterdir() if entry.name.endswith(".toml"))
    return sorted((entry for entry in found if entry.is_file()), key=lambda entry: entry.name)
