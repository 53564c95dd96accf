from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from toasoan.audience import views as audience_views
from toasoan.core import views as core_views
from toasoan.feeds import views as feed_views
from toasoan.news import views as news_views
from toasoan.search import views as search_views
from toasoan.sitemaps import views as sitemap_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/health", core_views.health, name="health"),
    path("", include("toasoan.api.urls")),
    path("robots.txt", sitemap_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_views.sitemap_index, name="sitemap_index"),
    path("sitemaps/<str:name>.xml", sitemap_views.sitemap_file, name="sitemap_file"),
    # The article page's view beacon (README, "Counting readers").
    path("api/views/<str:article_id>", audience_views.view_beacon, name="view_beacon"),
    # Asked by nginx before it sends a media file (README, "Private media").
    path("api/media-access", news_views.media_access, name="media_access"),
    # The old portal's article URLs, kept alive for links and search engines.
    re_path(
        r"^(?:tin-tuc|news)/(?P<legacy_section>\d+)/(?P<legacy_id>\d+)(?:/(?P<rest>.*))?$",
        news_views.legacy_article_redirect,
        name="legacy_article",
    ),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

if settings.TOASOAN_SERVE_MEDIA:
    # Media with byte ranges (core/media.py); in production nginx does this.
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$",
            news_views.media,
            name="media",
        )
    )

urlpatterns += i18n_patterns(
    re_path(
        r"^(?P<slug>[a-z0-9-]*)-(?P<pk>\d+)\.html$",
        news_views.article_detail,
        name="article",
    ),
    path("bai-viet/<int:pk>/", news_views.article_by_id, name="article_by_id"),
    path("bai-viet/<int:pk>/in/", news_views.article_print, name="article_print"),
    # Keyword and author addresses take slugs only: anything else (a NUL byte)
    # reached the database, which PostgreSQL refuses with an error, a 500.
    path("tu-khoa/<slug:slug>/", news_views.keyword_detail, name="keyword"),
    path("tac-gia/<slug:slug>/", news_views.author_detail, name="author"),
    path("video/", news_views.video_news, name="video_news"),
    # Feeds: "rss" or "atom" after the edition, a keyword or an author (a
    # section's are routes of its page: <section>/rss/).
    re_path(r"^(?P<format_name>rss|atom)/$", feed_views.edition_feed, name="feed"),
    re_path(
        r"^tu-khoa/(?P<slug>[-a-zA-Z0-9_]+)/(?P<format_name>rss|atom)/$",
        feed_views.keyword_feed,
        name="keyword_feed",
    ),
    re_path(
        r"^tac-gia/(?P<slug>[-a-zA-Z0-9_]+)/(?P<format_name>rss|atom)/$",
        feed_views.author_feed,
        name="author_feed",
    ),
    path("tim-kiem/", search_views.search_page, name="search"),
    path("api/search", search_views.search_api, name="search_api"),
    path(
        "api/search/autocomplete",
        search_views.autocomplete_api,
        name="search_autocomplete",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
