"""Data for the benchmarks and load tests, made in a throwaway database through the real
services where a rule is involved (memberships, threads, messages) and in bulk where none is
(users, sessions). Run inside a workspace (see `bench.common.Workspace.fixture`); prints one
JSON line.

    python -m bench.fixtures realtime --users 1000   # hub, members, session cookies
    python -m bench.fixtures thread                  # a new thread in the bench hub
    python -m bench.fixtures notifications --followers 1000  # a quiet and a followed thread
"""

import argparse
import json
import os
import sys
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings.dev")

import django

HUB_SLUG = "bench"
EMAIL = "bench-{}@members.bench.example"


def bench_hub():
    from hubs.models import Hub

    hub, _ = Hub.objects.get_or_create(
        slug=HUB_SLUG,
        defaults={
            "name": "Bench hub",
            "region": "Benchmarks",
            "join_policy": Hub.JoinPolicy.OPEN,
            "working_languages": "en, fr, ar",
        },
    )
    return hub


def members(count):
    """COUNT users (made once, all with the same password hash), each an active member of
    the bench hub through the membership service."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from hubs.models import Membership
    from hubs.services.membership import membership_request
    from members.services.consent import consent_record_current

    User = get_user_model()
    hub = bench_hub()
    emails = [EMAIL.format(i) for i in range(count)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    template = User(email="template@bench.example")
    template.set_password("bench-password-not-secret")
    with transaction.atomic():
        User.objects.bulk_create(
            # bulk_create skips the signal that gives each account its handle.
            User(
                email=email,
                name=f"Bench member {i}",
                handle=f"bench-member-{i}",
                password=template.password,
            )
            for i, email in enumerate(emails)
            if email not in existing
        )
        users = list(User.objects.filter(email__in=emails).order_by("id"))
        have_address = set(
            EmailAddress.objects.filter(user__in=users).values_list("user_id", flat=True)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in users
            if u.pk not in have_address
        )
        active = set(
            Membership.objects.filter(
                hub=hub, user__in=users, state=Membership.State.ACTIVE
            ).values_list("user_id", flat=True)
        )
        for user in users:
            if user.pk not in active:
                membership_request(hub=hub, user=user)
            # The policies in effect, accepted (the site refuses members without consent).
            consent_record_current(user=user)
    return hub, users


def session_cookies(users):
    """A logged-in session for each user, made with the session engine directly (no login
    round trip); returns the Cookie header values."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import transaction

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = []
    with transaction.atomic():
        for user in users:
            store = store_class()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    return cookies


def new_thread(*, hub, author, title="Benchmark thread"):
    from hubs.services.threads import thread_create

    with unlimited_posting():
        return thread_create(
            hub=hub, author=author, title=title, question="Where the benchmark talks."
        )


def unlimited_posting():
    """Making data is not posting in a hurry: lift the per-person rate limits."""
    from django.test import override_settings

    return override_settings(THREADS_POST_RATE_LIMIT=10**9, THREADS_CHANGE_RATE_LIMIT=10**9)


def pages_data(size):
    """Grow the bench hub to SIZE threads, the first thread to SIZE messages, and the site to
    SIZE good practices (each only where that feature exists on this site)."""
    hub, users = members(3)
    member = users[0]
    data = {"hub": hub.slug, "member": member}
    try:
        thread_url = grow_threads(hub=hub, author=member, size=size, others=users[1:])
    except ImportError:
        thread_url = None
    data["thread_url"] = thread_url
    try:
        data["practice_url"] = grow_practices(size=size)
    except ImportError:
        data["practice_url"] = None
    return data


def grow_threads(*, hub, author, size, others):
    from django.urls import reverse

    from hubs.models import Message, Thread
    from hubs.services.threads import message_post, thread_create

    threads = list(Thread.objects.filter(hub=hub).order_by("pk"))
    people = [author, *others]
    with unlimited_posting():
        for i in range(len(threads), size):
            threads.append(
                thread_create(
                    hub=hub,
                    author=people[i % len(people)],
                    title=f"How do you run consultation {i} on waste collection?",
                    question="We would like to learn from your **experience**.",
                )
            )
        first = threads[0]
        have = Message.objects.filter(thread=first).count()
        for i in range(have, size):
            message_post(
                thread=first,
                author=people[i % len(people)],
                body=f"Reply {i}: in our city the **cooperative** model worked well.",
                client_id=str(uuid.uuid4()),
            )
    return reverse("hubs:thread_detail", kwargs={"slug": hub.slug, "thread_id": first.pk})


def grow_practices(*, size):
    """Publish good-practice pages until there are SIZE; returns the URL of the first."""
    import json as _json

    from goodpractices import selectors
    from goodpractices.models import GoodPracticePage, Region, Theme

    index_page = selectors.practice_index()
    if index_page is None:
        raise ImportError("no good-practice index page on this site")
    region = Region.objects.order_by("pk").first()
    themes = list(Theme.objects.order_by("pk")[:2])
    have = GoodPracticePage.objects.count()
    for i in range(have, size):
        page = GoodPracticePage(
            title=f"Bench practice {i}: informal waste collectors join the city's service",
            slug=f"bench-practice-{i}",
            summary="Collectors, the council and residents agreed on routes and fair pay.",
            city="Mitrovica",
            country="XK",
            region=region,
            body=_json.dumps(
                [{"type": "approach", "value": {"text": "<p>Step by step, with everyone.</p>"}}]
            ),
        )
        page.themes.set(themes)
        index_page.add_child(instance=page)
        page.save_revision().publish()
    return GoodPracticePage.objects.live().order_by("pk").first().url


def cmd_realtime(args):
    hub, users = members(args.users)
    return {"hub": hub.slug, "cookies": session_cookies(users)}


def cmd_thread(args):
    from django.contrib.auth import get_user_model

    hub = bench_hub()
    author = get_user_model().objects.get(email=EMAIL.format(0))
    thread = new_thread(hub=hub, author=author)
    return {"thread": thread.pk, "hub": hub.slug}


def cmd_notifications(args):
    """The poster (member 0) starts two threads: a quiet one, and one that FOLLOWERS other
    members follow. Returns the poster's cookie and both threads."""
    from notifications.models import Follow

    hub, users = members(args.followers + 1)
    poster, followers = users[0], users[1:]
    quiet = new_thread(hub=hub, author=poster, title="Nobody follows this one")
    busy = new_thread(hub=hub, author=poster, title=f"{len(followers)} members follow this one")
    Follow.objects.bulk_create(
        [Follow(user=user, thread=busy) for user in followers], ignore_conflicts=True
    )
    return {
        "hub": hub.slug,
        "cookie": session_cookies([poster])[0],
        "quiet": quiet.pk,
        "busy": busy.pk,
        "followers": len(followers),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    realtime = commands.add_parser("realtime")
    realtime.add_argument("--users", type=int, required=True)
    commands.add_parser("thread")
    notifications = commands.add_parser("notifications")
    notifications.add_argument("--followers", type=int, required=True)
    args = parser.parse_args(argv)
    django.setup()
    answer = {
        "realtime": cmd_realtime,
        "thread": cmd_thread,
        "notifications": cmd_notifications,
    }[args.command](args)
    sys.stdout.write(json.dumps(answer) + "\n")


if __name__ == "__main__":
    main()
