"""MachineAction: attributes, datetimes, to_dict round trips, immutability."""

import datetime

import pytest

import mde

REAL_WORLD = {
    "type": "LiveResponse",
    "status": "InProgress",
    "machineId": "1e5bc9d7e413ddd7902c2932e418702b84d0cc07",
    "computerDnsName": "desktop-test",
    "requestor": "SOC Automation",
    "requestorComment": "collect",
    "scope": "Full",
    "externalId": "ext-1",
    "title": "Live response",
    "creationDateTimeUtc": "2024-01-02T13:39:46.7738206Z",
    "lastUpdateDateTimeUtc": "2024-01-02T13:40:00Z",
    "relatedFileInfo": {"fileIdentifier": "abc", "fileIdentifierType": "Sha256"},
    "commands": [{"index": 0, "startTime": "2024-01-02T13:39:47Z", "endTime": None,
                  "commandStatus": "Created", "errors": [],
                  "command": {"type": "GetFile", "params": [{"key": "Path", "value": "C:\\a.txt"}]}}],
    "futureField": {"nested": [1, None, "é"]},
}


def test_attributes_and_to_dict_round_trip(client, emulator):
    (action_id,) = emulator.seed(REAL_WORLD)
    a = client.get_action(action_id)
    assert a.to_dict() == emulator.raw_action(action_id)
    assert a.to_dict()["futureField"] == {"nested": [1, None, "é"]}
    assert list(a.to_dict())[:3] == ["@odata.context", "id", "type"], "key order as sent"
    assert (a.id, a.type, a.status) == (action_id, "LiveResponse", "InProgress")
    assert a.machine_id == "1e5bc9d7e413ddd7902c2932e418702b84d0cc07"
    assert a.computer_dns_name == "desktop-test"
    assert (a.requestor, a.requestor_comment, a.title) == ("SOC Automation", "collect", "Live response")
    assert (a.scope, a.external_id, a.request_source, a.error_hresult) == ("Full", "ext-1", "PublicApi", 0)
    assert a.related_file_info == {"fileIdentifier": "abc", "fileIdentifierType": "Sha256"}
    assert a.commands[0]["command"]["type"] == "GetFile"
    assert a.cancellation_requestor is None and a.cancellation_date_time_utc is None
    assert a.troubleshoot_info is None
    assert not a.is_final


def test_datetimes_are_aware_utc_to_the_microsecond(client, emulator):
    (action_id,) = emulator.seed(REAL_WORLD)
    a = client.get_action(action_id)
    utc = datetime.timezone.utc
    assert a.creation_date_time_utc == datetime.datetime(2024, 1, 2, 13, 39, 46, 773820, tzinfo=utc)
    assert a.creation_date_time_utc.tzinfo is utc
    assert a.last_update_date_time_utc == datetime.datetime(2024, 1, 2, 13, 40, tzinfo=utc)


def test_cancel_statuses_constants_repr_equality(client, emulator):
    (action_id,) = emulator.seed({"status": "Pending"})
    a = client.cancel_action(action_id, "isolé par erreur 🚫")
    assert a.status == mde.ActionStatus.CANCELLED == "Cancelled"
    assert a.is_final and a.status in mde.ActionStatus.FINAL
    assert a.cancellation_comment == "isolé par erreur 🚫"
    assert a.cancellation_date_time_utc.tzinfo is datetime.timezone.utc
    again = client.get_action(action_id)
    assert again == client.get_action(action_id)
    assert hash(again) == hash(client.get_action(action_id))
    assert again == a, "the same entity, rendered again"
    (other_id,) = emulator.seed({"status": "Pending"})
    assert client.get_action(other_id) != a
    text = repr(again)
    assert action_id in text and "Cancelled" in text and text.startswith("MachineAction(")


def test_unknown_enum_values_are_kept(client, emulator):
    (action_id,) = emulator.seed({"status": "Quantum", "type": "Teleport"})
    a = client.get_action(action_id)
    assert (a.status, a.type, a.is_final) == ("Quantum", "Teleport", False)


def test_immutable(client, emulator):
    (action_id,) = emulator.seed({})
    a = client.get_action(action_id)
    with pytest.raises(AttributeError):
        a.status = "Cancelled"
    d = a.to_dict()
    d["status"] = "changed"
    assert a.to_dict()["status"] == "Pending"
