#!/usr/bin/env bash
# Benchmark: mde_cancel_action from C versus the same POSTs with libcurl on a
# kept-alive connection, against the emulator on loopback, client-side limits off.
# Usage: bash bench/c/run.sh [CALLS]   (default 5000 per client, after 200 warm-up)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
ensure_packages gcc libcurl4-openssl-dev

n=${1:-5000}
warm=200
cargo build --release -p mde-ffi -p mde-emulator
out=tests/build/bench
mkdir -p "$out"
gcc -O2 -Iinclude -Ibench/c bench/c/bench_libmde.c -Ltarget/release -lmde \
    -Wl,-rpath,"$PWD/target/release" -o "$out/bench_libmde"
gcc -O2 -Ibench/c bench/c/bench_libcurl.c -lcurl -o "$out/bench_libcurl"
gcc -O2 -Iinclude -Ibench/c bench/c/bench_interleaved.c -Ltarget/release -lmde -lcurl \
    -Wl,-rpath,"$PWD/target/release" -o "$out/bench_interleaved"
python3 - "$out/seed.json" "$((n + warm))" <<'PY'
import json, sys
n = int(sys.argv[2])
ids = ["%08d-0000-4000-8000-%012d" % (p, i) for p in (40000000, 50000000) for i in range(n)]
json.dump([{"id": i, "status": "Pending"} for i in ids], open(sys.argv[1], "w"))
PY
EMU_BIN=target/release/mde-emulator
trap stop_emulator EXIT
start_emulator --no-rate-limits --seed "$out/seed.json"
# Separate programs, one after the other, twice; then one program that interleaves
# the two call by call, so that machine noise falls on both alike. Each line gives
# the wall-clock mean and p99 a call, and the process's CPU time a call (the
# client's own work, without the wait for the emulator).
for round in 1 2; do
    "$out/bench_libcurl" "$EMU_URL" "$n" "$warm" | tee -a "$out/results"
    "$out/bench_libmde" "$EMU_URL" "$n" "$warm" | tee -a "$out/results"
    stop_emulator
    start_emulator --no-rate-limits --seed "$out/seed.json"
done
echo "interleaved in one process:"
"$out/bench_interleaved" "$EMU_URL" "$n" "$warm" | sed 's/^/interleaved-/' | tee "$out/interleaved"
python3 - "$out/results" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
best = {}
for name, mean, p99, cpu in rows:
    best.setdefault(name, []).append((float(mean), float(p99), float(cpu)))
m = {k: min(v) for k, v in best.items()}
for k, (mean, p99, cpu) in m.items():
    print(f"{k:8s} mean {mean:7.1f} us   p99 {p99:7.1f} us   CPU {cpu:6.1f} us a call   (best of {len(best[k])} rounds)")
print(f"separate programs, libmde/libcurl: mean {m['libmde'][0] / m['libcurl'][0]:.3f}x, p99 {m['libmde'][1] / m['libcurl'][1]:.3f}x (target <= 1.10x), CPU {m['libmde'][2] / m['libcurl'][2]:.3f}x")
PY
python3 - "$out/interleaved" <<'PY'
import sys
r = {l.split()[0]: [float(x) for x in l.split()[1:]] for l in open(sys.argv[1])}
c, m = r["interleaved-libcurl"], r["interleaved-libmde"]
print(f"interleaved, libmde/libcurl: mean {m[0] / c[0]:.3f}x, p99 {m[1] / c[1]:.3f}x (target <= 1.10x), CPU {m[2] / c[2]:.3f}x")
PY
rm -f "$out/results"
