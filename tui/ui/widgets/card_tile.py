"""How one card looks in a column: a few lines of text, no widget of its own.

A column draws thousands of these, so a tile is a list of Rich `Text` lines that the
column turns into strips only for the rows on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.style import Style
from rich.text import Text

from tui.core.models import Card, Priority

PRIORITY_MARK = {Priority.HIGH: "▲ high", Priority.URGENT: "▲▲ urgent", Priority.LOW: "▽ low"}


@dataclass(frozen=True)
class TileStyles:
    title: Style
    muted: Style
    overdue: Style
    blocked: Style
    urgent: Style


def has_people_line(card: Card) -> bool:
    return bool(card.labels) or card.assignee is not None


def has_facts_line(card: Card) -> bool:
    return (
        card.due is not None
        or bool(card.checklist)
        or card.comment_count > 0
        or card.priority in PRIORITY_MARK
    )


def tile_height(card: Card) -> int:
    """How many lines `tile_lines` gives, without drawing them (a column of thousands asks):
    `has_people_line` and `has_facts_line` written out, which takes a third of the time."""
    return (
        1
        + (bool(card.labels) or card.assignee is not None)
        + (
            card.due is not None
            or bool(card.checklist)
            or card.comment_count > 0
            or card.priority in PRIORITY_MARK
        )
    )


def tile_lines(card: Card, today: date, styles: TileStyles) -> list[Text]:
    """The tile's text lines (title, then the lines of details that exist), unpadded."""
    title = Text(no_wrap=True, overflow="ellipsis")
    if card.blocked:
        title.append("⛔ blocked ", styles.blocked)
    title.append(card.title.replace("\n", " "), styles.title)
    lines = [title]

    if has_people_line(card):
        people = Text(no_wrap=True, overflow="ellipsis")
        for label in card.labels:
            people.append(f" {label.name} ", label_chip(label.color))
            people.append(" ")
        if card.assignee is not None:
            people.append(f"@{card.assignee.name}", styles.muted)
        lines.append(people)

    if not has_facts_line(card):
        return lines
    facts: list[Text] = []
    if card.due is not None:
        # In words as well as in colour: NO_COLOR and colour-blind eyes read it too.
        overdue = card.due < today
        when = f"{'overdue' if overdue else 'due'} {_short_date(card.due, today)}"
        facts.append(Text(when, styles.overdue if overdue else styles.muted))
    if card.checklist:
        facts.append(Text(f"☑ {card.checklist_done}/{len(card.checklist)}", styles.muted))
    if card.comment_count:
        facts.append(Text(f"✉ {card.comment_count}", styles.muted))
    if card.priority in PRIORITY_MARK:
        style = styles.urgent if card.priority is Priority.URGENT else styles.muted
        facts.append(Text(PRIORITY_MARK[card.priority], style))
    lines.append(Text("  ", no_wrap=True, overflow="ellipsis").join(facts))
    return lines


def _short_date(day: date, today: date) -> str:
    if day.year == today.year:
        return day.strftime("%b %d")
    return day.isoformat()


def label_chip(color: str | None) -> Style:
    """A label's colour as a chip, with text dark or light enough to read on it."""
    if not color:
        return Style(reverse=True)
    try:
        background = Style.parse(f"on {color}").bgcolor
    except Exception:  # a colour name the service invented: show the label plainly
        return Style(reverse=True)
    if background is None:  # "default": the terminal's own background
        return Style(reverse=True)
    red, green, blue = background.get_truecolor()
    brightness = 0.299 * red + 0.587 * green + 0.114 * blue
    return Style(bgcolor=background, color="black" if brightness > 140 else "white")
