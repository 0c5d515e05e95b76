"""`cardboard` end to end over real HTTP: the CLI, accounts.toml, a token from the
environment, the provider and a fake service served by uvicorn on 127.0.0.1.

One server runs for the module; each test installs a freshly seeded fake behind it,
so tests share no state. The client's rate limiter runs on a virtual clock (nothing
really waits) and the Kaiten fake's own limit is off, since the CLI's requests are
paced on that virtual clock rather than the server's real one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.kaiten import KaitenFake
from tests.fakes.kanbantool import KanbanToolFake
from tests.fakes.service import FakeService
from tests.support.clock import FakeClock
from tests.support.served import Served
from tui.core import paths
from tui.providers import http

ACCOUNT = "e2e"
TOKEN_ENV = "CARDBOARD_E2E_TOKEN"


# --- the services, and how to read their fakes' state -----------------------------------


@dataclass(frozen=True)
class Service:
    provider: str
    make_fake: Callable[[], FakeService]
    board: tuple[str, str]
    """The seeded board's name and group."""
    live_cards: Callable[[FakeService], set[str]]
    column_of: Callable[[FakeService, str], str]
    """The name of the column a card is in, as the service holds it."""
    comments_on: Callable[[FakeService, str], list[str]]


KAITEN = Service(
    provider="kaiten",
    make_fake=lambda: KaitenFake(rate_limit=None),
    board=("Development", "Product"),
    live_cards=lambda fake: {str(i) for i, card in fake.cards.items() if card["condition"] == 1},
    column_of=lambda fake, card: fake.columns[fake.cards[int(card)]["column_id"]]["title"],
    comments_on=lambda fake, card: [
        c["text"] for c in fake.comments.values() if c["card_id"] == int(card)
    ],
)
KANBANTOOL = Service(
    provider="kanbantool",
    make_fake=KanbanToolFake,
    board=("Product development", "Projects"),
    live_cards=lambda fake: {
        str(i) for i, task in fake.tasks.items() if task["archived_at"] is None
    },
    column_of=lambda fake, card: fake.workflow_stages[fake.tasks[int(card)]["workflow_stage_id"]][
        "name"
    ],
    comments_on=lambda fake, card: [
        c["content"] for c in fake.comments.values() if c["task_id"] == int(card)
    ],
)


@dataclass
class Setup:
    service: Service
    fake: FakeService
    monkeypatch: pytest.MonkeyPatch

    @property
    def token(self) -> str:
        return self.fake.token

    @property
    def board_id(self) -> str:
        return str(next(iter(self.fake.boards)))

    def use_token(self, token: str) -> None:
        self.monkeypatch.setenv(TOKEN_ENV, token)


@pytest.fixture(params=[KAITEN, KANBANTOOL], ids=lambda service: service.provider)
def setup(request, served: Served, monkeypatch: pytest.MonkeyPatch) -> Setup:
    """A fresh fake behind the server, and an account pointing at it."""
    service: Service = request.param
    fake = service.make_fake()
    served.switchboard.fake = fake
    paths.accounts_file().parent.mkdir(parents=True, exist_ok=True)
    paths.accounts_file().write_text(
        f'[accounts.{ACCOUNT}]\nprovider = "{service.provider}"\n'
        f'url = "{served.origin}{fake.base_path}"\ntoken_env = "{TOKEN_ENV}"\n'
    )
    monkeypatch.setattr(http, "SystemClock", FakeClock)
    setup = Setup(service, fake, monkeypatch)
    setup.use_token(fake.token)
    return setup


def log_text() -> str:
    log_file: Path = paths.log_file()
    return log_file.read_text(encoding="utf-8") if log_file.exists() else ""


# --- the tests --------------------------------------------------------------------------


def test_boards_come_from_the_service(setup: Setup, cardboard):
    run = cardboard("boards", "--account", ACCOUNT, "--json")
    assert run.code == 0, run.err
    name, group = setup.service.board
    assert run.json == [{"id": setup.board_id, "name": name, "group": group}]


def test_cards_are_the_boards_live_cards(setup: Setup, cardboard):
    run = cardboard("cards", "--board", setup.board_id, "--account", ACCOUNT, "--json")
    assert run.code == 0, run.err
    cards = run.json
    assert {card["id"] for card in cards} == setup.service.live_cards(setup.fake)
    assert all(card["column"] == setup.service.column_of(setup.fake, card["id"]) for card in cards)


def test_card_move_moves_it_on_the_service(setup: Setup, cardboard):
    listed = cardboard("cards", "--board", setup.board_id, "--account", ACCOUNT, "--json")
    card = next(card for card in listed.json if card["column"] != "Done")
    run = cardboard(
        "card", "move", card["id"], "--board", setup.board_id, "--column", "Done",
        "--account", ACCOUNT, "--json",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert run.json["column"] == "Done"
    assert setup.service.column_of(setup.fake, card["id"]) == "Done"


def test_card_comment_reaches_the_service(setup: Setup, cardboard):
    card = sorted(setup.service.live_cards(setup.fake))[0]
    before = setup.service.comments_on(setup.fake, card)
    run = cardboard(
        "card", "comment", card, "Deployed to staging", "--board", setup.board_id,
        "--account", ACCOUNT, "--json",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert run.json["text"] == "Deployed to staging"
    assert setup.service.comments_on(setup.fake, card) == [*before, "Deployed to staging"]


def test_a_rejected_token_exits_1_without_showing_it(setup: Setup, cardboard):
    wrong = "wrong-token-5f3a9c"
    setup.use_token(wrong)
    run = cardboard("--debug", "boards", "--account", ACCOUNT)
    assert run.code == 1
    assert run.out == ""
    assert run.err.count("\n") == 1
    assert f"token rejected for account '{ACCOUNT}'" in run.err
    for secret in (wrong, setup.token):
        assert secret not in run.err
        assert secret not in log_text()


def test_the_token_never_reaches_output_or_the_log(setup: Setup, cardboard):
    board = setup.board_id
    card = sorted(setup.service.live_cards(setup.fake))[0]
    runs = [
        cardboard("--debug", "boards", "--account", ACCOUNT, "--json"),
        cardboard("--debug", "cards", "--board", board, "--account", ACCOUNT),
        cardboard("--debug", "card", "show", card, "--board", board, "--account", ACCOUNT),
        cardboard(
            "--debug",
            "card",
            "move",
            card,
            "--board",
            board,
            "--column",
            "Done",
            "--account",
            ACCOUNT,
        ),
    ]
    assert [run.code for run in runs] == [0, 0, 0, 0], [run.err for run in runs]
    log = log_text()
    assert "GET" in log  # the debug log did record the requests
    assert sent_token(setup.fake) == setup.token
    for text in (log, *(run.out for run in runs), *(run.err for run in runs)):
        assert setup.token not in text


def sent_token(fake: FakeService) -> str:
    """The token the last request carried, as the fake received it (proves it was sent)."""
    headers = fake.requests[-1].headers
    return headers.get("x-kanbantooltoken") or headers["authorization"].removeprefix("Bearer ")
