#!/usr/bin/env bash
# C and C++ tests of libmde: the header under strict compilers, and a C program
# linked against libmde.so and libmde.a, run against the emulator, and under valgrind.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
ensure_packages gcc g++ valgrind

cargo build -p mde-ffi -p mde-emulator
out=tests/build/c
mkdir -p "$out"
trap stop_emulator EXIT

echo "-- header: C11 pedantic, included twice"
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -Iinclude tests/c/header_twice.c \
    -Ltarget/debug -lmde -Wl,-rpath,"$PWD/target/debug" -o "$out/header_twice"
"$out/header_twice"
echo "-- header: C++17, included twice"
g++ -std=c++17 -Wall -Wextra -Wpedantic -Werror -Iinclude tests/c/header_cpp.cpp \
    -Ltarget/debug -lmde -Wl,-rpath,"$PWD/target/debug" -o "$out/header_cpp"
"$out/header_cpp"

cflags=(-std=c11 -Wall -Wextra -Wpedantic -Werror -Iinclude)
gcc "${cflags[@]}" tests/c/test_cancel.c -Ltarget/debug -lmde -lpthread \
    -Wl,-rpath,"$PWD/target/debug" -o "$out/test_cancel_shared"
gcc "${cflags[@]}" tests/c/test_cancel.c target/debug/libmde.a -lpthread -ldl -lm \
    -o "$out/test_cancel_static"

seed="$out/seed.json"
write_seed "$seed"

echo "-- C program, shared library"
start_emulator --no-rate-limits --seed "$seed"
"$out/test_cancel_shared" "$EMU_URL"
stop_emulator

echo "-- C program, static library"
start_emulator --no-rate-limits --seed "$seed"
"$out/test_cancel_static" "$EMU_URL"
stop_emulator

echo "-- C program, shared library, under valgrind"
start_emulator --no-rate-limits --seed "$seed"
valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
    --error-exitcode=3 "$out/test_cancel_shared" "$EMU_URL"
stop_emulator
