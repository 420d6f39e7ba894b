from .hubs import Hub, Membership, ModerationLogEntry
from .threads import Message, Report, Thread, ThreadReadState

__all__ = [
    "Hub",
    "Membership",
    "Message",
    "ModerationLogEntry",
    "Report",
    "Thread",
    "ThreadReadState",
]
