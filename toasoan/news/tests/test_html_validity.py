"""Every kind of reader page passes the Nu HTML checker (vnu.jar), errors only."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from toasoan.importers.services import import_text_article
from toasoan.news.models import Author, Byline

VNU_JAR = (
    Path(__file__).resolve().parents[3]
    / ".tools/node_modules/vnu-jar/build/dist/vnu.jar"
)


@pytest.fixture
def vnu():
    missing = [
        what
        for what, ok in [
            ("java", shutil.which("java")),
            (str(VNU_JAR), VNU_JAR.exists()),
        ]
        if not ok
    ]
    if missing:
        message = (
            f"Nu HTML checker unavailable ({', '.join(missing)}); .ci/run installs it"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return VNU_JAR


@pytest.mark.django_db
def test_reader_pages_are_valid_html(
    client, vnu, tmp_path, seed_article_path, section, make_article, make_image,
    make_video,
):  # fmt: skip
    seed = import_text_article(seed_article_path, section).article
    seed.keywords.add("Thái Bình")
    seed.save()
    profile = Author.objects.create(name="Nguyễn Thu Hà")
    other = make_article(
        "Tin có ảnh & <ký tự> “đặc biệt”", keywords=["Thái Bình"], is_lead_story=True,
        featured_image=make_image(), video=make_video(),
    )  # fmt: skip
    other.bylines = [Byline(author=profile)]
    other.correction_note = "Sửa tên địa danh & số liệu <đúng>."
    other.save()
    withdrawn = make_article("Tin đã gỡ")
    withdrawn.withdrawn_at, withdrawn.withdrawal_reason = (
        other.published_at,
        "Sai <nguồn>",
    )
    withdrawn.save()
    urls = {
        "home": "/",
        "section": f"/{section.slug}/",
        "article": seed.get_absolute_url(),
        "article-2": other.get_absolute_url(),
        "keyword": "/tu-khoa/thai-binh/",
        "author": "/tac-gia/nguyen-thu-ha/",
        "free-author": "/tac-gia/cao-bien/",
        "not-found": "/khong-co/",
        "search": "/tim-kiem/?q=thai+binh",
        "search-empty": "/tim-kiem/?q=khongcoketqua",
        "withdrawn": withdrawn.get_absolute_url(),
        "print": f"/bai-viet/{other.pk}/in/",
        "video": "/video/",
    }
    files = []
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in (200, 404, 410)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    # The server error page, as Django renders it (no context).
    (tmp_path / "500.html").write_text(render_to_string("500.html"))
    files.append(str(tmp_path / "500.html"))
    result = subprocess.run(
        [
            "java",
            "-Xss4m",
            "-jar",
            str(vnu),
            "--format",
            "json",
            "--errors-only",
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
    ]
    assert problems == []
