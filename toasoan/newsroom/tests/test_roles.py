"""Reporters write, editors return or approve, the editor-in-chief publishes: on
every path, including POSTs no button would send."""

import json
import re

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import TaskState, WorkflowState

from conftest import draftail, formsets
from toasoan.news.models import Article
from toasoan.newsroom import roles

pytestmark = pytest.mark.django_db
ADMIN = "/admin/snippets/news/article"


@pytest.fixture
def staff():
    def member(username, group):
        user = get_user_model().objects.create_user(username, password="x")
        user.groups.add(Group.objects.get(name=group))
        return user

    return {
        "reporter": member("phongvien", roles.REPORTER),
        "other_reporter": member("phongvien2", roles.REPORTER),
        "editor": member("bientap", roles.EDITOR),
        "chief": member("tongbientap", roles.EDITOR_IN_CHIEF),
        "administrator": member("quantri", roles.ADMINISTRATOR),
    }


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def article_form(section, title, action=None, **fields):
    form = {
        "title": title,
        "lead": "Sapo.",
        "body": draftail("Nội dung bài."),
        "section": section.pk,
        "published_at": "2026-11-20 08:30:00",
        "keywords": "",
        "slug": "",
        **formsets(["Cao Biền"]),
        **fields,
    }
    if action:
        form[f"action-{action}"] = action
    return form


def test_the_four_groups_and_the_two_stage_workflow_exist():
    assert set(Group.objects.values_list("name", flat=True)) == {
        "Phóng viên",
        "Biên tập viên",
        "Tổng biên tập",
        "Quản trị",
    }
    workflow = Article().get_workflow()
    assert workflow.name == "Duyệt bài hai cấp"
    tasks = [t.specific for t in workflow.tasks]
    assert [(t.name, [g.name for g in t.groups.all()]) for t in tasks] == [
        ("Biên tập viên duyệt", ["Biên tập viên"]),
        ("Tổng biên tập duyệt đăng", ["Tổng biên tập"]),
    ]


def test_a_reporter_writes_but_cannot_publish_even_by_crafted_posts(
    staff, as_user, section
):
    client = as_user(staff["reporter"])
    response = client.post(
        f"{ADMIN}/add/", article_form(section, "Tin của phóng viên", "publish")
    )
    article = Article.objects.get(title="Tin của phóng viên")
    assert article.owner == staff["reporter"]
    assert not article.live and article.live_revision is None
    assert response.status_code in (302, 403)
    edit = client.post(
        f"{ADMIN}/edit/{article.pk}/",
        article_form(section, "Tin của phóng viên, sửa", "publish"),
    )
    article.refresh_from_db()
    assert not article.live, edit.status_code


def test_a_reporter_cannot_touch_others_articles(staff, as_user, section, make_article):
    published = make_article("Bài đã đăng của người khác")
    draft = make_article(
        "Bản nháp của người khác", publish=False, owner=staff["other_reporter"]
    )
    client = as_user(staff["reporter"])
    for article in (published, draft):
        assert client.get(f"{ADMIN}/edit/{article.pk}/").status_code in (302, 403)
        client.post(f"{ADMIN}/edit/{article.pk}/", article_form(section, "Bị sửa trộm"))
        client.post(f"{ADMIN}/delete/{article.pk}/")
    client.post(f"{ADMIN}/unpublish/{published.pk}/")
    published.refresh_from_db()
    assert published.live and published.title == "Bài đã đăng của người khác"
    assert Article.objects.filter(title="Bị sửa trộm").count() == 0
    assert not published.revisions.filter(content__title="Bị sửa trộm").exists()
    assert not draft.revisions.filter(content__title="Bị sửa trộm").exists()
    assert Article.objects.count() == 2
    listing = client.get(f"{ADMIN}/").content.decode()
    assert "Bản nháp của người khác" not in listing


def test_an_editor_edits_any_draft_but_publishes_nothing_directly(
    staff, as_user, section, make_article
):
    draft = make_article("Bản nháp phóng viên", publish=False, owner=staff["reporter"])
    client = as_user(staff["editor"])
    client.post(
        f"{ADMIN}/edit/{draft.pk}/",
        article_form(section, "Bản nháp đã biên tập", "publish"),
    )
    draft.refresh_from_db()
    assert draft.latest_revision.content["title"] == "Bản nháp đã biên tập"
    assert not draft.live
    live = make_article("Bài đang đăng")
    client.post(f"{ADMIN}/unpublish/{live.pk}/")
    live.refresh_from_db()
    assert live.live


def test_nobody_deletes_a_published_article(staff, as_user, make_article):
    article = make_article("Bài phải lưu giữ")
    superuser = get_user_model().objects.create_superuser("root", password="x")
    for user in (staff["chief"], superuser):
        as_user(user).post(f"{ADMIN}/delete/{article.pk}/")
    assert Article.objects.filter(pk=article.pk).exists()


