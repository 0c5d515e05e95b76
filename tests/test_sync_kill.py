"""A real `kill -9`: the process dies after the service acted, before it heard the answer.

The child queues a create through the store; its provider makes the card, says so on
stdout and hangs, and the test kills it with SIGKILL right then. The next start finds
the operation in doubt, finds the card on the service and does not make it again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import make_local
from tui.core.cache import Cache
from tui.core.outbox import Kind, OpState, Outbox
from tui.core.store import Store

TITLE = "Survives kill -9"

CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from tui.core.cache import Cache
    from tui.core.models import CardDraft
    from tui.core.outbox import Outbox
    from tui.core.provider import Connection
    from tui.core.store import Store
    from tui.providers.local import LocalProvider

    class ActsThenHangs(LocalProvider):
        async def create_card(self, board_id, draft):
            await super().create_card(board_id, draft)
            print("acted", flush=True)
            await asyncio.sleep(3600)  # the answer never comes: SIGKILL ends it

    async def main(folder):
        provider = ActsThenHangs(Connection(account="local", data_dir=folder / "board"))
        store = Store(
            provider, outbox=Outbox(folder / "outbox.db", "local"), cache=Cache(folder / "c.db")
        )
        board = (await store.load_boards())[0]
        await store.open_board(board.id)
        column = store.state.board.columns[0]
        await store.create_card(CardDraft(title=sys.argv[2], column_id=column.id))

    asyncio.run(main(Path(sys.argv[1])))
    """
)


async def test_kill_9_after_the_service_acted_loses_nothing_and_repeats_nothing(tmp_path: Path):
    root = Path(__file__).resolve().parent.parent
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path), TITLE],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        line = child.stdout.readline()  # blocks until the card exists on the "service"
        assert line.strip() == "acted", child.stderr.read()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL

    (op,) = Outbox(tmp_path / "outbox.db", "local").operations()
    assert op.kind is Kind.CREATE and op.state is OpState.IN_DOUBT

    provider = make_local(tmp_path / "board")
    store = Store(
        provider, outbox=Outbox(tmp_path / "outbox.db", "local"), cache=Cache(tmp_path / "c.db")
    )
    try:
        await store.open_board((await store.load_boards())[0].id)
        shown = [c.id for c in store.state.board.cards if c.title == TITLE]
        assert len(shown) == 1 and not shown[0].startswith("new:")  # no double while in doubt
        await store.sync()
        assert store.state.operations == ()
        saved = await provider.load_board(store.state.board.board.id)
        assert [c.title for c in saved.cards].count(TITLE) == 1
        assert [c.id for c in store.state.board.cards if c.title == TITLE] == [
            c.id for c in saved.cards if c.title == TITLE
        ]
    finally:
        store.close()
        await provider.aclose()
