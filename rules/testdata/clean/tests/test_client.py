import pytest

from storefront import Client
from storefront.errors import AuthError

FAKE_KEY = "dummy-api-key"


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("STOREFRONT_API_KEY", "placeholder")
    return Client(api_key=FAKE_KEY, base_url="http://localhost:8080")


def test_rejects_missing_key():
    with pytest.raises(AuthError):
        Client(api_key="")


def test_redacts_key_in_repr(client):
    assert "dummy" not in repr(client)
    assert repr(client).endswith("api_key=<redacted>)")


def test_login(client, requests_mock):
    requests_mock.post("http://localhost:8080/login", json={"token": "<token>"})
    token = client.login(username="alice", password="password")
    assert token == "<token>"


def test_database_url():
    url = "postgres://user:password@localhost/db"
    assert Client.parse_dsn(url).password == "password"


@pytest.mark.parametrize("value", ["sk_live_xxxxxxxx", "${STRIPE_KEY}", "{{ stripe_key }}", "REDACTED"])
def test_placeholder_keys_are_refused(value):
    with pytest.raises(ValueError):
        Client(api_key=value).check()
