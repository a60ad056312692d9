#!/usr/bin/env bash
# The one command that runs every test of the project, in every language.
# It installs what it needs on a fresh Debian machine and starts what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Rust: unit, integration and doc tests (core against the emulator over loopback)"
# Benchmarks are not tests: they run with their own commands (README).
cargo test --workspace --lib --bins --tests
cargo test --workspace --doc

step "C and C++: the header, and libmde (shared, static, under valgrind) against the emulator"
bash tests/c/run.sh

step "C# over P/Invoke with Mono: the PowerShell module's interop source against libmde"
bash tests/csharp/run.sh

step "Python: the mde module built with maturin into .venv, pytest, mypy.stubtest"
bash tests/python/run.sh

echo
echo "all test suites passed"
