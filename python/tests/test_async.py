"""AsyncClient: concurrency with gather, cancellation, errors, context manager."""

import asyncio
import time

import pytest

import mde
from conftest import TOKEN, UNKNOWN


def test_fifty_concurrent_cancels(emulator):
    ids = emulator.seed(*[{"status": "Pending"} for _ in range(50)])

    async def main():
        async with mde.AsyncClient(base_url=emulator.url, token=TOKEN) as client:
            return await asyncio.gather(*(client.cancel_action(i, "bulk") for i in ids))

    actions = asyncio.run(main())
    assert [a.id for a in actions] == ids
    assert all(a.status == "Cancelled" for a in actions)
    assert len(emulator.requests()) == 50


def test_a_cancelled_task_never_sends_its_request(emulator):
    (action_id,) = emulator.seed({})

    async def main():
        client = mde.AsyncClient(base_url=emulator.url, token="async-budget", rate_limits=[(1, 30.0)], max_wait=60)
        await client.get_action(action_id)
        task = asyncio.ensure_future(client.get_action(action_id))  # waits for budget
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.3)

    asyncio.run(main())
    assert len(emulator.requests()) == 1


def test_a_cancelled_task_stops_waiting_for_a_slow_answer(emulator):
    (action_id,) = emulator.seed({})
    emulator.inject(route="get", delay_ms=5000)

    async def main():
        client = mde.AsyncClient(base_url=emulator.url, token=TOKEN)
        task = asyncio.ensure_future(client.get_action(action_id))
        await asyncio.sleep(0.2)
        start = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - start

    assert asyncio.run(main()) < 2


def test_errors_and_closing(emulator):
    async def main():
        client = mde.AsyncClient(base_url=emulator.url, token=TOKEN)
        with pytest.raises(mde.NotFoundError):
            await client.get_action(UNKNOWN)
        with pytest.raises(mde.InvalidArgumentError):
            await client.get_action("nope")
        async with client:
            pass
        with pytest.raises(RuntimeError, match="closed"):
            await client.get_action(UNKNOWN)

    asyncio.run(main())
