"""The keymap ids of forms and pickers: one pair for every form, one set for every picker,
and an id they had before names the one to use now."""

from __future__ import annotations

import re

import pytest

from tui.core.errors import ConfigError
from tui.ui.keymap import checked_keymap, known_bindings


def test_every_form_and_picker_key_has_one_id():
    known = known_bindings()
    assert {"form.save", "form.cancel"} <= set(known)
    assert {"picker.open", "picker.cancel", "picker.next", "picker.previous"} <= set(known)
    assert not [i for i in known if i.startswith(("time_form.", "account_form.", "switcher."))]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("time_form.save", "form.save"),
        ("account_form.cancel", "form.cancel"),
        ("switcher.open", "picker.open"),
        ("switcher.previous", "picker.previous"),
    ],
)
def test_an_id_from_before_names_the_new_one(tmp_path, old, new):
    config = tmp_path / "config.toml"
    config.write_text(f'[keymap]\n"{old}" = "f2"\n')
    with pytest.raises(ConfigError, match=re.escape(f"did you mean {new}?")):
        checked_keymap({old: "f2"}, path=config)


def test_the_new_ids_take_a_new_key(tmp_path):
    assert checked_keymap({"form.save": "ctrl+s,f2", "picker.open": "enter,o"}) == {
        "form.save": "ctrl+s,f2",
        "picker.open": "enter,o",
    }
