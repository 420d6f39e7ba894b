"""The personal-data registry: coverage of every model pointing at the user, the data
export, and account deletion that leaves no personal data behind."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection

from core import personal_data
from core.exceptions import ActionError
from hubs import services as hub_services
from hubs.models import Hub, ModerationLogEntry
from hubs.realtime import groups
from members import services
from members.models import ConsentRecord, Profile
from tests.factories import PASSWORD, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def models_pointing_at_the_user():
    """{"app_label.Model"} of every model with a relation (FK, one-to-one, many-to-many
    through table) declared on it that points at the user model."""
    labels = set()
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields(include_hidden=True):
            if (
                field.is_relation
                and field.concrete
                and field.model is model
                and field.related_model is User
            ):
                labels.add(model._meta.label)
    return labels


def test_every_model_pointing_at_the_user_is_covered_or_exempted():
    covered = personal_data.covered_models()
    exempt = set(personal_data.EXEMPTIONS)
    missing_ours = {
        label
        for label in models_pointing_at_the_user()
        if label.split(".")[0] in personal_data.OUR_APPS and label not in covered
    }
    assert not missing_ours, f"register a personal-data source for {sorted(missing_ours)}"
    missing_third_party = {
        label
        for label in models_pointing_at_the_user()
        if label.split(".")[0] not in personal_data.OUR_APPS
        and label not in covered
        and label not in exempt
    }
    assert not missing_third_party, (
        f"cover or exempt (with a reason) {sorted(missing_third_party)} in core.personal_data"
    )
    # Our models are never merely exempted.
    assert not {label for label in exempt if label.split(".")[0] in personal_data.OUR_APPS}
    # Stale entries: every exemption names a model that still exists.
    assert exempt <= {m._meta.label for m in apps.get_models(include_auto_created=True)}


def test_the_coverage_check_notices_a_forgotten_model(monkeypatch):
    # Dropping one registration must make the check see the gap.
    kept = {k: v for k, v in personal_data._sources.items() if k != "memberships"}
    monkeypatch.setattr(personal_data, "_sources", kept)
    with pytest.raises(AssertionError, match=r"hubs\.Membership"):
        test_every_model_pointing_at_the_user_is_covered_or_exempted()


@pytest.fixture
def rich_member(db):
    """A member with something in every place: profile, consents, memberships, log."""
    user = ProfileFactory(user=UserFactory(name="Zainab Quorum-Unique")).user
    services.profile_update(
        user=user,
        name=user.name,
        expertise=["municipal_services"],
        languages=["ar", "fr"],
        bio="Solid waste in Quorumville",
        available_for_advice=True,
    )
    hub_services.membership_request(hub=Hub.objects.get(slug="see"), user=user, message="Hello")
    services.policy_publish(document="guidelines", body="## v2")
    services.consent_accept(user=user, accepted={"guidelines": 2}, language="en")
    return user


def test_export_holds_every_registered_source(client, rich_member):
    client.force_login(rich_member)
    response = client.get("/members/me/data/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)["data"]
    assert set(data) == {source.key for source in personal_data.sources()}
    account = data["account"]
    assert account["email"] == rich_member.email and account["name"] == rich_member.name
    assert account["profile"]["expertise"] == ["municipal_services"]
    assert sorted(account["profile"]["languages_spoken"]) == ["ar", "fr"]
    assert [(c["document"], c["version"], c["how"]) for c in data["consents"]] == [
        ("guidelines", 1, "signup"),
        ("privacy", 1, "signup"),
        ("guidelines", 2, "reconsent"),
    ]
    assert data["memberships"][0]["hub"] == "see"
    assert data["moderation_log"][0]["action"] == "joined"


def test_export_is_for_logged_in_members_only(client):
    response = client.get("/members/me/data/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def rows_containing(*needles):
    """Every (table, column) in the database whose text contains one of NEEDLES."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith("sqlite_"):
                continue
            description = connection.introspection.get_table_description(cursor, table)
            columns = [column.name for column in description]
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("utf-8", "ignore")
                    text = str(value)
                    for needle in needles:
                        if needle.lower() in text.lower():
                            found.append((table, column, needle))
    return found


