"""The search index tables: an FTS5 table on SQLite, tsvector + GIN on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):
    from toasoan.search.backends import PostgreSQLBackend, SQLiteBackend

    vendor = schema_editor.connection.vendor
    backend = {"sqlite": SQLiteBackend, "postgresql": PostgreSQLBackend}.get(vendor)
    if backend is None:
        raise RuntimeError(f"toasoan search supports SQLite and PostgreSQL, not {vendor}")
    for statement in backend.create_sql():
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for table in ("search_article_fts_vocab", "search_article_fts", "search_article_index"):
        if schema_editor.connection.vendor == "postgresql" and "fts" in table:
            continue
        if schema_editor.connection.vendor == "sqlite" and table == "search_article_index":
            continue
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("news", "0002_create_home_page")]
    operations = [migrations.RunPython(create, drop)]
