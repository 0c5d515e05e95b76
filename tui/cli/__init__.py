"""`cardboard`: the TUI, and subcommands for scripts (the interface in DESIGN.md).

Exit codes: 0 success, 1 a service failed (its message on stderr), 2 bad usage or
bad configuration. `--json` prints exactly one JSON document on stdout.

The package, one module per job:
- `parser.py`: every command's flags (argparse), and nothing else;
- `accounts.py`, `boards.py`, `cards.py`, `exchange.py`, `time.py`: one module per
  command group, holding its handlers; `launch.py` starts the TUI;
- `output.py`: the stable JSON shapes of the scripting interface;
- `common.py`: what handlers share (connecting, picking a board or column by name).

Adding a command: declare it in parser.py, in its group's `add_*` function (a new
group gets its own function, listed in `parser.GROUPS`; a command's actions go in its
`body`, see `parser.Parser`), with `set_defaults(handler="MODULE:FUNCTION")`, and write
`async def FUNCTION(args) -> int` in `tui/cli/MODULE.py`. `main()` imports that module
only when the command runs, so `cardboard --version` imports no command at all.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, cast

EXIT_OK, EXIT_SERVICE, EXIT_USAGE = 0, 1, 2

Handler = Callable[..., Coroutine[Any, Any, int]]


def main(argv: Sequence[str] | None = None) -> int:
    from tui.core.heap import start_up

    with start_up():  # start-up, up to the command's own work (tui.core.heap)
        from tui.cli.parser import build_parser, check_account_placement

        parser = build_parser()
        args = parser.parse_args(argv)
        # Imported after parsing: `--version` and `--help` end above, having imported no
        # more than argparse.
        import asyncio

        from tui.core import logs
        from tui.core.errors import ConfigError, ProviderError

    try:
        check_account_placement(args)
        log_file = logs.setup_logging(debug=args.debug)
        if args.command is None:
            from tui.cli.launch import run_tui

            return run_tui(args, log_file)
        with start_up():
            handler = resolve(args.handler)
        return asyncio.run(handler(args))
    except ConfigError as exc:
        print(f"cardboard: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ProviderError as exc:
        print(f"cardboard: {exc}", file=sys.stderr)
        return EXIT_SERVICE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `cardboard cards ... | head`: the reader left, as it may
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:  # a file Cardboard must write (the log, a data dir) cannot be
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"cardboard: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE


def resolve(handler: str) -> Handler:
    """ "cards:card_show" -> tui.cli.cards.card_show, imported now."""
    module, _, name = handler.partition(":")
    return cast(Handler, getattr(importlib.import_module(f"tui.cli.{module}"), name))


def _silence_stdout() -> None:
    """Point stdout at devnull, so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is no real file (tests): nothing will flush it
        pass
    finally:
        os.close(devnull)
