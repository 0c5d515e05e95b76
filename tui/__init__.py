"""Cardboard: a keyboard-first terminal dashboard for kanban boards."""

__version__ = "0.1.0"
