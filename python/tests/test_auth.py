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


def _pfx(password: bytes):
    """A self-signed certificate and its RSA key, as PEM and as a PKCS#12 file."""
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mde-python-app")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    pfx = pkcs12.serialize_key_and_certificates(
        b"app", key, cert, None, serialization.BestAvailableEncryption(password))
    return cert.public_bytes(serialization.Encoding.PEM).decode(), pfx


def test_certificate_in_a_pfx_signs_in_with_its_password(start_emulator, tmp_path):
    cert_pem, pfx = _pfx(b"pfx-Pw-71")
    apps = tmp_path / "apps.json"
    apps.write_text(json.dumps([{
        "tenant_id": TENANT, "client_id": CLIENT, "certificate_pem": cert_pem,
        "roles": ["Machine.Read.All"], "display_name": "Python Bot",
    }]))
    emulator = start_emulator("--apps", str(apps), "--no-rate-limits")
    path = tmp_path / "app.pfx"
    path.write_bytes(pfx)
    (action_id,) = emulator.seed({})
    config = dict(base_url=emulator.url, authority_host=emulator.url, tenant_id=TENANT,
                  client_id=CLIENT, client_certificate_path=str(path))
    client = mde.Client(**config, client_certificate_password="pfx-Pw-71")
    assert client.get_action(action_id).id == action_id
    assert [r["route"] for r in emulator.requests()] == ["token", "get"]

    with pytest.raises(mde.InvalidArgumentError) as info:
        mde.Client(**config, client_certificate_password="guess-Qq3")
    assert "wrong client_certificate_password" in str(info.value)
    assert str(path) in str(info.value)
    assert "guess-Qq3" not in str(info.value) and "guess-Qq3" not in repr(info.value)


def test_ca_certificate_path_is_read_when_the_client_is_made(tmp_path):
    missing = tmp_path / "missing-ca.pem"
    with pytest.raises(mde.InvalidArgumentError) as info:
        mde.Client(token="t", ca_certificate_path=str(missing))
    assert "ca_certificate_path" in str(info.value) and str(missing) in str(info.value)
    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("hello")
    with pytest.raises(mde.InvalidArgumentError, match="no CERTIFICATE block"):
        mde.AsyncClient(token="t", ca_certificate_path=str(not_pem))
