"""The period review is for the Tổng biên tập and Quản trị roles."""

from django.db import migrations

from toasoan.newsroom.roles import ADMINISTRATOR, EDITOR_IN_CHIEF


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    review_type, _ = ContentType.objects.get_or_create(
        app_label="reports", model="periodreview"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=review_type,
        codename="view_report",
        defaults={"name": "Có thể xem báo cáo sơ kết"},
    )
    for group in Group.objects.filter(name__in=[EDITOR_IN_CHIEF, ADMINISTRATOR]):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_report_permission"),
        ("newsroom", "0001_roles_and_workflow"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
