"""The newsroom's day in Debian's chromium: a reporter writes and submits, the
section editor returns it with a comment, the reporter fixes and resubmits, the
editor approves, the editor-in-chief schedules it a minute ahead, and the worker
puts it on the site within 60 seconds of its time."""

import re
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from toasoan.news.models import Article
from toasoan.newsroom import roles
from toasoan.newsroom.scheduling import publish_due

pytestmark = [
    pytest.mark.browser,
    # The live server and the worker are other threads: data must be committed.
    # The flush after a transactional test empties what migrations made (groups,
    # workflow, home page): the home fixture rebuilds it (conftest).
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "matkhau-Tòa-soạn-1"
TITLE = "Nông dân Vũ Thư thu hoạch lúa mùa sớm"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def worker():
    """The background worker, as `make run` starts it, every 2 seconds."""
    stop, errors = threading.Event(), []

    def run():
        while not stop.is_set():
            try:
                publish_due()
            except Exception as error:  # the real worker logs and goes on too
                errors.append(repr(error))
            stop.wait(2)
        connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield errors
    stop.set()
    thread.join(10)


@pytest.fixture
def tab(browser):
    """A tab that is closed, and quiet, before the database is flushed: an admin
    page pings the server, which would write into the emptied tables (and the
    next test's restored data would clash with it)."""
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 1000})
    yield page
    page.close()
    # Closing sends the admin's "editing session released" beacon; let the live
    # server finish it before the flush.
    time.sleep(1)


def test_reporter_editor_and_editor_in_chief_take_an_article_to_the_site(
    browser, tab, live_server, make_section, worker
):
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip(
            "runs once, on SQLite: the workflow and the worker are the same on "
            "PostgreSQL, where their unit tests run, and it waits a minute"
        )
    section = make_section("Nông nghiệp - Nông thôn")
    for username, group in (
        ("phongvien", roles.REPORTER),
        ("bientap", roles.EDITOR),
        ("tongbientap", roles.EDITOR_IN_CHIEF),
    ):
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        user.groups.add(Group.objects.get(name=group))
    admin = live_server.url + "/admin"

    def log_in(username):
        browser.clear_cookies()
        tab.goto(admin + "/login/")
        tab.fill("#id_username", username)
        tab.fill("#id_password", PASSWORD)
        tab.click("button[type=submit]")
        tab.wait_for_url(admin + "/")

    def open_article(title):
        tab.goto(admin + "/snippets/news/article/")
        tab.get_by_role("link", name=title, exact=True).click()
        tab.wait_for_load_state()

    def footer_action(selector):
        tab.locator("footer [data-w-dropdown-target=toggle]").click()
        tab.locator(selector).click()
        tab.wait_for_load_state()

    # The reporter writes in Vietnamese and submits.
    log_in("phongvien")
    tab.goto(admin + "/snippets/news/article/add/")
    tab.fill("#id_title", TITLE)
    tab.fill("#id_lead", "Nông dân đồng loạt ra đồng gặt lúa mùa.")
    tab.locator(".Draftail-Editor [contenteditable=true]").first.click()
    tab.keyboard.type("Sáng nay, hàng trăm hộ nông dân xã Vũ Hội đã thu hoạch lúa.")
    tab.get_by_role("button", name=re.compile("Chọn một trang")).click()
    chooser = tab.locator(".modal-content")
    chooser.get_by_role("link", name=section.title, exact=True).click()
    chooser.wait_for(state="hidden")
    tab.fill("#id_bylines-0-name", "Thu Hà")
    footer_action("button[name=action-submit]")
    article = Article.objects.get(title=TITLE)
    assert not article.live

    # The section editor returns it with a comment.
    log_in("bientap")
    open_article(TITLE)
    footer_action("button[data-workflow-action-name=reject]")
    comment = tab.locator(".modal-content")
    comment.locator("textarea").fill("Thiếu số liệu năng suất, bổ sung giúp.")
    comment.locator("button[type=submit]").first.click()
    tab.wait_for_url(admin + "/snippets/news/article/")

    # The reporter sees the comment, fixes the article and resubmits.
    log_in("phongvien")
    open_article(TITLE)
    assert tab.get_by_text("Thiếu số liệu năng suất, bổ sung giúp.").count() >= 1
    fixed = TITLE + ", năng suất 62 tạ/ha"
    tab.fill("#id_title", fixed)
    footer_action("button[name=action-submit]")

    # The editor approves.
    log_in("bientap")
    open_article(fixed)
    footer_action(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    article.refresh_from_db()
    assert article.current_workflow_task.name == "Tổng biên tập duyệt đăng"

    # The editor-in-chief schedules it ten minutes ahead (the clicks below may
    # take a minute on a loaded machine) and gives final approval.
    log_in("tongbientap")
    open_article(fixed)
    go_live = (datetime.now(VIETNAM) + timedelta(minutes=10)).replace(microsecond=0)
    tab.locator("[data-side-panel-toggle=status]").click()
    tab.get_by_role("button", name=re.compile("Set schedule|Lên lịch")).click()
    typed = go_live.strftime("%Y-%m-%d %H:%M:%S")
    tab.fill("#id_go_live_at", typed)
    assert tab.input_value("#id_go_live_at") == typed
    # The date picker's calendar stays open over the dialog's button. The button
    # saves the whole form: wait for that page before approving, or the two
    # posts race and the approval may not carry the schedule.
    save = tab.get_by_role("button", name=re.compile("Save schedule|Lưu lịch"))
    with tab.expect_navigation():
        save.dispatch_event("click")
    tab.wait_for_load_state()
    draft = Article.objects.get(pk=article.pk).latest_revision.as_object()
    assert draft.go_live_at is not None, "the schedule was not saved"
    assert abs((draft.go_live_at - go_live).total_seconds()) < 60
    with tab.expect_navigation():
        footer_action(
            "button[data-workflow-action-name=approve]"
            ":not([data-workflow-action-modal-url])"
        )
    article.refresh_from_db()
    assert not article.live, f"published at once instead of at {go_live}"
    scheduled = article.latest_revision.approved_go_live_at
    assert scheduled is not None
    assert abs((scheduled - go_live).total_seconds()) < 60

    # Nobody runs anything: the worker publishes it, and readers see it. The
    # clock moves on to its time (no ten minutes' wait): the schedule now
    # stands at this second.
    public = live_server.url + section.url
    reader = browser.new_page()
    reader.goto(public)
    assert reader.get_by_text(fixed).count() == 0
    revision = article.latest_revision
    scheduled = datetime.now(VIETNAM).replace(microsecond=0)
    revision.approved_go_live_at = scheduled
    revision.content["go_live_at"] = scheduled.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    deadline = scheduled.timestamp() + 60
    while time.time() < deadline:
        reader.goto(public)
        if reader.get_by_role("link", name=fixed).count():
            break
        time.sleep(2)
    seen_at = time.time()
    assert reader.get_by_role("link", name=fixed).count() == 1, worker[-3:]
    assert scheduled.timestamp() <= seen_at <= scheduled.timestamp() + 60
    reader.get_by_role("link", name=fixed).click()
    assert reader.get_by_role("heading", level=1).inner_text() == fixed
    reader.close()
