"""Policy documents: publication (service, command, Wagtail admin), pages, languages."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.exceptions import ActionError
from members import selectors, services
from members.models import PolicyText, PolicyVersion
from tests.factories import UserFactory
from tests.security import XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db


def test_a_fresh_install_has_both_documents_in_effect():
    current = selectors.current_policy_versions()
    assert set(current) == {"guidelines", "privacy"}
    guidelines = selectors.policy_text_for(current["guidelines"], "en")
    assert "Collegial interaction" in guidelines.body
    assert "free of" in guidelines.body and "Confidential handling" in guidelines.body
    assert "GDPR" in selectors.policy_text_for(current["privacy"], "en").body


def test_policy_pages_show_the_current_version_and_keep_earlier_ones(client, publish):
    first = selectors.current_policy_versions()["guidelines"]
    second = publish("guidelines", "## Second edition\n\nStill kind.")
    html = client.get("/guidelines/").content.decode()
    assert "Second edition" in html and f"Version {second.number}," in html
    assert f"/guidelines/versions/{first.number}/" in html
    old = client.get(f"/guidelines/versions/{first.number}/").content.decode()
    assert "Collegial interaction" in old and "This is an earlier version." in old
    assert client.get("/guidelines/versions/999/").status_code == 404
    assert client.get("/privacy/").status_code == 200


def test_text_in_the_readers_language_with_english_fallback(client, publish):
    version = publish("privacy", "## Privacy in English", translations={"fr": "## En français"})
    french = client.get("/privacy/", headers={"accept-language": "fr"}).content.decode()
    assert "En français" in french and 'lang="fr"' in french
    german = client.get("/privacy/", headers={"accept-language": "de"}).content.decode()
    assert "Privacy in English" in german
    assert selectors.policy_text_for(version, "ar").language == "en"


def test_a_future_version_is_not_in_effect_yet(client, publish):
    before = selectors.current_policy_versions()["guidelines"]
    later = publish(
        "guidelines", "## Later", effective_date=timezone.localdate() + datetime.timedelta(1)
    )
    assert selectors.current_policy_versions()["guidelines"] == before
    assert client.get(f"/guidelines/versions/{later.number}/").status_code == 404


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_policy_markdown_is_rendered_safely(payload):
    version = services.policy_publish(document="guidelines", body=f"Intro\n\n{payload}")
    assert_inert(selectors.policy_text_for(version, "en").body_html)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"document": "cookies", "body": "x"},
        {"document": "guidelines", "body": "   "},
        {"document": "guidelines", "body": "x", "translations": {"xx": "y"}},
        {"document": "guidelines", "body": "x", "effective_date": datetime.date(2000, 1, 1)},
    ],
)
def test_bad_publications_are_refused(kwargs):
    count = PolicyVersion.objects.count()
    with pytest.raises(ActionError):
        services.policy_publish(**kwargs)
    assert PolicyVersion.objects.count() == count


def test_publish_policy_command(tmp_path):
    source = tmp_path / "guidelines.md"
    source.write_text("## Guidelines, second edition\n", encoding="utf-8")
    call_command("publish_policy", "guidelines", str(source))
    current = selectors.current_policy_versions()["guidelines"]
    assert current.number == 2
    assert "second edition" in selectors.policy_text_for(current, "en").body_html

    french = tmp_path / "fr.md"
    french.write_text("## Lignes directrices\n", encoding="utf-8")
    call_command("publish_policy", "guidelines", str(french), "--language", "fr")
    assert selectors.policy_text_for(current, "fr").language == "fr"
    # Still the same version: a translation does not ask members to accept again.
    assert selectors.current_policy_versions()["guidelines"] == current
    # A published text is never changed.
    with pytest.raises(CommandError, match="never changed"):
        call_command("publish_policy", "guidelines", str(french), "--language", "fr")
    assert PolicyText.objects.get(version=current, language="fr").body.startswith("## Lignes")


@pytest.mark.parametrize(
    "args",
    [
        ["cookies", "FILE"],
        ["guidelines", "/no/such/file.md"],
        ["guidelines", "FILE", "--language", "xx"],
        ["guidelines", "EMPTY"],
    ],
)
def test_publish_policy_command_refuses_bad_input(tmp_path, args):
    text = tmp_path / "text.md"
    text.write_text("## Text\n", encoding="utf-8")
    empty = tmp_path / "empty.md"
    empty.write_text("\n", encoding="utf-8")
    args = [str(text) if a == "FILE" else str(empty) if a == "EMPTY" else a for a in args]
    count = PolicyVersion.objects.count()
    with pytest.raises((CommandError, SystemExit)):
        call_command("publish_policy", *args)
    assert PolicyVersion.objects.count() == count


def test_editors_publish_in_the_wagtail_admin(client):
    editor = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(editor)
    assert client.get("/admin/policy_versions/").status_code == 200
    assert client.get("/admin/policy_versions/new/").status_code == 200
    response = client.post(
        "/admin/policy_versions/new/",
        {
            "document": "privacy",
            "effective_date": timezone.localdate().isoformat(),
            "body_en": "## Privacy, second edition",
            "body_fr": "## Confidentialité",
            "body_de": "",
            "body_ar": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = selectors.current_policy_versions()["privacy"]
    assert version.number == 2 and version.published_by == editor
    assert {text.language for text in version.texts.all()} == {"en", "fr"}
    # Published versions are read-only: no edit, no delete.
    assert client.get(f"/admin/policy_versions/edit/{version.pk}/").status_code in (302, 403)
    assert client.post(f"/admin/policy_versions/delete/{version.pk}/").status_code in (302, 403)
    assert PolicyVersion.objects.filter(pk=version.pk).exists()


def test_the_admin_refuses_a_past_effective_date(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    count = PolicyVersion.objects.count()
    response = client.post(
        "/admin/policy_versions/new/",
        {"document": "privacy", "effective_date": "2000-01-01", "body_en": "## Old"},
    )
    assert response.status_code == 200
    assert PolicyVersion.objects.count() == count
