"""The editor-in-chief may withdraw a published article ("gỡ bài")."""

from django.db import migrations

from toasoan.newsroom.roles import EDITOR_IN_CHIEF


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    article_type, _ = ContentType.objects.get_or_create(app_label="news", model="article")
    permission, _ = Permission.objects.get_or_create(
        content_type=article_type,
        codename="withdraw_article",
        defaults={"name": "Có thể gỡ bài đã đăng"},
    )
    group = apps.get_model("auth", "Group").objects.filter(name=EDITOR_IN_CHIEF).first()
    if group:
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_roles_and_workflow"),
        ("news", "0004_corrections_and_withdrawal"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
