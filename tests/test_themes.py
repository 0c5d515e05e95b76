"""Shipped and user themes: they load, convert, style every widget, and fail one by one."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.css.stylesheet import Stylesheet
from textual.theme import BUILTIN_THEMES, Theme
from textual.widgets import Button, Footer, Input, Static

from tui.ui.themes import APP_VARIABLES, ThemeFile, load_themes, variable_defaults

SHIPPED = ["cardboard-16", "cardboard-dark", "cardboard-high-contrast", "cardboard-light"]
COLOUR_FIELDS = [
    "primary", "secondary", "accent", "foreground", "background",
    "surface", "panel", "success", "warning", "error",
]  # fmt: skip


@pytest.fixture
def user_themes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CARDBOARD_CONFIG_DIR", str(tmp_path))
    folder = tmp_path / "themes"
    folder.mkdir()
    return folder


def shipped_themes() -> dict[str, Theme]:
    themes, failures = load_themes()
    assert failures == []
    return themes


# Every app variable used every way a widget might: an unusable value stops textual.
USES_EVERY_VARIABLE = "\n".join(
    f"#{name} {{ color: ${name}; background: ${name}; border: tall ${name}; }}"
    for name in APP_VARIABLES
)


def assert_styles_parse(variables: dict[str, str]) -> None:
    stylesheet = Stylesheet(variables=variables)
    stylesheet.add_source(USES_EVERY_VARIABLE, read_from=("test_themes", ""))
    stylesheet.parse()  # raises StylesheetParseError on an unusable value


class ThemedApp(App[None]):
    """Textual's own widgets and ours under one theme, wired as CardboardApp should be."""

    CSS = USES_EVERY_VARIABLE

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.register_theme(theme)
        self.theme = theme.name

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return variable_defaults(self.current_theme)

    def compose(self) -> ComposeResult:
        yield Button("OK")
        yield Input(placeholder="title")
        yield Footer()
        for name in APP_VARIABLES:
            yield Static(name, id=name)


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two opaque colours."""

    def luminance(colour: str) -> float:
        channels = [value / 255 for value in Color.parse(colour).rgb]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_every_shipped_theme_loads_without_failures(user_themes: Path) -> None:
    themes = shipped_themes()

    assert sorted(themes) == SHIPPED
    assert all(themes[name].name == name for name in themes)


def test_every_shipped_theme_sets_every_app_variable(user_themes: Path) -> None:
    for theme in shipped_themes().values():
        assert set(APP_VARIABLES) <= set(theme.variables), theme.name


@pytest.mark.parametrize("name", SHIPPED)
async def test_a_shipped_theme_styles_a_running_app(user_themes: Path, name: str) -> None:
    theme = shipped_themes()[name]
    app = ThemedApp(theme)

    async with app.run_test(size=(80, 24)):  # a stylesheet error fails here
        card = app.query_one("#card-background")
        assert app.current_theme is theme
        assert card.styles.background == Color.parse(theme.variables["card-background"])


async def test_a_user_ansi_theme_without_ansi_variables_still_runs() -> None:
    theme = ThemeFile(name="mine-16", ansi=True, primary="ansi_green").to_textual()
    app = ThemedApp(theme)

    async with app.run_test(size=(80, 24)):
        assert app.current_theme is theme


@pytest.mark.parametrize("name", ["cardboard-dark", "cardboard-light", "cardboard-high-contrast"])
@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("card-title", "card-background"),
        ("card-muted", "card-background"),
        ("due-overdue", "card-background"),
        # The selected card may keep its usual text colours.
        ("card-title", "card-selected-background"),
        ("card-muted", "card-selected-background"),
        ("due-overdue", "card-selected-background"),
        ("card-selected-foreground", "card-selected-background"),
        ("wip-over", "column-header-background"),
    ],
)
def test_card_text_is_readable(user_themes: Path, name: str, text: str, background: str) -> None:
    variables = shipped_themes()[name].variables

    # WCAG AA for normal text.
    assert contrast(variables[text], variables[background]) >= 4.5


def test_the_16_colour_theme_uses_only_the_terminals_palette(user_themes: Path) -> None:
    theme = shipped_themes()["cardboard-16"]

    assert theme.ansi
    colours = [getattr(theme, field) for field in COLOUR_FIELDS] + list(theme.variables.values())
    assert all(colour.startswith("ansi_") for colour in colours)


@pytest.mark.parametrize(
    "theme",
    [*BUILTIN_THEMES.values(), ThemeFile(name="bare", primary="red").to_textual()],
    ids=lambda theme: theme.name,
)
def test_any_theme_gets_usable_app_variables_by_default(theme: Theme) -> None:
    defaults = variable_defaults(theme)

    assert set(APP_VARIABLES) <= set(defaults)
    assert_styles_parse({**theme.to_color_system().generate(), **defaults})


def test_a_user_theme_is_added(user_themes: Path) -> None:
    (user_themes / "mine.toml").write_text(
        'name = "mine"\ndark = false\nprimary = "#336699"\n\n'
        '[variables]\nwip-over = "#ff0000 80%"\n'
    )

    themes, failures = load_themes()

    assert failures == []
    assert sorted(themes) == sorted([*SHIPPED, "mine"])
    assert themes["mine"] == Theme(
        name="mine", primary="#336699", dark=False, variables={"wip-over": "#ff0000 80%"}
    )


def test_a_user_theme_overrides_a_shipped_one_by_name(user_themes: Path) -> None:
    (user_themes / "my-dark.toml").write_text('name = "cardboard-dark"\nprimary = "#00ff00"\n')

    themes, failures = load_themes()

    assert failures == []
    assert sorted(themes) == SHIPPED
    assert themes["cardboard-dark"].primary == "#00ff00"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('name = "x"\nprimary = "#123456\n', ":2: Illegal character"),
        ('name = "x"\ndark = true\n', ": primary: Field required"),
        ('name = "x"\nprimary = "#123456"\nerror = "redd"\n', ":3: error: failed to parse 'redd'"),
        ('name = "x"\nprimary = "blue"\nbackgrund = "black"\n', ":3: backgrund: unknown key"),
        ('name = ""\nprimary = "blue"\n', ":1: name: String should have at least 1 character"),
        (
            'name = "x"\nprimary = "blue"\ndark = "yes"\n',
            ":3: dark: Input should be a valid boolean",
        ),
        ('name = "x"\nprimary = 1\n', ":2: primary: Input should be a valid string"),
        (
            'name = "x"\nprimary = "blue"\nvariables = 1\n',
            ":3: variables: Input should be a valid dictionary",
        ),
        (
            'name = "x"\nprimary = "blue"\n\n[variables]\nwip-over = "#zzz"\n',
            ":5: variables.wip-over: failed to parse '#zzz'",
        ),
        (
            'name = "x"\nprimary = "blue"\n\n[variables]\ncard-border = "red half"\n',
            ":5: variables.card-border: 'half' is not an opacity like 50%",
        ),
    ],
)
def test_a_broken_user_theme_is_one_failure_and_the_rest_still_load(
    user_themes: Path, content: str, problem: str
) -> None:
    broken = user_themes / "broken.toml"
    broken.write_text(content)
    (user_themes / "fine.toml").write_text('name = "fine"\nprimary = "ansi_red"\nansi = true\n')

    themes, failures = load_themes()

    assert len(failures) == 1
    assert failures[0].startswith(f"{broken}{problem}")
    assert "\n" not in failures[0]
    assert sorted(themes) == sorted([*SHIPPED, "fine"])


def test_files_that_are_not_toml_are_ignored(user_themes: Path) -> None:
    (user_themes / "notes.txt").write_text("not a theme")
    (user_themes / "folder.toml").mkdir()

    assert load_themes() == (shipped_themes(), [])
