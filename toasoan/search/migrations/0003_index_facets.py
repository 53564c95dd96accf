"""The index gains the facet keys (language, section, video) that let a search
filter without joining the article table: the index tables are made anew, and the
index state is forgotten so that the post_migrate hook rebuilds the index."""

from django.db import migrations


def recreate(apps, schema_editor):
    from toasoan.search.backends import PostgreSQLBackend, SQLiteBackend

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        tables, backend = ["search_article_fts_vocab", "search_article_fts"], SQLiteBackend
    else:
        tables, backend = ["search_article_index"], PostgreSQLBackend
    for table in tables:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in backend.create_sql():
        schema_editor.execute(statement)
    apps.get_model("vi_search", "IndexState").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("vi_search", "0002_index_state")]
    operations = [migrations.RunPython(recreate, migrations.RunPython.noop)]
