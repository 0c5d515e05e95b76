"""`cardboard accounts [add|remove|test]`: the accounts in accounts.toml."""

from __future__ import annotations

import argparse
import sys

from tui.cli.output import account_json, emit
from tui.core.account_status import Health, check_account
from tui.core.accounts import AccountFields, TokenSource, add_account, build_account, remove_account
from tui.core.connect import available_accounts
from tui.core.errors import ConfigError
from tui.core.secret import Secret

EXIT_SERVICE, EXIT_USAGE = 1, 2


async def list_accounts(args: argparse.Namespace) -> int:
    accounts = available_accounts()
    document = [account_json(a.name, a.provider, a.url) for a in accounts]
    text = "\n".join(f"{a.name}\t{a.provider}\t{a.url or ''}".rstrip() for a in accounts)
    return emit(args.json, document, text)


async def add(args: argparse.Namespace) -> int:
    source, token = None, Secret("")
    if args.token_env is not None:
        source = TokenSource.ENV
    elif args.token_cmd is not None:
        source = TokenSource.COMMAND
    elif args.keyring:
        source = TokenSource.KEYRING
    elif args.token_stdin:
        source, token = TokenSource.STORED, _read_token()
    fields = AccountFields(
        name=args.name,
        provider=args.provider,
        url=args.url,
        token_source=source,
        token=token,
        token_env=args.token_env or "",
        token_cmd=args.token_cmd or "",
        options=dict(_key_value(option) for option in args.option),
        allow_insecure=args.allow_insecure,
    )
    add_account(build_account(fields))
    print(f"added {args.name}; check it with: cardboard accounts test {args.name}")
    return 0


def _read_token() -> Secret:
    if sys.stdin.isatty():  # typed by a person: not echoed
        import getpass

        return Secret(getpass.getpass("Token: "))
    return Secret(sys.stdin.readline().strip())


def _key_value(option: str) -> tuple[str, str]:
    key, equals, value = option.partition("=")
    if not equals or not key.strip():
        raise ConfigError(f"--option {option!r}: write it as KEY=VALUE")
    return key.strip(), value


async def remove(args: argparse.Namespace) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            raise ConfigError(f"accounts remove {args.name}: add --yes to remove it without asking")
        if input(f"Remove account {args.name!r} from accounts.toml? [y/N] ").strip().lower() != "y":
            print("kept")
            return 0
    remove_account(args.name)
    print(f"removed {args.name}")
    return 0


async def test(args: argparse.Namespace) -> int:
    status = await check_account(args.name)
    if status.health is Health.OK:
        print(status.summary)
        return 0
    print(f"cardboard: {status.summary}", file=sys.stderr)
    return EXIT_USAGE if status.health is Health.SETUP_PROBLEM else EXIT_SERVICE
