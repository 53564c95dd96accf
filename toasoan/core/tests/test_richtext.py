import pytest

from toasoan.core.richtext import sanitize_rich_text


def test_scripts_and_event_handlers_are_removed():
    html = (
        '<p onclick="steal()">Tin <b>mới</b><script>alert(1)</script></p>'
        "<img src=x onerror=alert(1)><style>p{}</style>"
    )
    assert sanitize_rich_text(html) == "<p>Tin <b>mới</b></p>"


def test_javascript_links_lose_their_href():
    cleaned = sanitize_rich_text('<a href="javascript:alert(1)">bấm</a>')
    assert "javascript" not in cleaned
    assert "bấm" in cleaned


def test_wagtail_page_links_and_image_embeds_survive():
    html = (
        '<p><a linktype="page" id="3">Trang</a> <a href="https://example.vn/">x</a></p>'
        '<embed embedtype="image" format="fullwidth" id="7" alt="Ảnh"/>'
    )
    cleaned = sanitize_rich_text(html)
    assert '<a linktype="page" id="3">Trang</a>' in cleaned
    assert '<a href="https://example.vn/">x</a>' in cleaned
    assert 'embedtype="image"' in cleaned and 'id="7"' in cleaned


@pytest.mark.django_db
def test_pictures_in_a_body_survive_cleaning_and_show_on_the_page(make_image):
    """nh3 writes <embed …>; Wagtail expands only <embed …/>: a lost slash
    made every picture in a body vanish from the page."""
    import lxml.html
    from wagtail.rich_text import expand_db_html

    image = make_image()
    stored = sanitize_rich_text(
        f'<p>Trước</p><embed embedtype="image" id="{image.pk}" alt="Quang cảnh" '
        'format="fullwidth" onerror="alert(1)"/><p>Sau</p>'
    )
    shown = lxml.html.fragment_fromstring(expand_db_html(stored), create_parent="div")
    [picture] = shown.cssselect("img")
    assert picture.get("alt") == "Quang cảnh" and picture.get("onerror") is None
    assert [p.text for p in shown.cssselect("p")] == ["Trước", "Sau"]
