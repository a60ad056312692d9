"""Sequential cancels against the emulator: mde.Client versus the same POSTs sent by
requests.Session and httpx.Client (kept-alive connections, client-side limits off).

Run: bash bench/python/run.sh [CALLS]
"""

import json
import statistics
import subprocess
import sys
import time
import urllib.request

import httpx
import requests

import mde

EMULATOR, CALLS, ROUNDS, WARMUP = sys.argv[1], int(sys.argv[2]), 3, 100


def start():
    p = subprocess.Popen([EMULATOR, "--listen", "127.0.0.1:0", "--no-rate-limits"], stdout=subprocess.PIPE, text=True)
    return p, p.stdout.readline().split()[-1]


def seed(url, n):
    body = json.dumps([{"status": "Pending"} for _ in range(n)]).encode()
    req = urllib.request.Request(url + "/_emulator/actions", data=body, headers={"content-type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return [a["id"] for a in json.loads(r.read())]


def timed(call, ids):
    for i in ids[:WARMUP]:
        call(i)
    lat = []
    for i in ids[WARMUP:]:
        t = time.perf_counter()
        call(i)
        lat.append((time.perf_counter() - t) * 1e6)
    return statistics.mean(lat), sorted(lat)[int(len(lat) * 0.99)]


def run_round():
    process, url = start()
    try:
        ids = seed(url, 3 * (CALLS + WARMUP))
        chunks = [ids[k * (CALLS + WARMUP):(k + 1) * (CALLS + WARMUP)] for k in range(3)]
        headers = {"Authorization": "Bearer bench", "Content-Type": "application/json", "Accept": "application/json"}
        body = json.dumps({"Comment": "bench"})
        client = mde.Client(base_url=url, token="bench", rate_limits=[])
        session = requests.Session()
        hx = httpx.Client()

        def with_requests(i):
            r = session.post(f"{url}/api/machineactions/{i}/cancel", data=body, headers=headers)
            r.raise_for_status()
            return r.json()

        def with_httpx(i):
            r = hx.post(f"{url}/api/machineactions/{i}/cancel", content=body, headers=headers)
            r.raise_for_status()
            return r.json()

        return {
            "mde": timed(lambda i: client.cancel_action(i, "bench"), chunks[0]),
            "requests": timed(with_requests, chunks[1]),
            "httpx": timed(with_httpx, chunks[2]),
        }
    finally:
        process.kill()
        process.wait()


results = [run_round() for _ in range(ROUNDS)]
best = {name: min(r[name] for r in results) for name in results[0]}
for name, (mean, p99) in best.items():
    print(f"{name:9s} mean {mean:7.1f} us   p99 {p99:7.1f} us   (best of {ROUNDS} rounds, {CALLS} calls)")
print(f"mde/requests: {best['mde'][0] / best['requests'][0]:.3f} of the time per call (target <= 0.5)")
print(f"mde/httpx:    {best['mde'][0] / best['httpx'][0]:.3f} of the time per call")
