"""The layering DESIGN.md asks for, checked: the store and the providers run without Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import tui.core
import tui.providers


def modules_of(package) -> list[str]:
    return [f"{package.__name__}.{info.name}" for info in pkgutil.iter_modules(package.__path__)]


def test_core_and_providers_never_import_textual():
    modules = modules_of(tui.core) + modules_of(tui.providers)
    assert "tui.core.store" in modules and "tui.providers.kaiten" in modules
    probe = "; ".join(f"import {name}" for name in modules)
    probe += "; import sys; print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    # A fresh interpreter: this test process has Textual loaded already.
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout
