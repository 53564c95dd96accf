"""The demo newsroom, and the commands a newcomer runs, in real processes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from toasoan.news.models import Article, Author, SectionPage

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_demo_has_the_seed_and_thirty_articles_in_five_sections():
    from toasoan.demo.services import load_demo

    summary = load_demo()
    assert summary.loaded
    assert Article.objects.published().count() >= 31
    top = SectionPage.objects.filter(depth=3)
    assert top.count() >= 5
    assert all(Article.objects.in_section(s).exists() for s in top)
    seed = Article.objects.get(legacy_id=47082)
    assert seed.section.legacy_id == 46
    assert seed.keywords.count() == 3
    assert Author.objects.count() >= 5
    assert Article.objects.filter(featured_image__isnull=False).count() >= 30
    assert Article.objects.exclude(tagged_keywords=None).count() >= 31
    # Readers' history: the demo articles' views spread over hours, so "Đọc
    # nhiều", the audience page and the period review have figures to show.
    from django.db.models import Sum

    from toasoan.audience.models import ArticleViewHour

    demo_articles = Article.objects.exclude(legacy_id=47082)
    for article in demo_articles:
        counted = ArticleViewHour.objects.filter(article=article).aggregate(
            n=Sum("views")
        )
        assert counted["n"] == article.view_count, article.title
    assert not ArticleViewHour.objects.filter(article=seed).exists()  # imported total
    # The seed's video, filmed by FFmpeg for the demo, waits for the worker.
    assert seed.video.original_filename == "72619_OHAI1.mp4"
    assert seed.video.status == "pending" and seed.video.poster
    assert load_demo().loaded is False  # second run keeps what is there


def _run(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "toasoan", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


@pytest.mark.slow
@pytest.mark.sqlite_pass_only
def test_commands_from_a_fresh_data_folder(tmp_path, seed_article_path):
    """migrate, load-demo twice, then import-text with a bad file: as make run does."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="toasoan.settings.dev", TOASOAN_DATA_DIR=str(tmp_path)
    )
    assert _run("migrate", "--noinput", env=env).returncode == 0
    first = _run("load-demo", env=env)
    assert first.returncode == 0, first.stderr
    assert "Đã nạp dữ liệu mẫu / demo loaded" in first.stdout
    password = (tmp_path / "admin-login.txt").read_text().strip()
    assert f"Mật khẩu / password:    {password}" in first.stdout
    second = _run("load-demo", env=env)
    assert "existing data kept" in second.stdout
    assert password in second.stdout

    bad = tmp_path / "bad-1.txt"
    bad.write_text("Tiêu đề\nkhông phải ngày\nNội dung.\n", encoding="utf-8")
    result = _run("import-text", str(bad), str(seed_article_path), env=env)
    assert result.returncode == 1
    assert f"{bad}:2: không đọc được ngày giờ" in result.stderr
    # The demo already has the seed: it is found unchanged.
    assert "1 không đổi / unchanged, 1 lỗi / failed" in result.stdout


@pytest.mark.django_db
def test_demo_has_an_english_edition(english_home, client):
    from toasoan.demo.services import load_demo
    from toasoan.news.editions import original_of
    from toasoan.news.models import AboutPage

    load_demo()
    english = Article.objects.published().filter(locale__language_code="en")
    translated = [a for a in english if original_of(a) is not None]
    english_only = [a for a in english if original_of(a) is None]
    assert len(translated) >= 8 and len(english_only) >= 2
    for article in translated:
        original = original_of(article)
        assert original.locale.language_code == "vi"
        assert article.featured_image_id == original.featured_image_id
        assert article.video_id == original.video_id
        assert article.section.locale.language_code == "en"
    assert all(a.featured_image_id for a in english_only)
    # The English sections are translations of Vietnamese ones, named in English.
    english_sections = SectionPage.objects.filter(locale__language_code="en")
    assert english_sections.count() >= 5
    for page in english_sections:
        original = page.get_translation(SectionPage.objects.first().locale)
        assert original.locale.language_code == "vi"
        assert page.slug.isascii() and page.title != original.title
    assert AboutPage.objects.live().filter(locale__language_code="en").count() == 1
    home = client.get("/en/").content.decode()
    assert "Thai Binh Economic Zone welcomes three projects" in home
    assert "Economy" in home and "Agriculture and rural life" in home
    assert "Thai Binh Radio and Television (demo)" in home
    assert client.get("/en/about/").status_code == 200
    assert client.get("/gioi-thieu-lien-he/").status_code == 200
    # Loading again adds nothing.
    load_demo()
    assert Article.objects.filter(locale__language_code="en").count() == len(english)
