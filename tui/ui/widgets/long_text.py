"""Long service text made quick to show: a title cut to its first lines, a description
or comment cut with a note, HTML converted (tui.core.html_text).

A 5,000-character title must not push the card's fields off the screen, and a 1 MB
description must not freeze it: what is left out is said, never silently dropped.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from tui.core.html_text import readable

TITLE_LINES = 3
"""The most lines the title takes at the top: the fields must stay in reach."""
LONG_TITLE = 160
"""Beyond this many characters the whole title is also a field (at 80 columns three
lines hold about 230)."""
TEXT_LIMIT = 50_000
"""Characters of a description or comment shown (as plain text, about 0.3 s to draw); the
rest is left out with a note, so a 1 MB description does not freeze the screen."""
MARKDOWN_LINES = 100
"""Longer descriptions are shown as plain text: the Markdown widget mounts a widget per
block, about 10 ms each, so 2,000 short paragraphs would hold the screen for 20 s."""


def shortened(text: str, limit: int = TEXT_LIMIT) -> tuple[str, str | None]:
    """`text` cut to `limit` characters, and the note that says how much is left out."""
    if len(text) <= limit:
        return text, None
    rest = len(text[limit:].encode("utf-8", "replace"))
    return text[:limit], f"… (truncated, {max(rest // 1024, 1)} KB more)"


def readable_description(description: str) -> tuple[str, str | None]:
    """The description as it is shown (HTML converted, cut when huge), and the cut's note."""
    if not description.strip():
        return "*No description.*", None
    shown, note = shortened(description)
    converted = readable(shown)
    if not converted.strip():  # e.g. HTML that is all markup and no text
        return "*The description has no text to show.*", note
    return converted, note


class FirstLines:
    """A Text wrapped to the width it is given, cut to `lines` lines ending with "…"."""

    def __init__(self, text: Text, lines: int):
        self.text = text
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width, 2)
        wrapped = list(self.text.wrap(console, width))
        if len(wrapped) > self.lines:
            wrapped = wrapped[: self.lines]
            last = wrapped[-1]
            last.rstrip()
            last.truncate(width - 1)
            last.append("…")
        yield Text("\n").join(wrapped)
