"""Last demo seeder: index the demo content just created (idempotent: a full rebuild)."""

import sys

from .backends.base import SearchUnavailable
from .services import index_rebuild


def seed(log):
    try:
        counts = index_rebuild()
    except SearchUnavailable as exc:
        # The demo content is saved; only the index waits. Say so and go on.
        print(
            f"Search index not rebuilt ({exc}); run `manage.py search_index --rebuild`.",
            file=sys.stderr,
        )
        return
    print(
        f"Search index: {counts.get('practice', 0)} practices, {counts.get('thread', 0)} threads.",
        file=sys.stderr,
    )
