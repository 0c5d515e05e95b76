"""The layering DESIGN.md asks for, checked.

The import directions are import-linter contracts in pyproject.toml (core <- providers,
core <- ui, core <- cli); the no-Textual rule is also checked at run time, since an
import hidden inside a function is invisible to a static graph until it runs.
"""

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
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout


def test_start_up_imports_no_pydantic():
    # pydantic's import and first schemas (~90 ms) are for where something is validated:
    # answers from a service, an import file. The app's first frame, the demo board a
    # first start seeds and the CLI's reads (config, accounts, remembered state, themes,
    # models, store) do without.
    probe = (
        "import sys, tui.ui.app, tui.providers.local_demo, tui.cli.boards, tui.cli.cards;"
        " print('pydantic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False", result.stderr


def test_imports_point_one_way():
    # A fresh interpreter: import-linter's logging setup disables every existing logger.
    probe = (
        "from importlinter.cli import lint_imports; raise SystemExit(lint_imports(no_cache=True))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout  # it names each broken contract
