"""Errors of Cardboard itself (as opposed to a service's, in tui.providers.base)."""


class ConfigError(Exception):
    """Bad configuration or bad usage: the CLI exits 2 and prints this one line.

    The message names the place ("path:line: what is wrong", or the option), never a
    secret.
    """
