"""The Content Security Policy in Debian's chromium: the reader's pages and an
editor's admin pages break no rule of their policy, throw no script error, and
still work (the view beacon goes out, the video loads, autocomplete answers,
the rich text editor and the preview open)."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files import File

from toasoan.accounts.tests.test_two_factor import code_from_phone
from toasoan.newsroom import roles

pytestmark = [
    pytest.mark.browser,
    # The live server is another thread: the data must be committed (conftest's
    # home fixture rebuilds what the flush after the test empties).
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "matkhau-Tòa-soạn-1"
# Every frame reports its violations to the test the moment they happen, so a
# navigation cannot lose them.
WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${location.pathname}: ${event.effectiveDirective} blocked ${event.blockedURI}`
    + ` (${event.sourceFile}:${event.lineNumber})`
  );
});
"""


@pytest.fixture
def tab(browser):
    """A tab that collects CSP violations, console messages about the policy
    and script errors; closed, and quiet, before the database is flushed."""
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.problems = []

    def console(message):
        if "Content Security Policy" in message.text:
            page.problems.append(f"console: {message.text}")

    page.expose_function("reportViolation", lambda text: page.problems.append(text))
    page.add_init_script(WATCH_VIOLATIONS)
    page.on("console", console)
    page.on("pageerror", lambda error: page.problems.append(f"error: {error}"))
    yield page
    page.close()
    time.sleep(1)  # the admin's "editing session released" beacon


def test_reader_pages_run_under_the_policy(
    tab, live_server, section, make_article, make_image, make_video, video_file
):
    video = make_video()
    # A real web MP4 (the player must load it), without the processing pipeline,
    # which its own tests cover.
    playable = video_file("web.mp4", seconds=2, extra=["-c:v", "libx264"])
    video.web_mp4.save("web.mp4", File(playable.open("rb")))
    article = make_article(
        "Bản tin thời sự tối",
        video=video,
        featured_image=make_image(),
        is_lead_story=True,
    )
    make_article("Nông dân Thái Bình thu hoạch lúa", featured_image=make_image())
    base = live_server.url

    tab.goto(base + "/")
    assert tab.locator(".lead-story__title").inner_text() == article.title
    tab.goto(base + section.url)
    assert tab.get_by_role("link", name=article.title).first.is_visible()

    with tab.expect_request(
        lambda r: r.method == "POST" and "/api/views/" in r.url
    ) as beacon:
        tab.goto(base + article.get_absolute_url())
    assert beacon.value.url == f"{base}/api/views/{article.pk}"
    # The poster, the picture and the video itself come from /media/.
    # A function, not an expression: Playwright would eval() an expression,
    # which the policy refuses.
    tab.wait_for_function(
        "() => document.querySelector('.article__video video').readyState >= 1",
        timeout=20_000,
    )
    assert tab.evaluate("document.querySelector('.article__figure img').naturalWidth")
    assert tab.locator('script[type="application/ld+json"]').count() == 1

    tab.goto(base + "/tim-kiem/?q=thai+binh")
    assert tab.get_by_role("link", name="Nông dân Thái Bình thu hoạch lúa").count()
    with tab.expect_response(lambda r: "/api/search/autocomplete" in r.url) as typed:
        tab.locator("#masthead-q").fill("nong dan")
    assert typed.value.status == 200
    tab.locator("ul.autocomplete li").first.wait_for()

    assert tab.problems == []


def test_editor_admin_pages_run_under_the_admin_policy(
    tab, live_server, section, make_article
):
    editor = get_user_model().objects.create_user("bientap", password=PASSWORD)
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    article = make_article("Bài cần biên tập")
    admin = live_server.url + "/admin"

    tab.goto(admin + "/login/")
    tab.fill("#id_username", "bientap")
    tab.fill("#id_password", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(admin + "/")
    assert tab.locator("#previous-login-heading, #previous-login").count()

    tab.goto(admin + f"/snippets/news/article/edit/{article.pk}/")
    # Draftail, the bylines' inline panel and the date pickers are scripts.
    editor_box = tab.locator(".Draftail-Editor [contenteditable=true]").first
    editor_box.wait_for()
    editor_box.click()
    tab.keyboard.type(" Thêm một câu.")
    assert "Thêm một câu." in editor_box.inner_text()
    assert tab.locator("#id_bylines-0-name").input_value() == "Cao Biền"
    # The preview: the article in a same-origin frame of the admin.
    tab.locator('[data-side-panel-toggle="preview"]').click()
    preview = tab.frame_locator("#w-preview-iframe")
    preview.get_by_role("heading", level=1).wait_for(timeout=20_000)
    assert preview.get_by_role("heading", level=1).inner_text() == article.title

    assert tab.problems == []


def test_two_factor_setup_and_login_under_the_admin_policy(tab, live_server, home):
    editor = get_user_model().objects.create_user("bientap", password=PASSWORD)
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    admin = live_server.url + "/admin"

    def log_in():
        tab.goto(admin + "/login/")
        tab.fill("#id_username", "bientap")
        tab.fill("#id_password", PASSWORD)
        tab.click("button[type=submit]")

    log_in()
    tab.wait_for_url(admin + "/")
    tab.goto(admin + "/two-factor/")
    assert tab.locator(".two-factor__qr svg").is_visible()
    secret = tab.locator(".two-factor__secret").inner_text()
    tab.fill("#id_code", code_from_phone(secret))
    tab.get_by_role("button", name="Bật xác thực hai bước").click()
    tab.locator(".two-factor__codes li").first.wait_for()
    assert tab.locator(".two-factor__codes li").count() == 10

    tab.context.clear_cookies()  # another day, a new login
    log_in()
    tab.wait_for_url("**/two-factor/verify/**")
    # The code after this one: the setup spent the current one.
    tab.fill("#id_code", code_from_phone(secret, offset=30))
    tab.get_by_role("button", name="Xác nhận / Verify").click()
    tab.wait_for_url(admin + "/")
    assert tab.locator("#previous-login-heading, #previous-login").count()

    assert tab.problems == []
