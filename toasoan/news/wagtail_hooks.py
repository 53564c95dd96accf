"""The newsroom's admin: articles and authors as Wagtail snippets."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

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
        return super().get_base_queryset().select_related("section")


class ArticleViewSet(SnippetViewSet):
    model = Article
    index_view_class = ArticleIndexView
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
