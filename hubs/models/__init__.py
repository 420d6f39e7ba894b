from .hubs import Hub, Membership, ModerationLogEntry

__all__ = ["Hub", "Membership", "ModerationLogEntry"]
