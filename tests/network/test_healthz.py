"""/healthz (readiness: the database, the channel layer and search) and /healthz/live
(liveness: the process answers). Terse in public; the details only for staff or for a probe
on this machine that did not come through a proxy."""

import pytest
from django.test import override_settings

PUBLIC = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.mark.django_db
def test_healthz_all_ok_in_detail_for_a_local_probe(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "channel_layer": "ok",
        "cache": "ok",
        "search": "ok",
    }


@pytest.mark.django_db
def test_healthz_is_terse_in_public(client):
    response = client.get("/healthz", **PUBLIC)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_a_local_address_through_a_proxy_counts_as_public(client):
    # Behind nginx every request comes from 127.0.0.1: the forwarded header tells them apart.
    response = client.get("/healthz", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_staff_see_the_details_from_anywhere(client, user_factory):
    staff = user_factory(is_staff=True)
    client.force_login(staff)
    assert "database" in client.get("/healthz", **PUBLIC).json()


def _broken_layer():
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }


@pytest.mark.django_db
def test_healthz_reports_a_broken_channel_layer(client):
    from channels.layers import channel_layers

    with override_settings(CHANNEL_LAYERS=_broken_layer()):
        channel_layers.backends.clear()
        try:
            local = client.get("/healthz")
            public = client.get("/healthz", **PUBLIC)
        finally:
            channel_layers.backends.clear()
    assert local.status_code == 503
    body = local.json()
    assert body["status"] == "fail"
    assert body["database"] == "ok"
    assert body["channel_layer"] != "ok"
    assert "Connect" in body["channel_layer"] or "refused" in body["channel_layer"].lower()
    # The public answer names nothing: no host, port or exception text.
    assert public.status_code == 503
    assert public.json() == {"status": "fail"}
    assert "127.0.0.1" not in public.content.decode()


@pytest.mark.django_db
def test_liveness_needs_no_dependency(client):
    from channels.layers import channel_layers

    with override_settings(CHANNEL_LAYERS=_broken_layer(), ELASTICSEARCH_URL="http://127.0.0.1:1"):
        channel_layers.backends.clear()
        try:
            response = client.get("/healthz/live", **PUBLIC)
        finally:
            channel_layers.backends.clear()
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_search_cluster(client):
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:1"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["search"] != "ok"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/healthz/live"])
def test_healthz_only_answers_get(client, path):
    assert client.post(path).status_code == 405


@pytest.mark.redis
async def test_the_channel_layer_check_passes_with_sockets_open_on_redis(settings):
    """A process with an open websocket runs channels_redis' receive loop for its
    process-specific channels; the check must not wait on that loop (it answered 503 on
    every busy process)."""
    from asgiref.sync import sync_to_async
    from channels.layers import channel_layers, get_channel_layer

    from network.health import check_channel_layer

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [settings.REDIS_URL], "prefix": "healthz-test"},
        }
    }
    channel_layers.backends.clear()
    layer = get_channel_layer()
    busy = await layer.new_channel("socket.")
    import asyncio

    listening = asyncio.ensure_future(layer.receive(busy))  # the consumers' receive loop
    try:
        await asyncio.sleep(0.1)
        assert await sync_to_async(check_channel_layer)() is None
    finally:
        listening.cancel()
        channel_layers.backends.clear()
