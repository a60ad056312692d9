"""The GIL is released, Ctrl-C interrupts a slow call, fork() never hangs."""

import _thread
import os
import threading
import time

import pytest

import mde
from conftest import TOKEN


def test_two_threads_with_slow_calls_overlap(client, emulator):
    (action_id,) = emulator.seed({})
    emulator.inject(route="get", delay_ms=800, count=2)
    spans = []

    def call():
        start = time.monotonic()
        client.get_action(action_id)
        spans.append((start, time.monotonic()))

    threads = [threading.Thread(target=call) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (s1, e1), (s2, e2) = spans
    # Each call lasts at least the injected delay; they overlap only if the GIL was
    # released while waiting.
    assert e1 - s1 >= 0.8 and e2 - s2 >= 0.8
    assert s1 < e2 and s2 < e1, spans


def test_ctrl_c_interrupts_a_slow_call(client, emulator):
    (action_id,) = emulator.seed({})
    emulator.inject(route="get", delay_ms=10_000)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        client.get_action(action_id)
    elapsed = time.monotonic() - start
    timer.join()
    # Interrupted long before the 10 s answer (the check runs every 50 ms).
    assert elapsed < 5, elapsed


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_fork_never_hangs(client, emulator):
    (action_id,) = emulator.seed({})
    client.get_action(action_id)  # the parent's runtime and connections are in use
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            try:
                client.get_action(action_id)
            except RuntimeError as e:
                if "another process" in str(e):
                    fresh = mde.Client(base_url=emulator.url, token=TOKEN, timeout=5)
                    if fresh.get_action(action_id).id == action_id:
                        code = 0
        finally:
            os._exit(code)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    pytest.fail("the child hung")
