"""Admin views for withdrawing and restoring an article: thin, over corrections.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from toasoan.news.models import Article
from toasoan.newsroom.comments import may_comment, post_comment
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


def comments(request, pk):
    article = get_object_or_404(Article, pk=pk)
    if not may_comment(request.user, article):
        raise PermissionDenied
    error, text = None, ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            post_comment(article, request.user, text)
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            messages.success(request, "Đã gửi bình luận.")
            return redirect(request.path)
    return TemplateResponse(
        request,
        "newsroom/comments.html",
        {
            "article": article,
            "comments": article.editorial_comments.select_related("author"),
            "error": error,
            "text": text[:5_000],
        },
        status=400 if error else 200,
    )
