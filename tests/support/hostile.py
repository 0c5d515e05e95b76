"""Text a hostile service (or anyone who can write a card) might send, and how to look for it.

The fragments are what a terminal acts on (CSI, OSC, DCS, 8-bit CSI), what reorders
text (bidi overrides and isolates), what hides in it (zero-width, combining marks), and
what Rich or Textual would take for markup. `terminal_output` is what the app would
write to a real terminal now, so a test can say no sequence from a service is in it.
"""

from __future__ import annotations

from hypothesis import strategies as st

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

CLEAR_SCREEN = "\x1b[2J\x1b[H"
SET_WINDOW_TITLE = "\x1b]0;PWNED\x07"
PAYLOADS = (CLEAR_SCREEN, SET_WINDOW_TITLE)
"""Sequences Textual itself never writes: finding one in its output means a service's did."""

FRAGMENTS = (
    CLEAR_SCREEN,
    SET_WINDOW_TITLE,
    "\x1b]8;;https://evil.test\x1b\\link\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1bP1$qm\x1b\\",  # DCS request
    "\x1b[31;1m",
    "\x9b2J",  # 8-bit CSI
    "\x1bc",  # full reset
    "\x00",
    "\x07",
    "\x08",
    "\r",
    "\n",
    "\t",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200d",
    "\ufeff",
    "e\u0301\u0336\u20dd",
    "[bold]",
    "[/]",
    "[@click=app.quit]",
    "[link=https://evil.test]x[/link]",
    "[red on red]",
    "<h1>",
    "</p>",
    "&#27;",
    "\u2028",
)
"""No lone surrogate: no service can send one in UTF-8 (tests/test_sanitize.py has them)."""


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Hostile fragments mixed with any text at all."""
    pieces = st.sampled_from(FRAGMENTS) | st.text(max_size=8)
    return st.lists(pieces, max_size=max(max_size // 8, 1)).map("".join)


def megabyte_of_hostile_text() -> str:
    line = f"A line of a huge description {CLEAR_SCREEN}{SET_WINDOW_TITLE} [bold]x[/]\n"
    return line * (1024 * 1024 // len(line) + 1)


def terminal_output(app) -> str:
    """What the app would write to a terminal to draw its screen now, escapes and all."""
    # Textual's headless driver writes nothing; the compositor makes what it would.
    return app.screen._compositor.render_full_update().render_segments(app.console)


def screen_text(app) -> str:
    """What the screen shows, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_no_payload(output: str) -> None:
    for payload in PAYLOADS:
        assert payload not in output
    assert "\x9b" not in output and "\x1b]0;" not in output and "\x1bP" not in output