def test_submit_return_with_comment_resubmit_approve_twice_publishes(
    staff, as_user, section
):
    reporter = as_user(staff["reporter"])
    reporter.post(f"{ADMIN}/add/", article_form(section, "Lúa mùa bội thu", "submit"))
    article = Article.objects.get()
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    def act(user, action, **data):
        task_state = TaskState.objects.get(
            workflow_state__object_id=str(article.pk),
            status=TaskState.STATUS_IN_PROGRESS,
        )
        return as_user(user).post(
            f"{ADMIN}/workflow/action/{article.pk}/{action}/{task_state.pk}/", data
        )

    # The reporter and the editor-in-chief cannot take the section editor's step.
    assert act(staff["reporter"], "approve").status_code in (302, 403)
    assert act(staff["chief"], "approve").status_code in (302, 403)
    assert state.current_task_state.task.name == "Biên tập viên duyệt"

    act(staff["editor"], "reject", comment="Thiếu nguồn tin, bổ sung số liệu.")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    page = as_user(staff["reporter"]).get(f"{ADMIN}/edit/{article.pk}/")
    assert "Thiếu nguồn tin, bổ sung số liệu." in page.content.decode()

    reporter = as_user(staff["reporter"])
    reporter.post(
        f"{ADMIN}/edit/{article.pk}/",
        article_form(section, "Lúa mùa bội thu lớn", "submit"),
    )
    article.refresh_from_db()
    assert not article.locked  # handed on to the editor, who can act on it
    state = WorkflowState.objects.get(
        object_id=str(article.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    act(staff["editor"], "approve")
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Tổng biên tập duyệt đăng"
    article.refresh_from_db()
    assert not article.live
    act(staff["chief"], "approve", comment="")
    article.refresh_from_db()
    assert article.live and article.title == "Lúa mùa bội thu lớn"
    from wagtail.models import ModelLogEntry

    logged = {
        (entry.action, entry.user.username if entry.user else None)
        for entry in ModelLogEntry.objects.for_instance(article)
    }
    assert {
        ("wagtail.create", "phongvien"),
        ("wagtail.workflow.start", "phongvien"),
        ("wagtail.workflow.reject", "bientap"),
        ("wagtail.edit", "phongvien"),
        ("wagtail.workflow.approve", "bientap"),
        ("wagtail.workflow.approve", "tongbientap"),
        ("wagtail.publish", "tongbientap"),
    } <= logged, logged


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"go_live_at": "2020-01-01 08:00:00"}, "go_live_at", "Thời điểm đăng đã qua"),
        (
            {"go_live_at": "2031-01-02 08:00:00", "expire_at": "2031-01-01 08:00:00"},
            "expire_at",
            "",
        ),
        ({"go_live_at": "31/02/2031 25:61"}, "go_live_at", ""),
        ({"title": ""}, "title", ""),
        ({"title": "Tin " * 1_250}, "title", "300"),
    ],
)
def test_bad_schedules_and_titles_are_refused_and_nothing_is_lost(
    staff, as_user, section, make_article, fields, field, message
):
    article = make_article("Bài gốc không được mất")
    client = as_user(staff["chief"])
    form = article_form(section, "Bài gốc không được mất", "publish")
    form.update(fields)
    response = client.post(f"{ADMIN}/edit/{article.pk}/", form)
    assert response.status_code == 200  # the form again, with the error
    page = lxml.html.fromstring(response.content)
    shown = " ".join(e.text_content() for e in page.cssselect(".error-message"))
    assert shown.strip(), "the form shows what is wrong"
    assert message in shown
    article.refresh_from_db()
    assert article.live and article.title == "Bài gốc không được mất"
    assert article.revisions.count() == 1


def test_html_in_text_fields_is_stored_harmlessly(staff, as_user, section, client):
    editor = as_user(staff["chief"])
    hostile = '<img src=x onerror=alert(1)><script>alert("t")</script>'
    form = article_form(
        section, f"Tiêu đề {hostile}", "publish", lead=f"Sapo {hostile}"
    )
    form["body"] = draftail(f"Nội dung {hostile}")
    form["correction_note"] = f"Đính chính {hostile}"
    editor.post(f"{ADMIN}/add/", form)
    article = Article.objects.get()
    response = client.get(article.get_absolute_url())
    page = lxml.html.fromstring(response.content)
    assert not page.xpath("//*[@onerror]")
    runnable = [
        s for s in page.iter("script") if s.get("type") != "application/ld+json"
    ]
    assert not [s for s in runnable if "alert" in (s.text or "")]
    # In the structured data the title is a JSON string, not markup.
    [structured] = page.xpath("//script[@type='application/ld+json']")
    assert "<" not in structured.text
    assert json.loads(structured.text)[0]["headline"].startswith("Tiêu đề <img")
    assert "<script>alert" in page.cssselect("h1")[0].text  # shown as text
    assert "Đính chính" in page.cssselect(".article__correction")[0].text_content()


