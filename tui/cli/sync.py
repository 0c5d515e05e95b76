"""`cardboard pending` and `cardboard sync`: the account's outbox, listed and sent.

`pending` lists what waits (queued, in doubt, refused); `sync` sends it, in order and
exactly once (see tui.core.sync_queue), and exits 1 while anything is left.
How a write command ends when its change cannot be applied at once: tui/cli/writes.py.
"""

from __future__ import annotations

import argparse
from typing import Any

from tui.cli.common import with_store
from tui.cli.output import emit
from tui.core.outbox import Operation, describe
from tui.core.store import Store

EXIT_OK, EXIT_FAILED = 0, 1


def operation_json(op: Operation) -> dict[str, Any]:
    return {
        "id": op.id,
        "kind": op.kind.value,
        "state": op.state.value,
        "board_id": op.board_id,
        "card_id": op.card_id,
        "title": op.payload.get("title"),
        "attempts": op.attempts,
        "error": op.last_error,
        "created_at": op.created_at.isoformat() if op.created_at else None,
    }


def _line(op: Operation) -> str:
    why = f": {op.last_error}" if op.last_error else ""
    return f"{op.state.value:<9} {describe(op)} (board {op.board_id}){why}"


async def pending(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        ops = store.state.operations
        text = "\n".join(_line(op) for op in ops) or "Nothing is waiting to be sent."
        return emit(args.json, [operation_json(op) for op in ops], text)

    return await with_store(args, work)


async def sync(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        sent = await store.sync()
        applied = [s.op for s in sent if s.outcome.applied is not None]
        refused = [s for s in sent if s.outcome.refused is not None]
        left = store.state.operations
        lines = [f"sent      {describe(op)}" for op in applied]
        lines += [f"refused   {describe(s.op)}: {s.outcome.refused}" for s in refused]
        lines += [_line(op) for op in left if op.id not in {s.op.id for s in refused}]
        document = {
            "sent": [operation_json(op) for op in applied],
            "left": [operation_json(op) for op in left],
        }
        emit(args.json, document, "\n".join(lines) or "Nothing was waiting to be sent.")
        return EXIT_FAILED if left else EXIT_OK

    return await with_store(args, work)
