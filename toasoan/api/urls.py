"""/api/v1/ (README, "JSON API"). Every answer carries an ETag, and a
Last-Modified where the data has one: a client's conditional GET gets a 304."""

from django.middleware.http import ConditionalGetMiddleware
from django.urls import path, re_path
from django.utils.decorators import decorator_from_middleware
from drf_spectacular.views import SpectacularJSONAPIView

from toasoan.api import views

conditional = decorator_from_middleware(ConditionalGetMiddleware)

urlpatterns = [
    path(
        "api/v1/articles", conditional(views.ArticleList.as_view()), name="api_articles"
    ),
    path(
        "api/v1/articles/<str:pk>",
        conditional(views.ArticleDetailView.as_view()),
        name="api_article",
    ),
    path(
        "api/v1/sections", conditional(views.SectionList.as_view()), name="api_sections"
    ),
    path(
        "api/v1/keywords", conditional(views.KeywordList.as_view()), name="api_keywords"
    ),
    path("api/v1/authors", conditional(views.AuthorList.as_view()), name="api_authors"),
    path("api/v1/search", conditional(views.SearchView.as_view()), name="api_search"),
    path(
        "api/v1/most-read",
        conditional(views.MostReadView.as_view()),
        name="api_most_read",
    ),
    path(
        "api/v1/openapi.json",
        SpectacularJSONAPIView.as_view(urlconf="toasoan.api.urls"),
        name="api_openapi",
    ),
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^api/v1/", views.not_found),
]
