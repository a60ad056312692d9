"""Fixtures: a real mde-emulator process per test, driven through its control routes."""

import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EMULATOR = Path(os.environ.get("MDE_EMULATOR_BIN", ROOT / "target" / "debug" / "mde-emulator"))
TOKEN = "py-test-token-sekrit-3c2b1a"


class Emulator:
    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [str(EMULATOR), "--listen", "127.0.0.1:0", *args],
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        assert line.startswith("listening on "), line
        self.url = line.split()[-1]

    def _call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("content-type", "application/json")
        with urllib.request.urlopen(request) as response:
            text = response.read()
            return json.loads(text) if text else None

    def seed(self, *actions):
        return [a["id"] for a in self._call("POST", "/_emulator/actions", list(actions))]

    def inject(self, **fault):
        fault.setdefault("count", 1)
        self._call("POST", "/_emulator/faults", fault)

    def requests(self):
        return self._call("GET", "/_emulator/requests")

    def raw_action(self, action_id: str):
        request = urllib.request.Request(f"{self.url}/api/machineactions/{action_id}")
        request.add_header("authorization", "Bearer any")
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def emulator():
    emu = Emulator("--no-rate-limits")
    yield emu
    emu.stop()


@pytest.fixture
def start_emulator():
    started = []

    def start(*args: str) -> Emulator:
        emu = Emulator(*args)
        started.append(emu)
        return emu

    yield start
    for emu in started:
        emu.stop()


@pytest.fixture
def client(emulator):
    import mde

    return mde.Client(base_url=emulator.url, token=TOKEN, timeout=5, retry_base=0.02, retry_cap=0.05)


UNKNOWN = "00000000-0000-4000-8000-000000000000"
