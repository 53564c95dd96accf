"""Admin actions on an article's translations (buttons of the translations panel)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from toasoan.news.editions import (
    admin_language_name,
    create_translation,
    edition_codes,
    mark_translation_synced,
)
from toasoan.news.models import Article


def _edit_url(article: Article) -> str:
    return reverse("wagtailsnippets_news_article:edit", args=[article.pk])


@require_POST
def translate(request, pk: int, code: str):
    """Make the draft translation of an article into an edition's language and
    open it for the translator."""
    if not request.user.has_perm("news.add_article"):
        raise PermissionDenied
    article = get_object_or_404(Article, pk=pk)
    if code not in edition_codes() or code == article.locale.language_code:
        raise Http404("Không có ấn bản này / no such edition")
    locale, _ = Locale.objects.get_or_create(language_code=code)
    existing = article.get_translation_or_none(locale)
    if existing is not None:
        messages.info(request, "Bản dịch này đã có.")
        return redirect(_edit_url(existing))
    copy = create_translation(article, locale, user=request.user)
    messages.success(
        request,
        f"Đã tạo bản {admin_language_name(code)} (bản nháp): hãy dịch tiêu đề, "
        "sapo, nội dung và chú thích ảnh, chọn từ khóa, rồi gửi duyệt.",
    )
    return redirect(_edit_url(copy))


@require_POST
def translation_synced(request, pk: int):
    """The translator says the translation follows its original again."""
    article = get_object_or_404(Article, pk=pk)
    user = request.user
    own = user.has_perm("news.add_article") and article.owner_id == user.pk
    if not (user.has_perm("news.change_article") or own):
        raise PermissionDenied
    mark_translation_synced(article)
    messages.success(request, "Đã ghi nhận: bản dịch đã cập nhật theo bản gốc.")
    return redirect(_edit_url(article))