def test_deletion_leaves_no_personal_data(client, rich_member):
    email, name = rich_member.email, rich_member.name
    user_id = rich_member.pk
    # Staff touched the account in the Django admin: the log names the person.
    staff = UserFactory(is_staff=True, is_superuser=True)
    LogEntry.objects.log_actions(
        user_id=staff.pk,
        queryset=[rich_member],
        action_flag=CHANGE,
        change_message="Changed name.",
        single_object=True,
    )
    # Wagtail's audit log: staff edited the account; the member edited something.
    from wagtail.log_actions import log
    from wagtail.models import ModelLogEntry

    log(instance=rich_member, action="wagtail.edit", user=staff)
    log(instance=Hub.objects.get(slug="see"), action="wagtail.edit", user=rich_member)
    # And a coordinator's log entry about them.
    ModerationLogEntry.objects.create(
        hub=Hub.objects.get(slug="see"), actor=staff, action="suspended", subject=rich_member
    )
    other_client = client.__class__()
    other_client.force_login(rich_member)  # a second session, e.g. on the phone
    client.force_login(rich_member)
    assert rows_containing(email, name)  # the search finds them while they exist

    response = client.post(
        "/members/me/delete/", {"password": PASSWORD, "confirm": "on"}, follow=True
    )
    assert response.status_code == 200
    assert "Your account and your personal data have been deleted." in response.content.decode()

    assert not User.objects.filter(pk=user_id).exists()
    assert rows_containing(email, name, "Quorumville") == []
    assert not Profile.objects.filter(user_id=user_id).exists()
    # Sessions ended everywhere.
    assert other_client.get("/members/me/").status_code == 302
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    # The ledger keeps anonymous rows, the withdrawal appended last.
    withdrawals = ConsentRecord.objects.filter(user__isnull=True, how="withdrawal")
    assert {row.version.document for row in withdrawals} == {"guidelines", "privacy"}
    assert not ModelLogEntry.objects.filter(user_id=user_id).exists()
    assert ModelLogEntry.objects.filter(label="SEE", user__isnull=True).exists()
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user_id)
    ).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deletion_closes_the_members_websockets(rich_member):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(groups.user_group(rich_member.pk), channel)
    services.account_delete(user=rich_member, password=PASSWORD)
    event = async_to_sync(layer.receive)(channel)
    assert event == {"type": "access.revoked", "hub_id": None}


@pytest.mark.parametrize("data", [{"password": "wrong", "confirm": "on"}, {"confirm": "on"}])
def test_wrong_password_deletes_nothing(client, rich_member, data):
    client.force_login(rich_member)
    ledger = ConsentRecord.objects.filter(user=rich_member).count()
    response = client.post("/members/me/delete/", data)
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert User.objects.filter(pk=rich_member.pk).exists()
    assert Profile.objects.filter(user=rich_member).exists()
    assert ConsentRecord.objects.filter(user=rich_member).count() == ledger
    assert client.get("/members/me/").status_code == 200  # still logged in


def test_deletion_needs_the_confirmation_box(client, rich_member):
    client.force_login(rich_member)
    response = client.post("/members/me/delete/", {"password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=rich_member.pk).exists()


def test_deletion_service_refuses_a_wrong_password(rich_member):
    with pytest.raises(ActionError):
        services.account_delete(user=rich_member, password="nope")
    assert User.objects.filter(pk=rich_member.pk).exists()


def test_deletion_page_explains_that_withdrawal_means_deletion(client, rich_member):
    client.force_login(rich_member)
    html = client.get("/members/me/delete/").content.decode()
    assert "Withdrawing your consent to the privacy notice means deleting your account" in html
    assert 'type="password"' in html and 'for="id_password"' in html


def test_deletion_is_post_only_for_anonymous_too(client):
    assert client.post("/members/me/delete/", {"password": "x"}).status_code == 302
