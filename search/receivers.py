"""Index updates as decoupled side effects: each receiver only queues an outbox row in the
sender's transaction (`search.services.outbox_enqueue`); the update itself happens after
commit, so publishing and posting succeed whatever the state of the search backend."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from hubs.signals import thread_content_changed

from .types import EVENT, LEARNING_PROCESS, PRACTICE, THREAD


def _enqueue(doc_type, object_id):
    from .services import outbox_enqueue

    outbox_enqueue(doc_type=doc_type, object_id=object_id)


def practice_changed(sender, instance, **kwargs):
    _enqueue(PRACTICE, instance.pk)


def practice_moved(sender, instance, **kwargs):
    # A move changes the URL of the page and of every practice below it.
    model = apps.get_model("goodpractices", "GoodPracticePage")
    for page_id in model.objects.descendant_of(instance, inclusive=True).values_list(
        "pk", flat=True
    ):
        _enqueue(PRACTICE, page_id)


def thread_changed(sender, thread_id, **kwargs):
    _enqueue(THREAD, thread_id)


def thread_deleted(sender, instance, **kwargs):
    _enqueue(THREAD, instance.pk)


def event_changed(sender, event_id, **kwargs):
    _enqueue(EVENT, event_id)


def event_deleted(sender, instance, **kwargs):
    _enqueue(EVENT, instance.pk)


def learning_process_changed(sender, instance, **kwargs):
    """A learning process saved or deleted (in the admin, from a topic call, by the demo):
    the process itself, and its events, whose documents carry its title, topic and themes.
    After a delete the events no longer point at it (SET NULL), so they are re-indexed by
    the pre-delete list."""
    _enqueue(LEARNING_PROCESS, instance.pk)
    event_ids = getattr(instance, "_search_event_ids", None)
    if event_ids is None and instance.pk is not None:
        event_ids = list(instance.events.values_list("pk", flat=True))
    for event_id in event_ids or ():
        _enqueue(EVENT, event_id)


def learning_process_deleting(sender, instance, **kwargs):
    instance._search_event_ids = list(instance.events.values_list("pk", flat=True))


def learning_process_hubs_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # hub.learning_processes.add(...): INSTANCE is the hub
        for process_id in pk_set or ():
            _enqueue(LEARNING_PROCESS, process_id)
    else:
        _enqueue(LEARNING_PROCESS, instance.pk)


def connect():
    """Called from SearchConfig.ready()."""
    from django.db.models.signals import pre_delete

    from events.signals import event_changed as event_signal

    event_signal.connect(event_changed, dispatch_uid="search.event_changed")
    try:
        event_model = apps.get_model("events", "Event")
        process_model = apps.get_model("events", "LearningProcess")
    except LookupError:
        event_model = process_model = None
    if event_model is not None:
        post_delete.connect(event_deleted, sender=event_model, dispatch_uid="search.event_deleted")
    if process_model is not None:
        post_save.connect(
            learning_process_changed, sender=process_model, dispatch_uid="search.process_saved"
        )
        pre_delete.connect(
            learning_process_deleting, sender=process_model, dispatch_uid="search.process_deleting"
        )
        post_delete.connect(
            learning_process_changed, sender=process_model, dispatch_uid="search.process_deleted"
        )
        m2m_changed.connect(
            learning_process_hubs_changed,
            sender=process_model.hubs.through,
            dispatch_uid="search.process_hubs",
        )
    thread_content_changed.connect(thread_changed, dispatch_uid="search.thread_changed")
    try:
        practice = apps.get_model("goodpractices", "GoodPracticePage")
    except LookupError:
        practice = None
    if practice is not None:
        for name, signal in (
            ("published", page_published),
            ("unpublished", page_unpublished),
            ("deleted", post_delete),
        ):
            signal.connect(
                practice_changed, sender=practice, dispatch_uid=f"search.practice.{name}"
            )
        post_page_move.connect(practice_moved, dispatch_uid="search.practice_moved")
    try:
        thread = apps.get_model("hubs", "Thread")
    except LookupError:
        thread = None
    if thread is not None:
        post_delete.connect(thread_deleted, sender=thread, dispatch_uid="search.thread_deleted")
