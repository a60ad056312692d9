#!/usr/bin/env bash
# Python benchmark: mde.Client vs requests vs httpx, release build, emulator on loopback.
# Usage: bash bench/python/run.sh [CALLS]   (default 2000 per client and round)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r tests/python/requirements.txt requests httpx
cargo build --release -p mde-emulator
(cd python && VIRTUAL_ENV="$PWD/../.venv" PATH="$PWD/../.venv/bin:$PATH" maturin develop -q --release)
.venv/bin/python bench/python/bench.py target/release/mde-emulator "${1:-2000}"
# Leave the development build installed for the tests.
(cd python && VIRTUAL_ENV="$PWD/../.venv" PATH="$PWD/../.venv/bin:$PATH" maturin develop -q)
