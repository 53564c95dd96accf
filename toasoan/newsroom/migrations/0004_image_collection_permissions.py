"""Wagtail grants images per collection, not by model permission: without this
the newsroom's roles could choose images but not upload them. Each role gets its
image permissions (roles.py) on the root collection."""

from django.db import migrations

from toasoan.newsroom.roles import ROLE_PERMISSIONS


def grant(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for name, codes in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, _, codename in codes:
            if app_label != "wagtailimages":
                continue
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root, permission=permission
                )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0003_editorial_comments"),
        ("wagtailcore", "0026_group_collection_permission"),
        ("wagtailimages", "0001_initial"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
