"""Totals of time as text bars: the week day by day, and the week by card, board or account.

Bars are block characters, not colours, so they read the same with NO_COLOR and on
a 256-colour terminal; each is drawn to the width the widget has right now.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from tui.core.durations import format_duration
from tui.core.time import ReportRow

EIGHTHS = " ▏▎▍▌▋▊▉"
DURATION_WIDTH = 8


def bar(seconds: int, most: int, width: int) -> str:
    """`seconds` as a bar of `width` cells at most, the longest (`most`) filling it."""
    if seconds <= 0 or most <= 0 or width <= 0:
        return ""
    eighths = max(1, round(seconds / most * width * 8))  # any time at all shows
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def duration_or_dash(seconds: int) -> str:
    return format_duration(seconds) if seconds else "—"


class BarRows(Widget):
    """A heading, then one line per row: label, bar, total."""

    DEFAULT_CSS = """
    BarRows {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.heading = Text()
        self.rows: list[tuple[Text, int]] = []
        self.label_width = 6

    def show(self, heading: Text, rows: list[tuple[Text, int]], label_width: int) -> None:
        self.heading, self.rows, self.label_width = heading, rows, label_width
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 + len(self.rows)

    def render(self) -> Text:
        width = self.content_size.width
        label_width = min(self.label_width, max(4, width // 2))
        bar_width = max(0, width - label_width - DURATION_WIDTH - 2)
        most = max((seconds for _, seconds in self.rows), default=0)
        lines = [self.heading]
        for label, seconds in self.rows:
            line = label.copy()
            line.truncate(label_width, overflow="ellipsis", pad=True)
            line.append(" " + bar(seconds, most, bar_width).ljust(bar_width) + " ")
            total = duration_or_dash(seconds).rjust(DURATION_WIDTH)
            line.append(total, "bold" if seconds else "dim")
            lines.append(line)
        return Text("\n", no_wrap=True).join(lines)


def week_rows(by_day: list[ReportRow], monday: date, today: date) -> list[tuple[Text, int]]:
    """Monday to Sunday, days without time included; today named in words, not colour."""
    seconds = {row.key: row.seconds for row in by_day}
    rows = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        label = Text("Today", "bold") if day == today else Text(day.strftime("%a %d"))
        rows.append((label, seconds.get(day.isoformat(), 0)))
    return rows


def total_rows(report: list[ReportRow], room: int) -> list[tuple[Text, int]]:
    """The biggest totals first; past `room` lines the rest are summed as "N more"."""
    ordered = sorted(report, key=lambda row: (-row.seconds, row.label))
    if len(ordered) <= room:
        return [(Text(row.label), row.seconds) for row in ordered]
    shown, rest = ordered[: room - 1], ordered[room - 1 :]
    return [(Text(row.label), row.seconds) for row in shown] + [
        (Text(f"{len(rest)} more", "italic"), sum(row.seconds for row in rest))
    ]
