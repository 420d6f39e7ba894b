import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_healthz_all_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "channel_layer": "ok",
        "search": "ok",
    }


@pytest.mark.django_db
def test_healthz_reports_a_broken_channel_layer(client):
    from channels.layers import channel_layers

    broken = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    with override_settings(CHANNEL_LAYERS=broken):
        channel_layers.backends.clear()
        try:
            response = client.get("/healthz")
        finally:
            channel_layers.backends.clear()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["channel_layer"] != "ok"
    assert "Connect" in body["channel_layer"] or "refused" in body["channel_layer"].lower()


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_search_cluster(client):
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:1"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["search"] != "ok"


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
