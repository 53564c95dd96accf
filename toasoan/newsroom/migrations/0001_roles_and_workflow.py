"""The four newsroom groups with their permissions, and the two-stage approval
workflow for articles (section editor, then editor-in-chief), in place of
Wagtail's starter groups."""

from django.db import migrations

from toasoan.newsroom.roles import ROLE_PERMISSIONS, WORKFLOW_NAME, WORKFLOW_TASKS


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Wagtail's English starter groups and their page workflow would stand beside
    # ours in the admin, unexplained: a new site does without them.
    Group.objects.filter(name__in=["Moderators", "Editors"], user__isnull=True).delete()
    apps.get_model("wagtailcore", "Workflow").objects.filter(
        name="Moderators approval"
    ).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(
        name="Moderators approval"
    ).delete()
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, codename in codes:
            # Wagtail makes publish/lock/unlock permissions after migrating
            # (post_migrate); making them here is the same get_or_create.
            content_type, _ = ContentType.objects.get_or_create(
                app_label=app_label, model=model
            )
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": f"Can {codename.replace('_', ' ')}"},
            )
            group.permissions.add(permission)

    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    for order, (task_name, group_name) in enumerate(WORKFLOW_TASKS):
        task, _ = GroupApprovalTask.objects.get_or_create(
            name=task_name, defaults={"content_type": task_type, "active": True}
        )
        task.groups.set([Group.objects.get(name=group_name)])
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    article_type, _ = ContentType.objects.get_or_create(app_label="news", model="article")
    WorkflowContentType.objects.update_or_create(
        content_type=article_type, defaults={"workflow": workflow}
    )


def remove(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    task_names = [name for name, _ in WORKFLOW_TASKS]
    apps.get_model("wagtailcore", "Task").objects.filter(name__in=task_names).delete()
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_article_owner"),
        ("core", "0001_initial"),
        ("videos", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
    ]
    operations = [migrations.RunPython(create, remove)]
