"""Time tracking: the running timer, the journal of time spent, its sync, and reports.

- `journal`: the timer and the entries in one SQLite file (TimeJournal, CardRef);
- `sync`: pushing entries to the services that log time (TimeSync, AccountProviders);
- `reports`: totals by day, card, board or account;
- `rounding`: the whole minutes a service that counts minutes receives;
- `tracker`: TimeTracker, the one way the TUI and the CLI start, stop, switch and log.
"""

from tui.core.time.journal import CardRef, TimeJournal
from tui.core.time.reports import ReportBy, ReportRow, report
from tui.core.time.rounding import ROUNDINGS, Rounding, service_minutes
from tui.core.time.sync import AccountProviders, TimeSync
from tui.core.time.tracker import (
    EntryRefused,
    Switch,
    TimeTracker,
    default_start,
    sync_state_for,
)

__all__ = [
    "ROUNDINGS",
    "AccountProviders",
    "CardRef",
    "EntryRefused",
    "ReportBy",
    "ReportRow",
    "Rounding",
    "Switch",
    "TimeJournal",
    "TimeSync",
    "TimeTracker",
    "default_start",
    "report",
    "service_minutes",
    "sync_state_for",
]
