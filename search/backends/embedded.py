"""Full-text search on the database itself: SQLite FTS5, or PostgreSQL full text."""

from django.db import connection


class EmbeddedBackend:
    name = "embedded"

    def health(self):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA compile_options")
                options = {row[0] for row in cursor.fetchall()}
            if "ENABLE_FTS5" not in options:
                return "this SQLite has no FTS5"
            return None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT to_tsvector('english', 'ok')")
            return None
        return f"no full-text support for {connection.vendor}"
