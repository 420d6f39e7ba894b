"""The full-text index of the embedded backend, which Django's ORM does not model:

- SQLite: an external-content FTS5 table `search_fts` over search_searchentry(index_title,
  index_body), kept in step by triggers (also for rows deleted by a cascade).
- PostgreSQL: a generated tsvector column `search_vector` (title weighted A, body B) with a
  GIN index.

The stored words are already stemmed per language in Python (search/analysis.py), so both
engines use a language-neutral tokenizer and behave the same.

NOTE: on SQLite, a later migration that alters search_searchentry makes Django rebuild the
table, which drops the triggers: such a migration must run SQLITE_TRIGGERS again.
"""

from django.db import migrations

SQLITE_TABLE = """
CREATE VIRTUAL TABLE search_fts USING fts5(
    index_title, index_body,
    content='search_searchentry', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
)
"""

SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_au",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, index_title, index_body)
        VALUES (new.id, new.index_title, new.index_body);
    END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, index_title, index_body)
        VALUES ('delete', old.id, old.index_title, old.index_body);
    END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, index_title, index_body)
        VALUES ('delete', old.id, old.index_title, old.index_body);
        INSERT INTO search_fts(rowid, index_title, index_body)
        VALUES (new.id, new.index_title, new.index_body);
    END""",
]

POSTGRES = [
    """ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', coalesce(index_title, '')), 'A')
            || setweight(to_tsvector('simple', coalesce(index_body, '')), 'B')
        ) STORED""",
    "CREATE INDEX search_entry_vector ON search_searchentry USING GIN (search_vector)",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [SQLITE_TABLE, *SQLITE_TRIGGERS]
    elif vendor == "postgresql":
        statements = POSTGRES
    else:
        return
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_TRIGGERS[:3]:
            schema_editor.execute(statement)
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector")
        schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
