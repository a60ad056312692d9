"""Logging goes to the "mde" logger without secrets; the stub matches the module."""

import logging
import subprocess
import sys

import mde
from conftest import TOKEN


def test_records_go_to_the_mde_logger_without_the_token(emulator, caplog, capsys):
    (action_id,) = emulator.seed({})
    emulator.inject(route="get", status=503)
    caplog.set_level(logging.DEBUG, logger="mde")
    mde.refresh_log_levels()
    client = mde.Client(base_url=emulator.url, token=TOKEN, retry_base=0.01)
    client.get_action(action_id)
    records = [r for r in caplog.records if r.name == "mde"]
    assert any("retrying" in r.getMessage() for r in records), [r.getMessage() for r in records]
    assert any(r.levelno == logging.DEBUG for r in records)
    for r in caplog.records:
        assert TOKEN not in r.getMessage()
    out = capsys.readouterr()
    assert out.out == "" and TOKEN not in out.err


def test_stub_matches_the_native_module():
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "mde._mde"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
