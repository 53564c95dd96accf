"""Who may do what to an article, on every path: Wagtail's admin views, bulk
actions and workflow all ask this policy, so a reporter's crafted POST to a
publish URL meets the same refusal as the missing button."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

_EDIT = {"change", "delete"}


class ArticlePermissionPolicy(ModelPermissionPolicy):
    """Reporters ("add") edit the articles they own; editors ("change") edit any.
    Publishing, scheduling and unpublishing need "publish" (editor-in-chief).
    Nobody deletes an article that has been published, not even a superuser: the
    Law on Press wants it kept; it can be withdrawn instead."""

    def user_has_permission(self, user, action):
        if action in _EDIT:
            # "add" means there may be articles of their own to edit.
            return super().user_has_permission(
                user, "add"
            ) or super().user_has_permission(user, "change")
        return super().user_has_permission(user, action)

    def _may_edit(self, user, instance) -> bool:
        if super().user_has_permission(user, "change"):
            return True
        return (
            super().user_has_permission(user, "add")
            and instance.owner_id is not None
            and instance.owner_id == user.pk
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "change":
            return self._may_edit(user, instance)
        if action == "delete":
            return instance.first_published_at is None and self._may_edit(
                user, instance
            )
        return self.user_has_permission(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        articles = self.model._default_manager.all()
        if not _EDIT & set(actions) or super().user_has_permission(user, "change"):
            return super().instances_user_has_any_permission_for(user, actions)
        if super().user_has_permission(user, "add"):
            return articles.filter(owner=user)
        return articles.none()

    def users_with_any_permission_for_instance(self, actions, instance):
        if not _EDIT & set(actions):
            return super().users_with_any_permission_for_instance(actions, instance)
        editors = self._get_users_with_any_permission_codenames_filter(
            self._get_permission_codenames({"change"})
        )
        if instance.owner_id:
            editors |= Q(pk=instance.owner_id)
        return get_user_model().objects.filter(editors).distinct()
