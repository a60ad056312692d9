"""list_actions and cancel_actions, sync and async: one outcome per id in any mix."""

import asyncio
import datetime

import pytest

import mde
from conftest import TOKEN, UNKNOWN


def test_cancel_actions_gives_one_outcome_per_id_with_progress(client, emulator):
    pending, done = emulator.seed({"status": "Pending"}, {"status": "Succeeded"})
    seen = []
    outcomes = client.cancel_actions([pending, done, UNKNOWN, "bad", pending.upper()], "bulk", progress=seen.append)
    by_id = {o.id: o for o in outcomes}
    assert len(outcomes) == 4
    assert by_id[pending].outcome == "cancelled" and by_id[pending].action.status == "Cancelled"
    assert by_id[done].outcome == "not_cancellable" and by_id[done].status == "Succeeded"
    assert by_id[UNKNOWN].outcome == "not_found" and by_id[UNKNOWN].error is None
    assert by_id["bad"].outcome == "invalid_id" and isinstance(by_id["bad"].error, mde.InvalidArgumentError)
    assert [p.done for p in seen] == [1, 2, 3, 4]
    assert seen[-1].total == 4 and seen[-1].cancelled == 1 and seen[-1].other == 3
    with pytest.raises(mde.InvalidArgumentError):
        client.cancel_actions([pending], "  ")


def test_errors_become_outcomes(emulator):
    (action,) = emulator.seed({})
    emulator.inject(route="cancel", status=503)
    c = mde.Client(base_url=emulator.url, token=TOKEN, max_retries=0)
    (o,) = c.cancel_actions([action], "x")
    assert o.outcome == "error" and isinstance(o.error, mde.ServerError) and o.error.http_status == 503


def test_list_actions_filters(client, emulator):
    old = emulator.seed({"status": "Pending", "type": "Isolate", "requestor": "bot",
                         "creationDateTimeUtc": "2020-01-01T00:00:00Z"})[0]
    new = emulator.seed({"status": "InProgress", "type": "Isolate", "requestor": "bot"})[0]
    emulator.seed({"status": "Pending", "type": "RunAntiVirusScan", "requestor": "bot"},
                  {"status": "Succeeded", "type": "Isolate", "requestor": "bot"})
    ids = lambda actions: [a.id for a in actions]  # noqa: E731
    assert ids(client.list_actions(status=["Pending", "InProgress"], type="Isolate", requestor="bot")) == [old, new]
    since = datetime.datetime(2021, 1, 1, tzinfo=datetime.timezone.utc)
    assert ids(client.list_actions(status=["Pending", "InProgress"], type="Isolate", created_after=since)) == [new]
    assert len(client.list_actions(top=2)) == 2
    with pytest.raises(TypeError):
        client.list_actions(stauts="Pending")
    with pytest.raises(mde.InvalidArgumentError):
        client.list_actions(created_after="yesterday")


def test_async_bulk(emulator):
    ids = emulator.seed(*[{"status": "Pending"} for _ in range(10)])
    seen = []

    async def main():
        async with mde.AsyncClient(base_url=emulator.url, token=TOKEN) as c:
            listed = await c.list_actions(status="Pending")
            outcomes = await c.cancel_actions([a.id for a in listed] + ["bad"], "async bulk", progress=seen.append)
            return listed, outcomes

    listed, outcomes = asyncio.run(main())
    assert sorted(a.id for a in listed) == sorted(ids)
    assert sorted(o.outcome for o in outcomes) == ["cancelled"] * 10 + ["invalid_id"]
    assert len(seen) == 11 and seen[-1].done == 11
