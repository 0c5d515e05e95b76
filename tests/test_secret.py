"""tui.core.secret.Secret: a token that no print, log line or comparison gives away."""

from __future__ import annotations

import logging

import pytest

from tui.core.secret import Secret

TOKEN = "s3cr3t-t0ken"


def test_repr_str_and_formatting_mask_the_token() -> None:
    secret = Secret(TOKEN)

    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{[secret]}"):
        assert TOKEN not in shown
        assert "**********" in shown


def test_an_empty_secret_says_it_is_empty_and_is_false() -> None:
    assert str(Secret("")) == "" and repr(Secret("")) == "Secret('')"
    assert not Secret("") and Secret(TOKEN)


def test_the_token_is_there_for_the_one_place_that_sends_it() -> None:
    assert Secret(TOKEN).get_secret_value() == TOKEN


def test_secrets_compare_by_their_token_and_never_equal_plain_text() -> None:
    assert Secret(TOKEN) == Secret(TOKEN)
    assert Secret(TOKEN) != Secret(TOKEN + "x")
    assert Secret(TOKEN) != TOKEN
    assert len({Secret(TOKEN), Secret(TOKEN)}) == 1


def test_a_logged_secret_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        logging.getLogger("test").info("token is %s (%r)", Secret(TOKEN), Secret(TOKEN))

    assert TOKEN not in caplog.text
