#!/usr/bin/env bash
# Time to first paint in a real terminal (tmux), as a ratio to a bare Textual app.
#   bash tests/benchmarks/first_paint.sh [CARDS]     (default 5000)
# Prints the median seconds of both and the ratio. Needs tmux and ../shared/tools/.
set -euo pipefail
cd "$(dirname "$0")/../.."
cards=${1:-5000}
tools=../shared/tools
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
board=$(CARDBOARD_DATA_DIR=$home .venv/bin/python -c "
import asyncio, pathlib
from tests.benchmarks.big_board import make_big_board
print(asyncio.run(make_big_board(pathlib.Path('$home'), $cards)))")
floor=$(python3 $tools/tmux_first_paint.py --cols 160 --rows 48 --marker FLOOR-READY -- .venv/bin/python $tools/floor_app.py | tail -1)
app=$(python3 $tools/tmux_first_paint.py --cols 160 --rows 48 --marker "bench card 00000" -- \
    env CARDBOARD_DATA_DIR=$home CARDBOARD_CONFIG_DIR=$home/config .venv/bin/cardboard --board "$board" | tail -1)
echo "floor:     $floor"
echo "cardboard: $app ($cards cards)"
python3 - "$floor" "$app" <<'PY'
import re, sys
floor, app = (float(re.search(r"median ([\d.]+)", s).group(1)) for s in sys.argv[1:])
print(f"ratio: {app / floor:.2f}x the bare Textual app")
PY
