"""Last demo seeder: index the demo content just created (idempotent: a full rebuild)."""

from .services import index_rebuild


def seed(log):
    index_rebuild()
