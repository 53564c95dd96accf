"""Reader pages that are not Wagtail pages: articles, keywords, authors, old URLs."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from wagtail.models import Locale

from toasoan.core.media import cache_control, serve_media
from toasoan.news.editions import alternates_for, edition_press, translation_languages
from toasoan.news.media_access import fetch_rights
from toasoan.news.metadata import article_metadata
from toasoan.news.models import Article, Author, Byline, Keyword
from toasoan.news.services import paginate_articles, related_articles
from toasoan.videos.models import VideoStatus


def current_locale() -> Locale:
    try:
        return Locale.objects.get_for_language(get_language())
    except Locale.DoesNotExist:
        return Locale.get_default()


def article_detail(request, slug: str, pk: int):
    # Bylines with their authors and the keywords in two queries, however many:
    # a cold render's cost must not grow with them (pagecache/tests).
    article = get_object_or_404(
        Article.objects.public()
        .select_related("section", "featured_image", "video", "locale")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            "keywords",
        ),
        pk=pk,
    )
    if slug != article.slug or get_language() != article.locale.language_code:
        # Titles change; the id is what a link means. Send old slugs on, permanently,
        # and an article asked for under another edition's prefix to its own.
        return redirect(article.get_absolute_url(), permanent=True)
    if article.withdrawn_at:
        # Gone, and saying why, as the Law on Press asks; search engines drop it.
        return render(
            request, "news/article_withdrawn.html", {"article": article}, status=410
        )
    press = edition_press(request)
    # One look at the translations serves the switcher, hreflang and og:locale.
    alternates = alternates_for(request, article=article)
    metadata = article_metadata(
        article,
        f"{request.scheme}://{request.get_host()}",
        press.outlet_name or "toasoan",
        logo=press.logo,
        other_languages=translation_languages(alternates),
    )
    return render(
        request,
        "news/article.html",
        {
            "article": article,
            "related": related_articles(article),
            "meta": metadata,
            "alternates": alternates,
        },
    )


def article_print(request, pk: int):
    """A print view: the article alone, for printing or saving as PDF."""
    article = get_object_or_404(
        Article.objects.published().select_related(
            "section", "featured_image", "video"
        ),
        pk=pk,
    )
    return render(request, "news/article_print.html", {"article": article})


def article_by_id(request, pk: int):
    article = get_object_or_404(Article.objects.public(), pk=pk)
    return redirect(article.get_absolute_url(), permanent=True)


def legacy_article_redirect(request, legacy_section: int, legacy_id: int, rest=""):
    """The old portal's /tin-tuc/46/47082/<slug> (and /news/...) → the article."""
    candidates = Article.objects.public().filter(legacy_id=legacy_id)
    article = (
        candidates.filter(legacy_section_id=legacy_section).first()
        or candidates.first()
    )
    if article is None:
        # The same article under a second old address (an importer's alias).
        from wagtail.contrib.redirects.models import Redirect

        prefix = request.path.strip("/").split("/")[0]
        alias = Redirect.objects.filter(
            old_path=Redirect.normalise_path(f"/{prefix}/{legacy_section}/{legacy_id}")
        ).first()
        if alias is None:
            raise Http404("Không tìm thấy bài viết cũ")
        return redirect(alias.link, permanent=True)
    return redirect(article.get_absolute_url(), permanent=True)


def keyword_detail(request, slug: str):
    keyword = get_object_or_404(Keyword, slug=slug)
    articles = (
        Article.objects.published()
        .in_locale(current_locale())
        .filter(tagged_keywords__tag=keyword)
        .for_listing()
    )
    return render(
        request,
        "news/keyword.html",
        {
            "keyword": keyword,
            "articles": paginate_articles(articles, request.GET.get("page")),
        },
    )


def video_news(request):
    """The video section: articles whose video is ready to play, newest first."""
    articles = (
        Article.objects.published()
        .in_locale(current_locale())
        .filter(video__status=VideoStatus.READY)
        .for_listing()
    )
    return render(
        request,
        "news/video_news.html",
        {"articles": paginate_articles(articles, request.GET.get("page"))},
    )


def author_detail(request, slug: str):
    profile = Author.objects.filter(slug=slug).first()
    byline = None if profile else Byline.objects.filter(name_slug=slug).first()
    if profile is None and byline is None:
        raise Http404("Không tìm thấy tác giả")
    articles = (
        Article.objects.published()
        .in_locale(current_locale())
        .filter(bylines__name_slug=slug)
        .distinct()
        .for_listing()
    )
    return render(
        request,
        "news/author.html",
        {
            "profile": profile,
            "author_slug": slug,
            "author_name": profile.name if profile else byline.name,
            "articles": paginate_articles(articles, request.GET.get("page")),
        },
    )


def media(request, path: str):
    """Uploaded media in embedded mode (core/media.py), for readers only what
    public content shows (media_access.py); staff also get the rest, marked so
    that no shared cache keeps it."""
    allowed, public = fetch_rights(path, request.user)
    if not allowed:
        raise Http404("Không có tệp này / no such file")
    return serve_media(request, path, public=public)


def media_access(request):
    """nginx's auth_request for /media/ in production: 204 when the file in
    X-Original-URI may be fetched by this request's person, else 403 (which
    nginx turns into a 404; auth_request knows no other refusal). The 204
    carries the Cache-Control nginx is to send with the file."""
    uri = urlsplit(request.headers.get("X-Original-URI", "")).path
    name = unquote(uri).removeprefix(settings.MEDIA_URL)
    public = allowed = False
    if name != unquote(uri):  # under MEDIA_URL
        allowed, public = fetch_rights(name, request.user)
    response = HttpResponse(status=204 if allowed else 403)
    response["Cache-Control"] = "private, no-store"  # the answer itself
    if allowed:
        response["X-Media-Cache-Control"] = cache_control(name, public)
    return response
