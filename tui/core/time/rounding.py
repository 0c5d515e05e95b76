"""What a service that counts whole minutes receives for an entry kept in exact seconds.

The rule (config.toml `[time] rounding`, README "Time tracking"):
- an entry under one minute is never sent: it stays in Cardboard's journal only;
- from one minute on, "nearest" (the default) rounds to the nearest minute, half a
  minute up (1m29s -> 1, 1m30s -> 2); "up" counts every started minute (1m01s -> 2);
  "down" drops the seconds (1m59s -> 1).
"""

from __future__ import annotations

from tui.core.config import ROUNDINGS, Rounding

__all__ = ["ROUNDINGS", "Rounding", "service_minutes"]


def service_minutes(seconds: int, rounding: Rounding = "nearest") -> int:
    """Whole minutes for the service; 0 means "do not send" (under a minute)."""
    if seconds < 60:
        return 0
    match rounding:
        case "up":
            return -(-seconds // 60)
        case "down":
            return seconds // 60
        case _:
            return (seconds + 30) // 60
