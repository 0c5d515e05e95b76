"""The demo board a new user sees first, as a board export document.

It is seeded through the same import as any export file, so the demo exercises the
real code path. Dates are days relative to `today`, so the board always looks
current (a few cards overdue, some due this week) and is the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from tui.core.exchange import (
    ExportDocument,
    ExportedBoard,
    ExportedCard,
    ExportedChecklistItem,
    ExportedColumn,
    ExportedComment,
    ExportedLabel,
    ExportedLane,
    ExportedUser,
)
from tui.core.models import ColumnKind, Priority

BOARD = ExportedBoard(
    name="Cardboard demo",
    description=(
        "A sample board to try Cardboard on: move cards, open them, tick checklists. "
        "Nothing here leaves your machine."
    ),
)

COLUMNS = (
    ExportedColumn(id="backlog", name="Backlog", kind=ColumnKind.QUEUE),
    ExportedColumn(id="ready", name="Ready", wip_limit=5, kind=ColumnKind.QUEUE),
    ExportedColumn(id="doing", name="In progress", wip_limit=3, kind=ColumnKind.IN_PROGRESS),
    ExportedColumn(id="review", name="Review", wip_limit=3, kind=ColumnKind.IN_PROGRESS),
    ExportedColumn(id="done", name="Done", kind=ColumnKind.DONE),
)

LANES = (
    ExportedLane(id="expedite", name="Expedite"),
    ExportedLane(id="standard", name="Standard"),
)

LABELS = (
    ExportedLabel(id="bug", name="bug", color="#d73a4a"),
    ExportedLabel(id="feature", name="feature", color="#2da44e"),
    ExportedLabel(id="chore", name="chore", color="#bf8700"),
    ExportedLabel(id="docs", name="docs", color="#0969da"),
    ExportedLabel(id="ux", name="ux", color="#8250df"),
    ExportedLabel(id="security", name="security", color="#cf222e"),
)

USERS = (
    ExportedUser(id="ada", name="Ada Okafor", email="ada@example.com"),
    ExportedUser(id="bruno", name="Bruno Costa", email="bruno@example.com"),
    ExportedUser(id="chen", name="Chen Wei", email="chen@example.com"),
    ExportedUser(id="dana", name="Dana Kowalski", email="dana@example.com"),
)


@dataclass(frozen=True)
class _Card:
    """A demo card with its dates as day offsets from today."""

    title: str
    column: str
    lane: str = "standard"
    labels: tuple[str, ...] = ()
    assignee: str | None = None
    due: int | None = None
    """Days from today; negative is overdue."""
    priority: Priority | None = None
    age: int = 10
    """Days since the card was created."""
    description: str = ""
    checklist: tuple[tuple[str, bool], ...] = ()
    comments: tuple[tuple[str, int, str], ...] = ()
    """(author id, days ago, text), oldest first; days are at least 1 so that nothing
    happens later than the moment the board is first opened."""


_CARDS = (
    # --- Backlog
    _Card(
        "Dark mode for the settings page",
        "backlog",
        labels=("feature", "ux"),
        age=40,
        description=(
            "## Why\n\nThree support tickets this month asked for it, and the rest of the "
            "app already follows the system theme.\n\n## Scope\n\n- settings page only\n"
            "- reuse the `--surface` and `--text` tokens\n- no new colours"
        ),
    ),
    _Card("Export invoices as CSV", "backlog", labels=("feature",), age=35, priority=Priority.LOW),
    _Card(
        "Upgrade PostgreSQL from 14 to 16",
        "backlog",
        labels=("chore",),
        assignee="chen",
        age=30,
        description=(
            "Managed instance; the provider ends support for 14 next quarter.\n\n"
            "```sh\npg_upgrade --check -d /var/lib/pg14 -D /var/lib/pg16\n```"
        ),
        checklist=(
            ("Read the 15 and 16 release notes", True),
            ("Dry run on a staging snapshot", False),
            ("Schedule the maintenance window", False),
        ),
    ),
    _Card(
        "Document the on-call rotation and escalation policy",
        "backlog",
        labels=("docs",),
        assignee="dana",
        age=21,
    ),
    _Card(
        "Investigate flaky test_checkout_timeout on CI",
        "backlog",
        labels=("bug",),
        age=6,
        description=(
            "Fails about 1 run in 20, only on the ARM runners.\n\n"
            "```\nAssertionError: expected 504, got 200\n```"
        ),
        comments=(("bruno", 5, "Happened twice today on `main`. Retrying makes it pass."),),
    ),
    _Card(
        "Support SSO login with Okta and Azure AD for the enterprise customers who asked "
        "for it during the quarterly review",
        "backlog",
        labels=("feature", "security"),
        age=50,
        priority=Priority.HIGH,
        description=(
            "# Single sign-on\n\nEnterprise plans need SAML 2.0 and OIDC.\n\n"
            "## Open questions\n\n1. Just-in-time provisioning or SCIM?\n"
            "2. What happens to existing password logins?\n"
        ),
    ),
    _Card("Add keyboard shortcuts to the dashboard", "backlog", labels=("ux",), age=12),
    _Card("Remove the legacy v1 API endpoints", "backlog", labels=("chore",), age=60),
    # --- Ready
    _Card(
        "Password reset email lands in spam",
        "ready",
        lane="expedite",
        labels=("bug",),
        assignee="ada",
        due=1,
        priority=Priority.HIGH,
        age=2,
        description="Gmail marks it as spam since the DKIM key rotation on Monday.",
        comments=(
            ("dana", 2, "Two customers wrote in about this already."),
            ("ada", 1, "Looks like the new DKIM selector never made it to DNS."),
        ),
    ),
    _Card(
        "Rate-limit the public search API",
        "ready",
        labels=("feature", "security"),
        assignee="bruno",
        due=9,
        priority=Priority.NORMAL,
        age=14,
        description="- 60 requests per minute per key\n- `429` with `Retry-After`\n",
    ),
    _Card("Write the migration guide for v3", "ready", labels=("docs",), assignee="dana", due=12),
    _Card(
        "Translate onboarding into Spanish and German",
        "ready",
        labels=("ux",),
        age=18,
        checklist=(("Spanish", False), ("German", False)),
    ),
    _Card(
        "Add retries to the webhook sender", "ready", labels=("feature",), assignee="chen", age=9
    ),
    # --- In progress (one over its limit of 3: the local board shows limits, never enforces them)
    _Card(
        "Checkout fails for cards issued outside the EU — «payment_intent» 402 🔥",
        "doing",
        lane="expedite",
        labels=("bug",),
        assignee="ada",
        due=0,
        priority=Priority.URGENT,
        age=1,
        description=(
            "## What happens\n\nCustomers with US and 🇯🇵 cards get a generic error at the "
            "last step.\n\n## Log\n\n```json\n"
            '{"error": {"code": "card_declined", "decline_code": "authentication_required"}}\n'
            "```\n\n## Plan\n\n- [x] reproduce with a test card\n- [ ] handle 3-D Secure\n"
        ),
        checklist=(
            ("Reproduce with a test card", True),
            ("Handle the 3-D Secure challenge", False),
            ("Add a regression test", False),
        ),
        comments=(
            ("bruno", 1, "Support says about 40 failed checkouts since yesterday."),
            ("ada", 1, "Found it: we never confirm the payment intent after the challenge."),
        ),
    ),
    _Card(
        "New onboarding flow: step 2 (team invite)",
        "doing",
        labels=("feature", "ux"),
        assignee="dana",
        due=4,
        age=11,
        checklist=(
            ("Design review", True),
            ("Invite by email", True),
            ("Invite by link", False),
            ("Skip for now", False),
        ),
    ),
    _Card(
        "Move CI from Jenkins to GitHub Actions",
        "doing",
        labels=("chore",),
        assignee="chen",
        due=-2,
        age=25,
        description="Keep Jenkins running until the release branch builds green twice.",
        comments=(("chen", 3, "Unit tests are green; the deploy job needs a new secret."),),
    ),
    _Card(
        "Search results ignore accents (café ≠ cafe)",
        "doing",
        labels=("bug",),
        assignee="bruno",
        age=7,
        priority=Priority.NORMAL,
    ),
    # --- Review
    _Card(
        "Audit log for admin actions",
        "review",
        labels=("feature", "security"),
        assignee="bruno",
        due=3,
        age=20,
        checklist=(("Schema", True), ("API", True), ("Admin UI", True), ("Retention job", False)),
        comments=(("dana", 1, "Left a few comments on the PR, nothing blocking."),),
    ),
    _Card(
        "Fix N+1 queries on the projects page",
        "review",
        labels=("bug",),
        assignee="chen",
        age=5,
        description="Page load went from 2.1 s to 180 ms on the big demo account.",
    ),
    _Card("Update README screenshots", "review", labels=("docs",), assignee="ada", age=3),
    # --- Done
    _Card("Set up error tracking with Sentry", "done", labels=("chore",), assignee="chen", age=45),
    _Card(
        "Invite teammates by link",
        "done",
        labels=("feature",),
        assignee="dana",
        age=33,
        comments=(("ada", 20, "Shipped 🎉"),),
    ),
    _Card(
        "CSV import chokes on a byte-order mark",
        "done",
        labels=("bug",),
        assignee="bruno",
        age=28,
    ),
    _Card("Pagination on the invoices list", "done", labels=("feature",), assignee="ada", age=26),
    _Card(
        "Write ADR 012: choose a job queue",
        "done",
        labels=("docs",),
        assignee="chen",
        age=24,
        description="Decision: **Postgres-backed queue** until we outgrow it.",
    ),
    _Card(
        "Hotfix: session cookie missing SameSite",
        "done",
        lane="expedite",
        labels=("bug", "security"),
        assignee="bruno",
        priority=Priority.URGENT,
        age=16,
    ),
    _Card("Empty states for new accounts", "done", labels=("ux",), assignee="dana", age=22),
    _Card("Bump Node to 20 LTS", "done", labels=("chore",), assignee="chen", age=19),
    _Card(
        "Accessibility pass on forms (labels, focus order)",
        "done",
        labels=("ux",),
        assignee="ada",
        age=17,
        checklist=(("Labels", True), ("Focus order", True), ("Error messages read aloud", True)),
    ),
    _Card("Weekly digest email", "done", labels=("feature",), assignee="dana", age=15),
)


def demo_document(today: date) -> ExportDocument:
    """The demo board, dated around `today`."""
    names = {user.id: user.name for user in USERS}

    def at(days_ago: int, hour: int = 9) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour), UTC)

    cards = tuple(
        ExportedCard(
            id=str(number),
            title=card.title,
            description=card.description,
            column_id=card.column,
            lane_id=card.lane,
            label_ids=card.labels,
            assignee_id=card.assignee,
            due=None if card.due is None else today + timedelta(days=card.due),
            priority=card.priority,
            created_at=at(card.age),
            updated_at=at(min((days for _, days, _ in card.comments), default=card.age), 17),
            checklist=tuple(
                ExportedChecklistItem(text=text, done=done) for text, done in card.checklist
            ),
            comments=tuple(
                ExportedComment(
                    author=names[author], text=text, created_at=at(days_ago, 10 + number)
                )
                for number, (author, days_ago, text) in enumerate(card.comments)
            ),
        )
        for number, card in enumerate(_CARDS, start=1)
    )
    return ExportDocument(
        exported_at=at(0),
        board=BOARD,
        columns=COLUMNS,
        lanes=LANES,
        labels=LABELS,
        users=USERS,
        cards=cards,
    )
