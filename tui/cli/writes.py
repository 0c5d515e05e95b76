"""How a write command ends when its change could not be applied at once.

Every write goes through the outbox, as in the app, and the command waits for it:
applied is exit 0; refused is exit 1 with the service's words, and the change is
dropped (the caller was told). When the service cannot be reached, `--queue` keeps
the change for `cardboard sync` (exit 0, "queued"); without it, a change certainly
not applied is dropped (exit 1, nothing changed), and one that may have been applied
stays in the outbox (exit 1), where `cardboard sync` finds out whether it landed and
never applies it twice.
"""

from __future__ import annotations

import argparse
import sys

from tui.core.outbox import OpState, describe
from tui.core.store import Store

EXIT_FAILED = 1


def finish_writes(store: Store, before: set[str], args: argparse.Namespace, code: int) -> int:
    """The exit code once this command's changes still in the outbox are dealt with."""
    for op in store.outbox.operations():
        if op.id in before:
            continue
        reason = op.last_error or "the service could not be reached"
        if op.state is OpState.CONFLICT:
            store.discard(op.id)  # the refusal was raised to the caller: exit 1 said it
        elif getattr(args, "queue", False):
            print(
                f"cardboard: queued: {describe(op)} ({reason}); `cardboard sync` sends it",
                file=sys.stderr,
            )
        elif op.state is OpState.IN_DOUBT:
            print(
                f"cardboard: {describe(op)} may have been applied ({reason}); kept in the "
                "outbox: `cardboard sync` finds out and never applies it twice",
                file=sys.stderr,
            )
            code = EXIT_FAILED
        else:
            store.discard(op.id)
            print(
                f"cardboard: not sent: {describe(op)}: {reason}; nothing changed "
                "(--queue keeps a change for `cardboard sync`)",
                file=sys.stderr,
            )
            code = EXIT_FAILED
    return code
