"""Serve one fake on 127.0.0.1: `python -m tests.fakes kaiten --port 8765`.

It prints the account URL and token to use, then serves until interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import inspect

import uvicorn

from tests.fakes.service import FakeService


def find_fake(name: str) -> type[FakeService]:
    module = importlib.import_module(f"tests.fakes.{name}")
    for _, obj in inspect.getmembers(module, inspect.isclass):
        if (
            issubclass(obj, FakeService)
            and obj is not FakeService
            and obj.__module__ == module.__name__
        ):
            return obj
    raise SystemExit(f"tests/fakes/{name}.py defines no FakeService")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakes", description=__doc__)
    parser.add_argument("name", help="the fake's module name, e.g. kaiten")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    args = parser.parse_args()
    fake = find_fake(args.name)()
    fake.faults.latency = args.latency
    url = f"http://127.0.0.1:{args.port}{fake.base_path}"
    print(f"{fake.name} fake on {url}  token: {getattr(fake, 'token', '(none)')}", flush=True)
    uvicorn.run(fake.app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
