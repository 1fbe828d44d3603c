def test_login(client):
    resp = client.post("/login", data={"username": "ops", "password": "Juniper85$canyon"})
    resp = client.post("/login", data={"username": "ops", "password": "wrong-password"})
    user = User(email="a@acme.io", password="test1234")
    assert resp.status_code == 401
    monkeypatch.setenv("API_TOKEN", "dummy-token")
    token = "abcabcabcabcabcabcabcabc"
