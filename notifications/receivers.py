"""Hub signals (sent after commit, with ids) turned into tasks. Connected from the
AppConfig: hubs does not know this app exists."""

from hubs import signals

from . import tasks

HUB_EVENTS = (
    "thread_created",
    "message_posted",
    "message_edited",
    "message_hidden",
    "answer_accepted",
    "report_created",
    "report_resolved",
    "join_requested",
    "membership_decided",
    "membership_suspended",
    "membership_reinstated",
    "membership_left",
)


def _receiver(name):
    def receive(sender, signal=None, **ids):
        tasks.hub_event.enqueue(name, ids)

    receive.__name__ = f"on_{name}"
    return receive


_receivers = {name: _receiver(name) for name in HUB_EVENTS}


def connect() -> None:
    for name, receiver in _receivers.items():
        getattr(signals, name).connect(receiver, dispatch_uid=f"notifications.{name}")
