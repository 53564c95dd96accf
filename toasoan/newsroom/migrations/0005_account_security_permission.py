"""The administrator decides which roles must use two-factor authentication
(accounts.AccountSecuritySettings)."""

from django.db import migrations

from toasoan.newsroom.roles import ADMINISTRATOR


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    settings_type, _ = ContentType.objects.get_or_create(
        app_label="accounts", model="accountsecuritysettings"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=settings_type,
        codename="change_accountsecuritysettings",
        defaults={"name": "Can change Bảo mật tài khoản"},
    )
    group = apps.get_model("auth", "Group").objects.filter(name=ADMINISTRATOR).first()
    if group:
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0004_image_collection_permissions"),
        ("accounts", "0001_initial"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
