"""What the thread tables hold about a person, for the data export and account deletion.

Erasure keeps the conversation readable for the others (the messages stay, shown as by a
"Former member") but removes every link to the person: authorship of threads and messages,
reports they made, moderation marks they set, and their read positions.
"""

from django.db import transaction

from .models import Message, Report, Thread, ThreadReadState


def export(user) -> dict:
    threads = Thread.objects.filter(author=user).select_related("hub").order_by("pk")
    messages = Message.objects.filter(author=user).select_related("thread").order_by("pk")
    reports = Report.objects.filter(reporter=user).order_by("pk")
    return {
        "threads_started": [
            {
                "id": t.pk,
                "hub": t.hub.slug,
                "title": t.title,
                "question": t.question,
                "theme": t.theme,
                "created": t.created.isoformat(),
            }
            for t in threads
        ],
        "messages": [
            {
                "id": m.pk,
                "thread": m.thread_id,
                "thread_title": m.thread.title,
                "body": m.body,
                "created": m.created.isoformat(),
                "edited": m.edited.isoformat() if m.edited else None,
                "deleted": m.deleted,
                "hidden": m.hidden,
            }
            for m in messages
        ],
        "reports": [
            {
                "message": r.message_id,
                "reason": r.reason,
                "state": r.state,
                "created": r.created.isoformat(),
            }
            for r in reports
        ],
        "read_positions": [
            {"thread": s.thread_id, "last_read_message": s.last_read_message_id}
            for s in ThreadReadState.objects.filter(user=user).order_by("thread_id")
        ],
    }


@transaction.atomic
def erase(user) -> None:
    Thread.objects.filter(author=user).update(author=None)
    # client_id goes too: with the author gone it would only link messages to each other.
    Message.objects.filter(author=user).update(author=None, client_id=None)
    Message.objects.filter(hidden_by=user).update(hidden_by=None)
    Report.objects.filter(reporter=user).update(reporter=None)
    Report.objects.filter(resolved_by=user).update(resolved_by=None)
    ThreadReadState.objects.filter(user=user).delete()


def register() -> None:
    from members import personal_data

    personal_data.register(
        "hub_threads",
        export=export,
        erase=erase,
        models=("hubs.Thread", "hubs.Message", "hubs.Report", "hubs.ThreadReadState"),
    )
