"""The composer's @mention suggestions: members of the thread's hub only, by handle or name
prefix, at most 8, for someone who may read the thread."""

import pytest

from tests.hubs.threads_support import make_member

pytestmark = pytest.mark.django_db


def suggest(client, hub, thread, q):
    return client.get(f"/hubs/{hub.slug}/threads/{thread.pk}/mentions/", {"q": q})


def test_members_of_this_hub_matching_the_prefix(client, hub, other_hub, member, member2, asked):
    amina = make_member(hub, name="Amina El Idrissi")
    make_member(hub, name="Amadou Diallo")
    make_member(hub, name="Boris Amundsen")  # "am" inside the name, not at the start
    make_member(other_hub, name="Amelia Elsewhere")  # another hub: never suggested
    client.force_login(member)

    response = suggest(client, hub, asked, "am")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert [r["name"] for r in results] == ["Amadou Diallo", "Amina El Idrissi"]
    assert {"handle": amina.handle, "name": "Amina El Idrissi"} in results
    assert suggest(client, hub, asked, "@" + amina.handle[:6]).json()["results"][0]["handle"] == (
        amina.handle
    )
    assert suggest(client, hub, asked, "").json() == {"results": []}
    # Not oneself.
    assert suggest(client, hub, asked, member.handle).json() == {"results": []}


def test_at_most_eight(client, hub, member, asked):
    for n in range(10):
        make_member(hub, name=f"Zora {n}")
    client.force_login(member)
    assert len(suggest(client, hub, asked, "zo").json()["results"]) == 8


def test_suspended_and_departed_members_are_not_suggested(
    client, hub, member, coordinator, suspended, asked
):
    client.force_login(member)
    assert suggest(client, hub, asked, "sami").json() == {"results": []}
    assert suggest(client, hub, asked, "clara").json()["results"] == [
        {"handle": coordinator.handle, "name": "Clara Coordinator"}
    ]


def test_refusals(client, hub, other_hub, outsider, asked, other_thread):
    response = suggest(client, hub, asked, "m")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(outsider)
    assert suggest(client, hub, asked, "m").status_code == 404  # cannot read the thread
    # A thread of another hub, through this hub's address: no such thread here.
    assert suggest(client, hub, other_thread, "m").status_code == 404
    assert client.post(f"/hubs/{hub.slug}/threads/{asked.pk}/mentions/").status_code == 405
