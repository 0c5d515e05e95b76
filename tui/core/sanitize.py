"""The one step that makes text from a service (or an imported file) safe to show.

Anyone who can write a card on a shared board chooses its text, and that text is
printed to terminals: an ESC in a title could clear the screen, rename the window or
worse. So every text field of the domain models passes through here as it is built
(tui.core.models: each model's `__post_init__`), whatever the provider, and nothing
downstream has to remember to do it:

- C0 controls (ESC above all), DEL and C1 controls become visible symbols: "␛[2J"
  shows what was sent without the terminal acting on it. Only a multi-line field keeps
  newline and tab; its CR LF and lone CR become a newline.
- Bidirectional overrides and isolates (U+202A-202E, U+2066-2069), which can make
  text read differently from what it is ("Trojan Source"), are removed.
- Lone surrogates (invalid UTF-16 halves that JSON can carry) become U+FFFD, because
  encoding them for the terminal would raise.
- A one-line field (titles, names) loses its line breaks: a title is one line.

Rich markup is not this module's business: the UI never parses service text as
markup (it builds `rich.text.Text`), so "[bold]" stays "[bold]".

Clean text costs one regex search and comes back as the same object: boards of
50,000 cards are built through here.
"""

from __future__ import annotations

import re

_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"
_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"

# Anything that needs work, for the fast path: one search over clean text.
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI_CONTROLS}{_SURROGATES}]")
_UNSAFE_MULTI_LINE = re.compile(
    f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI_CONTROLS}{_SURROGATES}]"
)

# A line break and the blanks around it become one space in a one-line field.
_BREAK_IN_LINE = re.compile(f"[ \t]*[{_LINE_BREAKS}]+[ \t]*")
_CARRIAGE_RETURN = re.compile("\r\n?")


def _visible_controls() -> dict[int, str | None]:
    table: dict[int, str | None] = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀-␟
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):
        # C1 controls have no pictures; U+FFFD says "something was here".
        table[code] = "\ufffd"
    table[0x85] = "\n"  # NEL is a line break
    for code in (0x2028, 0x2029):  # line and paragraph separators
        table[code] = "\n"
    for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]:
        table[code] = None
    for code in range(0xD800, 0xE000):
        table[code] = "\ufffd"
    return table


_MULTI_LINE_TABLE = _visible_controls() | {ord("\n"): "\n", ord("\t"): "\t"}
_ONE_LINE_TABLE = _visible_controls() | {ord("\t"): " "}


def one_line(text: str) -> str:
    """A title or a name, safe to print: no control characters, no line breaks."""
    # isprintable() is the fastest test there is and passes most titles; it refuses
    # some harmless text too (a no-break space, a zero-width joiner), hence the regex.
    if text.isprintable() or not _UNSAFE_ONE_LINE.search(text):
        return text
    text = _BREAK_IN_LINE.sub(" ", text)
    return text.translate(_ONE_LINE_TABLE)


def multi_line(text: str) -> str:
    """A description or a comment, safe to print: lines and tabs kept, nothing else."""
    if not _UNSAFE_MULTI_LINE.search(text):
        return text
    text = _CARRIAGE_RETURN.sub("\n", text)
    return text.translate(_MULTI_LINE_TABLE)
