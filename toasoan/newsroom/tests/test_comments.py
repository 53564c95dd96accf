"""Editorial comments with @mentions on an article."""

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from toasoan.newsroom import roles
from toasoan.newsroom.models import EditorialComment

pytestmark = pytest.mark.django_db


def member(username, group, email=""):
    user = get_user_model().objects.create_user(username, email=email, password="x")
    user.groups.add(Group.objects.get(name=group))
    return user


def test_a_mention_reaches_the_colleague_on_the_dashboard_and_by_mail(
    make_article, client
):
    reporter = member("phongvien", roles.REPORTER)
    editor = member("bientap", roles.EDITOR, email="bientap@dai.example.vn")
    article = make_article("Lúa mùa Vũ Thư", publish=False, owner=reporter)
    client.force_login(reporter)
    url = f"/admin/bai-viet/{article.pk}/binh-luan/"
    response = client.post(
        url, {"text": "@bientap xem giúp số liệu năng suất, gửi a@b.vn <b>gấp</b>"}
    )
    assert response.status_code == 302
    comment = EditorialComment.objects.get()
    assert list(comment.mentions.all()) == [editor]  # not "b" from the address
    assert mail.outbox[0].to == ["bientap@dai.example.vn"]
    # Shown in the article's form, escaped, and on the editor's dashboard.
    form = client.get(f"/admin/snippets/news/article/edit/{article.pk}/")
    panel = lxml.html.fromstring(form.content).cssselect(".editorial-comments")[0]
    assert "xem giúp số liệu" in panel.text_content()
    assert not panel.cssselect("b")
    client.force_login(editor)
    dashboard = lxml.html.fromstring(client.get("/admin/").content)
    (mentions,) = dashboard.cssselect(
        "#editorial-mentions-section, #editorial-mentions"
    )
    assert "Lúa mùa Vũ Thư" in mentions.text_content()


@pytest.mark.parametrize("text", ["", "   ", "x" * 5_001])
def test_bad_comments_are_refused_and_nothing_stored(make_article, client, text):
    editor = member("bientap", roles.EDITOR)
    article = make_article("Bài có bình luận")
    client.force_login(editor)
    response = client.post(f"/admin/bai-viet/{article.pk}/binh-luan/", {"text": text})
    assert response.status_code == 400
    assert "Bình luận" in response.content.decode()
    assert EditorialComment.objects.count() == 0


def test_only_those_who_may_edit_the_article_comment(make_article, client):
    article = make_article(
        "Bài của người khác", publish=False, owner=member("phongvien2", roles.REPORTER)
    )
    client.force_login(member("phongvien", roles.REPORTER))
    url = f"/admin/bai-viet/{article.pk}/binh-luan/"
    assert client.post(url, {"text": "chen ngang"}).status_code in (302, 403)
    assert EditorialComment.objects.count() == 0
