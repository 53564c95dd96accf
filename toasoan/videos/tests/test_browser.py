"""A reader watches a processed news video in Debian's chromium."""

import pytest

from toasoan.videos.services import import_video_file, run_next_video_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_video_plays_from_hls_or_mp4_and_the_video_section_lists_it(
    browser, live_server, make_article, video_file
):
    source = video_file(
        "ban-tin.mp4",
        seconds=5,
        size="1280x720",
        extra=["-c:v", "libx264", "-c:a", "aac"],
    )
    video = import_video_file(source)
    video = run_next_video_job()
    article = make_article("Bản tin thời sự tối", video=video)
    tab = browser.new_page()
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(live_server.url + article.get_absolute_url())
    player = tab.locator(".article__video video")
    assert player.get_attribute("poster") == video.poster.url
    # Predicates as functions: an expression would need eval, which the
    # site's Content Security Policy refuses.
    tab.wait_for_function(
        "() => document.querySelector('.article__video video').readyState >= 2",
        timeout=20_000,
    )
    chosen = tab.evaluate("document.querySelector('.article__video video').currentSrc")
    assert chosen.endswith((video.hls_master.url, video.web_mp4.url))
    # The MP4 alone plays too, for browsers without HLS.
    tab.evaluate(
        "src => { const v = document.createElement('video'); v.id = 'mp4-only';"
        " v.preload = 'auto'; v.muted = true; v.src = src; document.body.append(v); }",
        video.web_mp4.url,
    )
    tab.wait_for_function(
        "() => document.getElementById('mp4-only').readyState >= 2", timeout=20_000
    )
    assert tab.evaluate(
        "document.getElementById('mp4-only').duration"
    ) == pytest.approx(5, abs=0.2)
    tab.goto(live_server.url + "/video/")
    assert tab.get_by_role("link", name="Bản tin thời sự tối").is_visible()
    tab.close()
