"""A measured figure against its target, and the table they are printed as."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One line of the table. `value` is None when it could not be measured."""

    name: str
    value: float | None
    target: float
    unit: str
    """"x" for a ratio, "ms" or "MB"."""
    detail: str = ""
    """What the value is made of (the two timings of a ratio, the max of a median...)."""

    @property
    def met(self) -> bool:
        return self.value is not None and self.value <= self.target

    @property
    def result(self) -> str:
        if math.isnan(self.target) and self.value is not None:
            return "-"  # a figure for reference, with no target
        return "met" if self.met else "not met"

    @property
    def measured(self) -> str:
        if self.value is None:
            return self.detail or "not measured"
        shown = f"{self.value:.2f}x" if self.unit == "x" else f"{self.value:.1f} {self.unit}"
        return f"{shown} ({self.detail})" if self.detail else shown

    @property
    def target_text(self) -> str:
        if math.isnan(self.target):
            return "-"
        return f"<= {self.target:g}{'x' if self.unit == 'x' else ' ' + self.unit}"


def failed(name: str, target: float, unit: str, reason: str) -> Figure:
    """A figure that could not be measured: it shows why and counts as not met."""
    return Figure(name, None, target, unit, f"failed: {reason}")


def ratio(name: str, measured: float | None, floor: float | None, target: float) -> Figure:
    """`measured` as a multiple of `floor` (both in seconds), e.g. first paint / bare app."""
    if measured is None or floor is None or floor <= 0:
        what = "the app" if measured is None else "the floor"
        return failed(name, target, "x", f"no time for {what}")
    detail = f"{measured * 1000:.0f} ms / {floor * 1000:.0f} ms"
    return Figure(name, measured / floor, target, "x", detail)


def table(figures: list[Figure]) -> str:
    """A Markdown table, so it pastes into the README as it is."""
    rows = [("figure", "measured", "target", "result")]
    rows += [(f.name, f.measured, f.target_text, f.result) for f in figures]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])
