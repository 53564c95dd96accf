"""Admin views for withdrawing and restoring an article: thin, over corrections.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from toasoan.news.models import Article
from toasoan.newsroom.corrections import may_withdraw, restore_article, withdraw_article


def _article(request, pk):
    if not may_withdraw(request.user):
        raise PermissionDenied
    return get_object_or_404(Article, pk=pk)


def _edit_url(article):
    return reverse("wagtailsnippets_news_article:edit", args=[article.pk])


def withdraw(request, pk):
    article = _article(request, pk)
    error = None
    if request.method == "POST":
        try:
            withdraw_article(article, request.user, request.POST.get("reason", ""))
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            messages.success(request, f"Đã gỡ bài “{article.title}”.")
            return redirect(_edit_url(article))
    return TemplateResponse(
        request,
        "newsroom/withdraw.html",
        {"article": article, "error": error, "reason": request.POST.get("reason", "")},
        status=400 if error else 200,
    )


def restore(request, pk):
    article = _article(request, pk)
    if request.method == "POST":
        restore_article(article, request.user)
        messages.success(request, f"Đã khôi phục bài “{article.title}”.")
        return redirect(_edit_url(article))
    return TemplateResponse(request, "newsroom/restore.html", {"article": article})
