"""Corrections, withdrawals and the audit trail the Law on Press asks for."""

import csv
import io

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from toasoan.news.models import Article
from toasoan.newsroom import roles
from toasoan.newsroom.corrections import restore_article, withdraw_article
from toasoan.search.services import search_articles

pytestmark = pytest.mark.django_db


def member(username, group):
    user = get_user_model().objects.create_user(username, password="x")
    user.groups.add(Group.objects.get(name=group))
    return user


def test_a_correction_shows_dated_under_the_article_and_is_logged(make_article, client):
    article = make_article("Giá lúa tăng mạnh", body="<p>Giá lúa 9.000 đồng/kg.</p>")
    article.correction_note = "Giá đúng là 8.000 đồng/kg, không phải 9.000."
    article.full_clean()
    article.save_revision().publish()
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    (box,) = page.cssselect(".article__correction")
    assert "Đính chính" in box.text_content()
    assert "8.000 đồng/kg" in box.text_content()
    assert box.cssselect("time")[0].get("datetime")
    from wagtail.models import ModelLogEntry

    entries = ModelLogEntry.objects.for_instance(article).filter(
        action="toasoan.correct"
    )
    assert [e.data["note"] for e in entries] == [article.correction_note]
    article.save_revision().publish()  # published again, same note: no new entry
    assert entries.count() == 1


def test_withdrawal_replaces_the_page_with_a_notice_and_keeps_everything(
    make_article, client, section
):
    article = make_article("Tin sai sự thật về dịch bệnh")
    article.title = "Tin sai sự thật về dịch bệnh (sửa)"
    article.save_revision().publish()
    revisions = article.revisions.count()
    chief = member("tbt", roles.EDITOR_IN_CHIEF)
    withdraw_article(article, chief, "Thông tin chưa được kiểm chứng.")

    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    page = lxml.html.fromstring(response.content)
    assert page.cssselect("h1")[0].text == "Bài viết đã được gỡ bỏ"
    assert (
        "Thông tin chưa được kiểm chứng." in page.cssselect(".notice")[0].text_content()
    )
    assert "dịch bệnh" not in client.get(section.url).content.decode()
    assert search_articles("dich benh").total == 0
    # Kept: the row, every revision, the content; a later publish does not undo it.
    article.refresh_from_db()
    assert article.revisions.count() == revisions
    assert article.revisions.first().content["title"] == "Tin sai sự thật về dịch bệnh"
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.withdrawn_at is not None

    restore_article(article, chief)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert search_articles("dich benh").total == 1


def test_only_the_editor_in_chief_withdraws_and_a_reason_is_required(
    make_article, client
):
    article = make_article("Bài đang đăng")
    editor = member("btv", roles.EDITOR)
    with pytest.raises(PermissionDenied):
        withdraw_article(article, editor, "lý do")
    client.force_login(editor)
    url = f"/admin/bai-viet/{article.pk}/go-bai/"
    client.post(url, {"reason": "Gỡ trộm"})
    chief = member("tbt", roles.EDITOR_IN_CHIEF)
    client.force_login(chief)
    for bad in ("", "   ", "x" * 5_000):
        response = client.post(url, {"reason": bad})
        assert response.status_code == 400
        assert "lý do" in response.content.decode().lower()
    article.refresh_from_db()
    assert article.withdrawn_at is None
    hostile = '<script>alert("x")</script> Sai nguồn'
    assert client.post(url, {"reason": hostile}).status_code == 302
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    with pytest.raises(ValidationError):
        withdraw_article(make_article("Nháp", publish=False), chief, "lý do")


def test_every_action_is_in_the_audit_log_and_exports_to_csv(
    make_article, admin_client, admin_user
):
    article = make_article("Bài có lịch sử", publish=False)
    article.save_revision(user=admin_user, log_action=True).publish(user=admin_user)
    withdraw_article(article, admin_user, "Sai số liệu.")
    restore_article(article, admin_user)
    listing = admin_client.get("/admin/reports/site-history/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Gỡ bài" in html and "Khôi phục bài" in html
    export = admin_client.get("/admin/reports/site-history/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig"))))
    header, *entries = rows
    assert header[1:4] == ["Tên", "Type", "Action type"]
    article_actions = [row[3] for row in entries if row[1] == "Bài có lịch sử"]
    assert {"Gỡ bài", "Khôi phục bài"} <= set(article_actions), article_actions
    assert all(row[4] == "admin" for row in entries if row[3] == "Gỡ bài")
    assert Article.objects.filter(pk=article.pk).exists()
