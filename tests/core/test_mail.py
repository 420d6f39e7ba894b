"""core.mail: one mail rendered in the recipient's language, multipart, plain-text subject,
absolute links, sent by a task after commit (the immediate backend runs it for real)."""

import pytest
from django.db import transaction

from core.mail import absolute_url, mail_enqueue, mail_send, recipient_language
from core.tasks import enqueue_on_commit
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

SUBJECT = '{% load i18n %}[{{ site_name }}] {% translate "Hubs" %}\n {{ title }}\n'
TEXT = "{% extends 'email/base.txt' %}{% block content %}{{ title }} {{ link }}{% endblock %}"
HTML = (
    "{% extends 'email/base.html' %}{% block content %}<p>{{ title }}</p>"
    '<a href="{{ link }}">x</a>{% endblock %}'
)


@pytest.fixture
def templates(tmp_path, settings):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "kind_subject.txt").write_text(SUBJECT)
    (folder / "kind.txt").write_text(TEXT)
    (folder / "kind.html").write_text(HTML)
    (folder / "plain_subject.txt").write_text(SUBJECT)
    (folder / "plain.txt").write_text(TEXT)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "t"


def test_a_mail_is_multipart_plain_subject_and_absolute_links(
    templates, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8123"
    with django_capture_on_commit_callbacks(execute=True):
        mail_enqueue(
            to="amina@example.org",
            template="t/kind",
            context={"title": "Women's <b>co-ops</b>", "link": absolute_url("/hubs/mena/")},
            language="en",
        )
        assert mailoutbox == []  # not before the commit
    [message] = mailoutbox
    assert message.subject == "[Connective Cities] Hubs Women's <b>co-ops</b>"
    assert message.to == ["amina@example.org"]
    assert "Women's <b>co-ops</b> http://127.0.0.1:8123/hubs/mena/" in message.body
    assert message.body.rstrip().endswith("Connective Cities\nhttp://127.0.0.1:8123/")
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Women&#x27;s &lt;b&gt;co-ops&lt;/b&gt;" in html
    assert 'href="http://127.0.0.1:8123/hubs/mena/"' in html
    assert '<html lang="en" dir="ltr">' in html
    assert message.extra_headers["Content-Language"] == "en"


def test_arabic_mail_is_right_to_left_and_translated(
    templates, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail_enqueue(to="a@example.org", template="t/kind", context={"title": "x"}, language="ar")
    [message] = mailoutbox
    assert message.subject == "[Connective Cities] الشبكات x"
    assert '<html lang="ar" dir="rtl">' in message.alternatives[0][0]


def test_a_kind_without_html_template_still_gets_an_html_part(
    templates, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail_enqueue(
            to="a@example.org",
            template="t/plain",
            context={"title": "A & B", "link": "http://127.0.0.1:8000/x/"},
            language="fr",
        )
    [message] = mailoutbox
    html = message.alternatives[0][0]
    assert '<html lang="fr" dir="ltr">' in html
    assert "A &amp; B" in html and '<a href="http://127.0.0.1:8000/x/"' in html


def test_nothing_is_sent_before_the_commit_nor_after_a_rollback(
    templates, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mail_enqueue(to="a@example.org", template="t/kind", context={}, language="en")
    assert len(callbacks) == 1 and mailoutbox == []
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mail_enqueue(to="a@example.org", template="t/kind", context={}, language="en")
        raise RuntimeError
    assert mailoutbox == []


def test_context_that_is_not_json_cannot_reach_the_queue():
    with pytest.raises(TypeError):
        enqueue_on_commit(mail_send, message={"when": object()})


def test_the_recipients_language_is_their_profiles():
    assert recipient_language(ProfileFactory(preferred_language="ar").user) == "ar"
    assert recipient_language(ProfileFactory(preferred_language="xx").user) == "en"


def test_absolute_url_builds_on_site_url(settings):
    settings.SITE_URL = "https://hubs.example.org"
    assert absolute_url("/practices/") == "https://hubs.example.org/practices/"
    assert absolute_url("https://elsewhere.example/") == "https://elsewhere.example/"
