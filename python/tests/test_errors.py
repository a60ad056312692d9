"""Every exception class for the outcome that raises it, and the hierarchy."""

import pytest

import mde
from conftest import TOKEN, UNKNOWN


def test_hierarchy_and_public_names():
    subclasses = [
        mde.InvalidArgumentError, mde.NotFoundError, mde.NotCancellableError,
        mde.AuthenticationError, mde.PermissionDeniedError, mde.RateLimitError,
        mde.RequestTimeoutError, mde.NetworkError, mde.ServerError,
        mde.BadResponseError, mde.ApiError,
    ]
    assert len(set(subclasses)) == 11
    for cls in subclasses:
        assert issubclass(cls, mde.MdeError)
        assert cls.__module__ == "mde"
    assert issubclass(mde.InvalidArgumentError, ValueError)
    assert issubclass(mde.RequestTimeoutError, TimeoutError)
    assert mde.MdeError.__module__ == "mde"


def test_invalid_argument_sends_nothing(client, emulator):
    for bad in ["", "not-a-guid", "../machines", UNKNOWN + "?x"]:
        with pytest.raises(mde.InvalidArgumentError) as info:
            client.cancel_action(bad, "x")
        assert info.value.status == "INVALID_ARGUMENT"
        assert info.value.http_status is None
    with pytest.raises(ValueError):
        client.cancel_action(UNKNOWN, "   ")
    with pytest.raises(mde.InvalidArgumentError, match="timeout"):
        mde.Client(token="t", timeout=-1)
    with pytest.raises(mde.InvalidArgumentError, match="region"):
        mde.Client(token="t", cloud="gcc", region="eu")
    with pytest.raises(TypeError):
        mde.Client(tokn="t")
    assert emulator.requests() == []


def test_not_found(client):
    with pytest.raises(mde.NotFoundError) as info:
        client.get_action(UNKNOWN)
    e = info.value
    assert (e.status, e.http_status, e.code) == ("NOT_FOUND", 404, "NotFound")
    assert e.target and len(e.target) == 36
    assert e.attempts == 1
    assert "not found" in str(e)


def test_not_cancellable(client, emulator):
    (done,) = emulator.seed({"status": "Succeeded"})
    with pytest.raises(mde.NotCancellableError) as info:
        client.cancel_action(done, "too late")
    assert info.value.action_status == "Succeeded"
    assert info.value.status == "NOT_CANCELLABLE"


def test_authentication(start_emulator):
    emu = start_emulator("--token", "the-only-token")
    with pytest.raises(mde.AuthenticationError) as info:
        mde.Client(base_url=emu.url, token=TOKEN).get_action(UNKNOWN)
    assert info.value.http_status == 401
    assert TOKEN not in str(info.value) and TOKEN not in repr(info.value)


def test_permission_denied(start_emulator):
    emu = start_emulator("--token", f"{TOKEN}:Machine.Read.All")
    (action,) = emu.seed({})
    with pytest.raises(mde.PermissionDeniedError) as info:
        mde.Client(base_url=emu.url, token=TOKEN).cancel_action(action, "x")
    assert info.value.http_status == 403


def test_rate_limited_by_the_service(client, emulator):
    (action,) = emulator.seed({})
    emulator.inject(route="get", status=429, retry_after="7")
    c = mde.Client(base_url=emulator.url, token=TOKEN, max_retries=0)
    with pytest.raises(mde.RateLimitError) as info:
        c.get_action(action)
    assert info.value.retry_after == 7.0
    assert info.value.http_status == 429


def test_rate_limited_by_the_client_budget(emulator):
    (action,) = emulator.seed({})
    c = mde.Client(base_url=emulator.url, token="budget-test", rate_limits=[(1, 60.0)], max_wait=0)
    c.get_action(action)
    with pytest.raises(mde.RateLimitError) as info:
        c.get_action(action)
    assert 59 < info.value.retry_after <= 60.2
    assert info.value.http_status is None
    assert len(emulator.requests()) == 1


def test_timeout(emulator):
    (action,) = emulator.seed({})
    emulator.inject(route="get", delay_ms=2000)
    c = mde.Client(base_url=emulator.url, token=TOKEN, timeout=0.2, max_retries=0)
    with pytest.raises(mde.RequestTimeoutError) as info:
        c.get_action(action)
    assert isinstance(info.value, TimeoutError)


def test_network(emulator):
    (action,) = emulator.seed({})
    emulator.inject(route="get", drop=True)
    c = mde.Client(base_url=emulator.url, token=TOKEN, max_retries=0)
    with pytest.raises(mde.NetworkError):
        c.get_action(action)


def test_server_error(emulator):
    (action,) = emulator.seed({})
    emulator.inject(route="get", status=503, count=2)
    c = mde.Client(base_url=emulator.url, token=TOKEN, max_retries=1, retry_base=0.01)
    with pytest.raises(mde.ServerError) as info:
        c.get_action(action)
    assert (info.value.http_status, info.value.attempts) == (503, 2)


def test_bad_response(client, emulator):
    (action,) = emulator.seed({})
    emulator.inject(route="get", body="<html>proxy</html>")
    with pytest.raises(mde.BadResponseError):
        client.get_action(action)


def test_api_error(client, emulator):
    (action,) = emulator.seed({"status": "InProgress"})
    emulator.inject(route="cancel", status=400, code="InvalidRequestBody")
    with pytest.raises(mde.ApiError) as info:
        client.cancel_action(action, "x")
    assert (info.value.http_status, info.value.code) == (400, "InvalidRequestBody")
    assert info.value.message == "Injected fault"
