#!/usr/bin/env bash
# The Python module: built into a local virtual environment (.venv) with maturin,
# then pytest (against the emulator binary) and mypy.stubtest.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv 2>/dev/null || { ensure_packages python3-venv; python3 -m venv .venv; }
fi
.venv/bin/pip install -q --disable-pip-version-check -r tests/python/requirements.txt
cargo build -p mde-emulator
(cd python && VIRTUAL_ENV="$PWD/../.venv" PATH="$PWD/../.venv/bin:$PATH" maturin develop -q)
.venv/bin/python -m pytest python/tests -q
.venv/bin/python -m mypy --strict python/mde
