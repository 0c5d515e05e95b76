"""HTML from a service as readable Markdown-ish text: headings, paragraphs, lists, links.

Some services keep descriptions and comments as HTML (Kaiten, Kitchen.co); shown as
Markdown, a description that starts with `<h1>` renders as nothing at all. This turns it
into text that reads well both in the Markdown widget and printed by the CLI:
headings as "# ", list items as "- " or "1. ", links as "text (url)", code in
backticks, <br> as a line break. Anything else keeps its text and loses its tags.

The conversion happens where the text is shown (the card screen, `card show`), not
where it enters the domain: the model keeps what the service holds, so editing a card
sends its own HTML back unchanged, JSON output stays faithful, and only the card being
opened pays for the parsing, never a 50,000-card board.

Character references are decoded here (`&#27;` is an ESC), so the result goes through
tui.core.sanitize again.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tui.core.sanitize import multi_line

_KNOWN_TAGS = (
    r"p|div|br|hr|h[1-6]|ul|ol|li|a|b|strong|i|em|u|s|code|pre|blockquote|span|"
    r"table|thead|tbody|tr|td|th|img|figure|section|article|header|footer"
)
# HTML, not Markdown that happens to mention a tag: it starts with a tag (any: Markdown
# would show an unknown one as nothing; an autolink <https://...> is no tag), or it
# closes a known one.
_STARTS_WITH_TAG = re.compile(r"\s*<[a-z][a-z0-9]*(\s[^>]*)?/?>", re.IGNORECASE)
_CLOSING_TAG = re.compile(rf"</({_KNOWN_TAGS})\s*>|<br\s*/?>", re.IGNORECASE)

_BLOCKS = {
    "p", "div", "blockquote", "table", "section", "article", "header", "footer", "figure",
    "ul", "ol",
}  # fmt: skip
_LINES = {"tr", "thead", "tbody"}
_SKIPPED = {"script", "style", "head", "title"}
_EMPHASIS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")
_HARD_BREAK = "\x00"
"""A <br> while converting; two spaces and a newline at the end (a Markdown line break,
invisible when printed), once trailing blanks are gone."""


def looks_like_html(text: str) -> bool:
    return bool(_STARTS_WITH_TAG.match(text) or _CLOSING_TAG.search(text))


def readable(text: str) -> str:
    """`text` as it should be shown: converted when it is HTML, as it is otherwise."""
    return html_to_text(text) if looks_like_html(text) else text


def html_to_text(html: str) -> str:
    converter = _Converter()
    converter.feed(html)
    converter.close()
    return multi_line(converter.text())


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._lists: list[int | None] = []
        """One entry per open list: the next number of an <ol>, None for a <ul>."""
        self._links: list[tuple[int, str | None]] = []
        """Open links: where their text starts in _out, and their href."""
        self._skipping = 0
        self._in_pre = 0

    # --- output -----------------------------------------------------------------------

    def text(self) -> str:
        while self._links:  # a link left open still names where it goes
            self._end_link(*self._links.pop())
        text = "".join(self._out).replace(_HARD_BREAK, _HARD_BREAK + "\n")
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        return _BLANK_LINES.sub("\n\n", text).strip().replace(_HARD_BREAK, "  ")

    def _tail(self) -> str:
        return "".join(self._out[-3:])

    def _break(self, newlines: int) -> None:
        """End the current line, and leave `newlines - 1` blank lines (never at the start)."""
        if not self._out:
            return
        tail = self._tail()
        present = len(tail) - len(tail.rstrip("\n"))
        if present < newlines:
            self._out.append("\n" * (newlines - present))

    def _at_line_start(self) -> bool:
        return not self._out or self._tail().endswith(("\n", _HARD_BREAK))

    # --- parser events ----------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BLOCKS:
            self._break(1 if self._lists else 2)
            if tag in ("ul", "ol"):
                self._lists.append(1 if tag == "ol" else None)
        elif tag in _LINES:
            self._break(1)
        elif re.fullmatch(r"h[1-6]", tag):
            self._break(2)
            self._out.append("#" * int(tag[1]) + " ")
        elif tag == "li":
            self._list_item()
        elif tag == "br":
            self._out.append(_HARD_BREAK)
        elif tag == "hr":
            self._break(2)
            self._out.append("---\n\n")
        elif tag == "pre":
            self._break(2)
            self._out.append("```\n")
            self._in_pre += 1
        elif tag == "code" and not self._in_pre:
            self._out.append("`")
        elif tag in _EMPHASIS:
            self._out.append(_EMPHASIS[tag])
        elif tag in ("td", "th") and not self._at_line_start():
            self._out.append(" | ")
        elif tag == "a":
            self._links.append((len(self._out), dict(attrs).get("href")))
        elif tag == "img":
            self._image(dict(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/> and <img/>: the same as without the slash, and nothing to close.
        if tag in ("br", "hr", "img"):
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS or re.fullmatch(r"h[1-6]", tag):
            if tag in ("ul", "ol") and self._lists:
                self._lists.pop()
            self._break(1 if self._lists else 2)
        elif tag in _LINES or tag == "li":
            self._break(1)
        elif tag == "pre" and self._in_pre:
            self._in_pre -= 1
            self._break(1)
            self._out.append("```\n\n")
        elif tag == "code" and not self._in_pre:
            self._out.append("`")
        elif tag in _EMPHASIS:
            self._out.append(_EMPHASIS[tag])
        elif tag == "a" and self._links:
            self._end_link(*self._links.pop())

    def handle_data(self, data: str) -> None:
        data = data.replace(_HARD_BREAK, "")
        if self._skipping:
            return
        if self._in_pre:
            self._out.append(data)
            return
        data = _SPACES.sub(" ", data)
        if self._at_line_start() or self._tail().endswith(" "):
            data = data.lstrip()
        if data:
            self._out.append(data)

    # --- pieces -----------------------------------------------------------------------

    def _list_item(self) -> None:
        self._break(1)
        depth = max(len(self._lists), 1)
        number = self._lists[-1] if self._lists else None
        if number is None:
            marker = "- "
        else:
            marker = f"{number}. "
            self._lists[-1] = number + 1
        self._out.append("  " * (depth - 1) + marker)

    def _end_link(self, start: int, href: str | None) -> None:
        label = "".join(self._out[start:]).strip()
        if not href or href.startswith(("#", "javascript:")) or href == label:
            return
        self._out.append(f" ({href})" if label else href)

    def _image(self, attrs: dict[str, str | None]) -> None:
        alt, source = attrs.get("alt"), attrs.get("src")
        if alt and source:
            self._out.append(f"[image: {alt}] ({source})")
        elif alt or source:
            self._out.append(f"[image: {alt or source}]")
