"""App credentials from Python: the same keys as the JSON configuration."""

import json

import pytest

import mde

TENANT = "11111111-2222-4333-8444-555555555555"
CLIENT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"


@pytest.fixture
def app_emulator(start_emulator, tmp_path):
    apps = tmp_path / "apps.json"
    apps.write_text(json.dumps([{
        "tenant_id": TENANT, "client_id": CLIENT, "client_secret": "py-secret-Qw9",
        "roles": ["Machine.Isolate", "Machine.Read.All"], "display_name": "Python Bot",
    }]))
    return start_emulator("--apps", str(apps), "--no-rate-limits")


def test_client_secret_signs_in(app_emulator):
    (action_id,) = app_emulator.seed({})
    client = mde.Client(base_url=app_emulator.url, authority_host=app_emulator.url,
                        tenant_id=TENANT, client_id=CLIENT, client_secret="py-secret-Qw9")
    assert client.cancel_action(action_id, "x").cancellation_requestor == "Python Bot"
    assert [r["route"] for r in app_emulator.requests()] == ["token", "cancel"]


def test_wrong_secret_is_an_authentication_error_without_the_secret(app_emulator):
    client = mde.Client(base_url=app_emulator.url, authority_host=app_emulator.url,
                        tenant_id=TENANT, client_id=CLIENT, client_secret="wrong-Zz1")
    with pytest.raises(mde.AuthenticationError) as info:
        client.get_action("00000000-0000-4000-8000-000000000000")
    assert info.value.code == "invalid_client"
    assert info.value.message.startswith("AADSTS7000215")
    assert "wrong-Zz1" not in str(info.value) and "wrong-Zz1" not in repr(info.value)


def test_incomplete_credentials_name_what_is_missing():
    with pytest.raises(mde.InvalidArgumentError, match="client_id"):
        mde.Client(tenant_id=TENANT, client_secret="s")
