"""/sitemap.xml, /sitemaps/<name>.xml and /robots.txt (services.py builds them)."""

from django.http import Http404, HttpResponse, StreamingHttpResponse

from toasoan.core.models import PressSettings
from toasoan.sitemaps import services

XML = "application/xml; charset=utf-8"


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _cached(response, seconds: int):
    response["Cache-Control"] = f"public, max-age={seconds}"
    return response


def sitemap_index(request):
    body = "".join(services.write_sitemap_index(_base_url(request)))
    return _cached(HttpResponse(body, content_type=XML), 600)


def sitemap_file(request, name: str):
    base_url = _base_url(request)
    if name == "sections":
        body = "".join(services.write_section_sitemap(base_url))
        return _cached(HttpResponse(body, content_type=XML), 600)
    if name == "news":
        publication = PressSettings.for_request(request).outlet_name or "toasoan"
        body = services.write_news_sitemap(base_url, publication)
        return _cached(HttpResponse(body, content_type=XML), 300)
    number = name.removeprefix("articles-")
    if not (number.isascii() and number.isdigit()) or number.startswith("0"):
        raise Http404("Không có sơ đồ trang này / no such sitemap")
    if not services.article_sitemap_exists(int(number)):
        raise Http404("Không có sơ đồ trang này / no such sitemap")
    stream = services.write_article_sitemap(base_url, int(number))
    return _cached(StreamingHttpResponse(stream, content_type=XML), 3600)


def robots_txt(request):
    body = services.write_robots_txt(_base_url(request))
    return _cached(HttpResponse(body, content_type="text/plain; charset=utf-8"), 3600)
