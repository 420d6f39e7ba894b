"""Mail at once: in the recipient's language, coalesced per thread, with one-click
unsubscribe (RFC 8058); refused tokens change nothing."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from hubs import services as hub_services
from notifications import mailing, tokens
from notifications.models import Kind, MailThrottle, Notification, NotificationPreference
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def _post(committed, thread, author, body):
    with committed():
        message, _created = hub_services.message_post(thread=thread, author=author, body=body)
    return message


def test_a_reply_mails_the_asker_with_a_link_to_the_message(
    asked, member, member2, committed, mailoutbox
):
    message = _post(committed, asked, member2, "Register them at the depot.")
    assert [m.to for m in mailoutbox] == [[member.email]]
    mail = mailoutbox[0]
    assert "Informal waste collectors" in mail.subject
    link = f"http://127.0.0.1:8000/hubs/{asked.hub.slug}/threads/{asked.pk}/#message-{message.pk}"
    assert link in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/notifications/unsubscribe/"
    )


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl")])
def test_mail_is_in_the_recipients_language_not_the_posters(
    asked, member, member2, committed, mailoutbox, language, direction
):
    ProfileFactory(user=member, preferred_language=language)
    ProfileFactory(user=member2, preferred_language="de")
    _post(committed, asked, member2, "Antwort")
    html = mailoutbox[0].alternatives[0][0]
    assert f'<html lang="{language}" dir="{direction}">' in html


def test_one_mail_per_thread_per_window_then_the_rest_together(
    asked, member, member2, committed, mailoutbox
):
    _post(committed, asked, member2, "First")
    _post(committed, asked, member2, "Second")
    _post(committed, asked, member2, "Third")
    assert len(mailoutbox) == 1  # the window is closed for ten minutes
    waiting = Notification.objects.get(recipient=member, kind=Kind.REPLY)
    assert waiting.mail_state == Notification.MailState.PENDING
    # Ten minutes later the flush sends what waited, once.
    later = timezone.now() + timedelta(minutes=10, seconds=1)
    assert mailing.mail_flush_due(now=later) == 1
    assert mailing.mail_flush_due(now=later) == 0
    assert len(mailoutbox) == 2
    assert "3 new replies" in mailoutbox[1].body


def test_no_mail_once_access_is_gone(asked, hub, member, member2, committed, mailoutbox):
    MailThrottle.objects.create(user=member, thread=asked, last_sent=timezone.now())
    _post(committed, asked, member2, "Reply while the window is closed")
    assert mailoutbox == []
    with committed():
        hub_services.membership_leave(hub=hub, user=member)
    later = timezone.now() + timedelta(minutes=11)
    assert mailing.mail_flush_due(now=later) == 0
    assert mailoutbox == []


def test_in_app_only_sends_no_mail(asked, member, member2, committed, mailoutbox):
    NotificationPreference.objects.create(user=member, kind=Kind.REPLY, channel="app")
    _post(committed, asked, member2, "Reply")
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=member).exists()


def test_one_click_unsubscribe(client, member):
    token = tokens.make_token(user_id=member.pk, what=Kind.REPLY)
    url = f"/notifications/unsubscribe/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert not NotificationPreference.objects.filter(user=member).exists()  # GET shows only
    done = client.post(url, {"List-Unsubscribe": "One-Click"})  # no CSRF token, no login
    assert done.status_code == 200
    assert NotificationPreference.objects.get(user=member, kind=Kind.REPLY).channel == "app"


@pytest.mark.parametrize("how", ["forged", "altered", "expired", "garbage"])
def test_bad_unsubscribe_tokens_change_nothing(client, member, settings, how):
    token = tokens.make_token(user_id=member.pk, what=Kind.REPLY)
    if how == "forged":
        token = signing.dumps({"u": member.pk, "w": "reply"}, salt="another", key="wrong-key")
    elif how == "altered":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif how == "expired":
        settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE = -1
    else:
        token = "not-a-token"
    for method in (client.get, client.post):
        response = method(f"/notifications/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=member).exists()


def test_digest_unsubscribe_moves_every_digest_kind_to_the_site(client, member):
    token = tokens.make_token(user_id=member.pk, what=tokens.DIGESTS)
    client.post(f"/notifications/unsubscribe/{token}/")
    assert NotificationPreference.objects.get(user=member, kind=Kind.NEW_THREAD).channel == "app"


def test_subject_is_plain_text(hub, member, member2, committed, mailoutbox):
    with committed():
        thread = hub_services.thread_create(
            hub=hub, author=member, title="Bob's <question> & more", question="Q"
        )
    _post(committed, thread, member2, "Answer")
    assert mailoutbox[0].subject == "Nikola Neighbour replied in “Bob's <question> & more”"
    assert "Bob&#x27;s &lt;question&gt; &amp; more" in mailoutbox[0].alternatives[0][0]
