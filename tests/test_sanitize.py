"""tui.core.sanitize and tui.core.html_text: service text made safe, HTML made readable."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.hostile import BIDI_CONTROLS, hostile_text
from tui.core import codec
from tui.core.errors import NotFound
from tui.core.html_text import html_to_text, looks_like_html, readable
from tui.core.models import Card, Comment
from tui.core.sanitize import multi_line, one_line


def controls_in(text: str) -> set[str]:
    """Characters a terminal could act on: C0 and C1 controls, DEL, bidi controls."""
    return {
        char
        for char in text
        if (unicodedata.category(char) == "Cc" and char not in "\n\t") or char in BIDI_CONTROLS
    }


# --- the rule ----------------------------------------------------------------------


def test_escape_sequences_become_visible_text() -> None:
    title = "HTML desc \x1b[2J\x1b[Hclear? <b>bold</b>"

    assert one_line(title) == "HTML desc ␛[2J␛[Hclear? <b>bold</b>"
    assert multi_line("\x1b]0;PWNED\x07") == "␛]0;PWNED␇"


def test_c1_controls_and_del_never_survive() -> None:
    assert one_line("a\x9b2Jb\x7fc") == "a\ufffd2Jb␡c"


def test_bidi_overrides_and_isolates_are_removed() -> None:
    assert one_line("invoice\u202egnp.exe\u2066x\u2069") == "invoicegnp.exex"


def test_a_title_becomes_one_line() -> None:
    assert one_line("First\r\n  second\tthird\u2028fourth") == "First second third fourth"


def test_a_description_keeps_its_lines_and_tabs() -> None:
    assert multi_line("one\r\ntwo\rthree\n\tfour\u2028five") == "one\ntwo\nthree\n\tfour\nfive"


def test_lone_surrogates_become_replacement_characters() -> None:
    assert one_line("a\ud800b") == "a\ufffdb"


@pytest.mark.parametrize("text", ["", "plain", "Ünïcödé 中文 🙂", "a\u200db", "e\u0301", "[bold]"])
def test_clean_text_comes_back_as_the_same_object(text: str) -> None:
    assert one_line(text) is text
    assert multi_line(text) is text


@settings(max_examples=200)
@given(hostile_text(max_size=200))
def test_nothing_a_terminal_acts_on_survives(text: str) -> None:
    line, lines = one_line(text), multi_line(text)

    assert not controls_in(line) and "\n" not in line and "\t" not in line
    assert not controls_in(lines)
    line.encode("utf-8")  # a lone surrogate would raise here
    assert one_line(line) == line and multi_line(lines) == lines  # once is enough


def test_the_models_apply_the_rule_to_every_text_field() -> None:
    card = codec.load(
        Card,
        {
            "id": "1",
            "board_id": "b",
            "column_id": "c",
            "title": "t\x1b[2J\nitle",
            "description": "d\x1b]0;x\x07\r\nmore",
            "labels": [{"id": "l", "name": "bug\u202e"}],
            "assignee": {"id": "u", "name": "Ann\x1b[31m", "email": "a\x00@x.test"},
            "checklist": [{"id": "i", "text": "step\none"}],
        },
    )

    assert card.title == "t␛[2J itle"
    assert card.description == "d␛]0;x␇\nmore"
    assert card.labels[0].name == "bug"
    assert card.assignee is not None and card.assignee.name == "Ann␛[31m"
    assert card.assignee.email == "a␀@x.test"
    assert card.checklist[0].text == "step one"
    assert Comment(id="1", text="a\x1bb\nc").text == "a␛b\nc"


def test_a_service_error_message_is_safe_too() -> None:
    error = NotFound("card \x1b[2J gone", detail="the service said \x1b]0;PWNED\x07")

    assert "\x1b" not in str(error) and "\x07" not in str(error)


# --- HTML ----------------------------------------------------------------------------


def test_an_html_description_reads_as_text_with_its_links_and_lists() -> None:
    html = (
        "<h1>Release plan</h1><p>Ship it <b>soon</b>, see "
        '<a href="https://example.test/doc">the doc</a>.<br>Then rest.</p>'
        "<ul><li>one</li><li>two<ol><li>a</li><li>b</li></ol></li></ul>"
        "<pre>x = 1\n  y = 2</pre><p>Inline <code>z</code> &amp; more</p>"
        "<script>alert(1)</script>"
    )

    assert html_to_text(html) == (
        "# Release plan\n\n"
        "Ship it **soon**, see the doc (https://example.test/doc).  \nThen rest.\n\n"
        "- one\n- two\n  1. a\n  2. b\n\n"
        "```\nx = 1\n  y = 2\n```\n\n"
        "Inline `z` & more"
    )


def test_character_references_cannot_smuggle_controls() -> None:
    text = html_to_text("<p>a&#27;[2J b&#x202e; c&#x1b;</p><p>\x1b[31m</p>")

    assert not controls_in(text)


def test_markdown_is_not_mistaken_for_html() -> None:
    markdown = "# Title\n\nUse a <div> here, and *this*."

    assert not looks_like_html(markdown)
    assert readable(markdown) is markdown
    assert not looks_like_html("<https://example.test> is the place")  # an autolink


@pytest.mark.parametrize(
    "html",
    ["<h1>Title</h1>", "  <p>x</p>", "text then <br> more", "a <b>b</b>", '<font size="2">x'],
)
def test_html_is_recognised(html: str) -> None:
    assert looks_like_html(html)


def test_broken_html_still_gives_its_text() -> None:
    assert html_to_text("<h1>Unclosed <b>title<p>and <a href='x'>a link") == (
        "# Unclosed **title\n\nand a link (x)"
    )


TAG_SOUP = ["<p>", "</p>", "<li>", "<ul>", "</ol>", "<br>", "<a href='u'>", "</a>", "<pre>"]


@settings(max_examples=100)
@given(st.lists(st.sampled_from([*TAG_SOUP, "x", " ", "&#27;", "\x1b", "&#x9b;"])).map("".join))
def test_any_tag_soup_converts_to_safe_text(html: str) -> None:
    assert not controls_in(html_to_text(html))
