"""The newsroom's admin: articles and authors as Wagtail snippets."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    SnippetViewSet,
)

from toasoan.news.models import Article, Author
from toasoan.news.services import cached_count


class CachedCountPaginator(WagtailPaginator):
    """The article list's total, kept for a minute: an unfiltered or one-section
    listing would otherwise count hundreds of thousands of rows on every page."""

    @cached_property
    def count(self) -> int:
        return cached_count(self.object_list)


class ArticleIndexView(IndexView):
    paginator_class = CachedCountPaginator

    def get_base_queryset(self):
        # The section column would otherwise cost a query per row.
        articles = super().get_base_queryset().select_related("section")
        if not self.request.user.has_perm("news.change_article"):
            # A reporter sees what is published and their own drafts, not the
            # drafts of others.
            articles = articles.filter(Q(live=True) | Q(owner=self.request.user))
        return articles


class ArticleCreateView(CreateView):
    def save_instance(self):
        # The writer owns the article: as a reporter, it is theirs to edit.
        self.form.instance.owner = self.request.user
        return super().save_instance()


class InstancePermissionMixin:
    """Wagtail's edit and delete views check only that the user may edit or delete
    some article; a reporter may edit only their own, and nobody deletes a
    published one (newsroom.permissions). Reverting to a revision is covered too:
    Wagtail derives its view from the edit view."""

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if not self.user_has_permission_for_instance(self.permission_required, article):
            raise PermissionDenied
        return article


class ArticleEditView(InstancePermissionMixin, EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Saving a change takes or renews the editing lock, so others see who is
        # writing (newsroom.locking).
        from toasoan.newsroom.locking import lock_for_editing

        if (
            self.view_name == "edit"
            and request.method == "POST"
            and lock_for_editing(self.object, request.user)
        ):
            self.lock = self.get_lock()
            self.locked_for_user = self.lock and self.lock.for_user(request.user)


class ArticleDeleteView(InstancePermissionMixin, DeleteView):
    pass


class ArticleViewSet(SnippetViewSet):
    model = Article
    index_view_class = ArticleIndexView
    add_view_class = ArticleCreateView
    edit_view_class = ArticleEditView
    delete_view_class = ArticleDeleteView
    icon = "doc-full"
    menu_label = _("Bài viết")
    menu_order = 100
    add_to_admin_menu = True
    list_display = [
        "title",
        "section",
        "published_at",
        LiveStatusTagColumn(),
        "view_count",
    ]
    list_filter = ["section", "live", "is_lead_story"]
    list_per_page = 50
    # Plain database filtering: articles are not in Wagtail's search index.
    search_fields = ["title", "lead"]
    search_backend_name = None
    ordering = ["-published_at"]


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Tác giả")
    menu_order = 110
    add_to_admin_menu = True
    list_display = ["name", "role", "slug"]
    search_fields = ["name"]
    search_backend_name = None


register_snippet(ArticleViewSet)
register_snippet(AuthorViewSet)


@hooks.register("register_admin_urls")
def translation_urls():
    from django.urls import path

    from toasoan.news import admin_views

    return [
        path(
            "bai-viet/<int:pk>/dich/<str:code>/",
            admin_views.translate,
            name="article_translate",
        ),
        path(
            "bai-viet/<int:pk>/dich-da-cap-nhat/",
            admin_views.translation_synced,
            name="article_translation_synced",
        ),
    ]


@hooks.register("register_image_operations")
def register_image_operations():
    from toasoan.news.metadata import ExactFillOperation

    return [("exactfill", ExactFillOperation)]