def test_an_article_being_edited_is_locked_for_others_until_submitted(
    staff, as_user, section, make_article
):
    from datetime import timedelta

    from django.utils import timezone

    article = make_article("Bài đang viết", publish=False, owner=staff["reporter"])
    reporter = as_user(staff["reporter"])
    reporter.get(f"{ADMIN}/edit/{article.pk}/")
    article.refresh_from_db()
    assert not article.locked  # opening the form takes nothing
    reporter.post(f"{ADMIN}/edit/{article.pk}/", article_form(section, "Bài đang viết"))
    article.refresh_from_db()
    assert article.locked and article.locked_by == staff["reporter"]

    editor = as_user(staff["editor"])
    page = editor.get(f"{ADMIN}/edit/{article.pk}/").content.decode()
    assert "phongvien" in page  # who holds it is shown
    editor.post(
        f"{ADMIN}/edit/{article.pk}/", article_form(section, "Biên tập chen ngang")
    )
    assert not article.revisions.filter(content__title="Biên tập chen ngang").exists()

    # The editor-in-chief forces it open.
    as_user(staff["chief"]).post(f"{ADMIN}/unlock/{article.pk}/")
    article.refresh_from_db()
    assert not article.locked

    # A lock left behind lapses after half an hour.
    as_user(staff["reporter"]).post(
        f"{ADMIN}/edit/{article.pk}/", article_form(section, "Bài đang viết")
    )
    type(article).objects.filter(pk=article.pk).update(
        locked_at=timezone.now() - timedelta(minutes=31)
    )
    as_user(staff["editor"]).post(
        f"{ADMIN}/edit/{article.pk}/", article_form(section, "Bài đã biên tập")
    )
    article.refresh_from_db()
    assert article.locked_by == staff["editor"]

    # Submitting gives the lock back; taking and giving back are in the log.
    as_user(staff["editor"]).post(
        f"{ADMIN}/edit/{article.pk}/", article_form(section, "Bài đang viết", "submit")
    )
    article.refresh_from_db()
    assert not article.locked
    from wagtail.models import ModelLogEntry

    actions = [
        (e.action, e.user.username if e.user else None)
        for e in ModelLogEntry.objects.for_instance(article).order_by("timestamp", "pk")
        if e.action in ("wagtail.lock", "wagtail.unlock")
    ]
    assert actions[0] == ("wagtail.lock", "phongvien")
    assert actions[-1] == ("wagtail.unlock", "bientap")


def test_editors_compare_two_revisions_and_roll_back(
    staff, as_user, section, make_article, client
):
    article = make_article("Tiêu đề ban đầu", lead="Sapo ban đầu.")
    first = article.live_revision
    article.title, article.lead = "Tiêu đề sửa lần hai", "Sapo đã sửa."
    article.save_revision().publish()
    second = article.latest_revision
    chief = as_user(staff["chief"])
    history = chief.get(f"{ADMIN}/history/{article.pk}/")
    assert history.status_code == 200
    compare = chief.get(
        f"{ADMIN}/history/{article.pk}/revisions/compare/{first.pk}...{second.pk}/"
    )
    page = lxml.html.fromstring(compare.content)
    text = page.text_content()
    assert "Tiêu đề ban đầu" in text and "Tiêu đề sửa lần hai" in text
    assert page.cssselect("del, .deletion") and page.cssselect("ins, .addition")
    # Roll back: the old revision's form, published again.
    revert = chief.get(f"{ADMIN}/history/{article.pk}/revisions/{first.pk}/revert/")
    form = lxml.html.fromstring(revert.content)
    assert form.cssselect("#id_title")[0].get("value") == "Tiêu đề ban đầu"
    chief.post(
        f"{ADMIN}/history/{article.pk}/revisions/{first.pk}/revert/",
        article_form(section, "Tiêu đề ban đầu", "publish", lead="Sapo ban đầu."),
    )
    article.refresh_from_db()
    assert article.title == "Tiêu đề ban đầu" and article.live
    assert article.revisions.count() == 3  # nothing rewritten: a new revision
    # A reporter cannot roll back someone else's article.
    reporter = as_user(staff["reporter"])
    reporter.post(
        f"{ADMIN}/history/{article.pk}/revisions/{second.pk}/revert/",
        article_form(section, "Tiêu đề sửa lần hai", "publish"),
    )
    article.refresh_from_db()
    assert article.title == "Tiêu đề ban đầu"


def test_the_admin_speaks_vietnamese_where_wagtail_does_not(
    staff, as_user, make_article
):
    article = make_article("Bài tiếng Việt", publish=False, owner=staff["reporter"])
    client = as_user(staff["reporter"])
    page = client.get(f"{ADMIN}/edit/{article.pk}/").content.decode()
    for vietnamese in ("Lưu nháp", "Lên lịch đăng", "Thao tác khác"):
        assert vietnamese in page
    assert "Save draft" not in page
    # Wagtail's scripts take their strings from Django's JavaScript catalogue.
    script = client.get("/admin/jsi18n/").content.decode()
    found = re.search(r'"Collapse all": (".*?")', script)
    assert found and json.loads(found.group(1)) == "Thu gọn tất cả"
