"""Loading the Vietnamese demo newsroom: sections, authors, images, articles, seed."""

from __future__ import annotations

import io
import logging
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Site

from toasoan.audience.models import ArticleViewHour
from toasoan.core.models import PressSettings
from toasoan.core.vietnamese import slugify_vi
from toasoan.demo import content
from toasoan.importers.services import import_text_article
from toasoan.news.models import Article, Author, Byline, HomePage, SectionPage
from toasoan.videos.models import Video

SEED_ARTICLE = Path(__file__).parent / "seed" / "article-47082.txt"
log = logging.getLogger("toasoan.demo")
SEED_KEYWORDS = ["Thông tin đối ngoại", "Diễn biến hòa bình", "Thái Bình"]
ADMIN_USERNAME = "admin"
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class DemoSummary:
    loaded: bool
    sections: int = 0
    articles: int = 0


def load_demo() -> DemoSummary:
    """Load the demo newsroom once; a site that already has sections is left alone."""
    home = HomePage.objects.order_by("path").first()
    if home is None or SectionPage.objects.exists():
        if home is not None:
            # A demo loaded before the English edition existed gains it now.
            load_english_edition()
        return DemoSummary(loaded=False)
    with transaction.atomic():
        _save_press_settings(Site.objects.get(is_default_site=True))
        sections = _create_sections(home)
        authors = {a["name"]: _create_author(a) for a in content.AUTHORS}
        rng = random.Random(47082)
        for item in content.ARTICLES:
            article = _create_article(item, sections[item["section"]], authors, rng)
            _add_reading_history(article)
        seed = import_text_article(SEED_ARTICLE, sections["thoi-su"]).article
        # An editor's touch after import: the seed page had none, readers want them.
        seed.keywords.add(*SEED_KEYWORDS)
        seed.save()
    _film_seed_video()
    load_english_edition()
    return DemoSummary(
        loaded=True, sections=len(sections), articles=Article.objects.count()
    )


def _save_press_settings(site: Site) -> None:
    press = PressSettings.for_site(site)
    press.outlet_name = "Đài Phát thanh và Truyền hình Thái Bình (bản trình diễn)"
    press.short_name = "TBTV demo"
    press.governing_agency = "Ủy ban nhân dân tỉnh Thái Bình"
    press.licence_number = "000/GP-BTTTT (số mẫu)"
    press.licence_date = datetime(2019, 1, 15).date()
    press.licence_issuer = "Bộ Thông tin và Truyền thông"
    press.editor_in_chief = "Nguyễn Văn Mẫu"
    press.address = "Số 1 đường Mẫu, thành phố Thái Bình, tỉnh Thái Bình"
    press.phone = "0227 000 0000"
    press.email = "toasoan@example.vn"
    press.logo = _placeholder_logo(press.short_name)
    press.save()


def _placeholder_logo(initials: str):
    """A square logo drawn here (share previews and Google want one)."""
    size = 512
    logo = PILImage.new("RGB", (size, size), (176, 18, 32))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((48, 48, size - 48, size - 48), outline=(255, 255, 255), width=18)
    draw.text((size // 2, size // 2), initials.split()[0], fill=(255, 255, 255),
              anchor="mm", font_size=120)  # fmt: skip
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    return get_image_model().objects.create(
        title=f"Logo {initials}", file=ImageFile(buffer, name="logo.png")
    )


def _create_sections(home: HomePage) -> dict[str, SectionPage]:
    sections: dict[str, SectionPage] = {}

    def add(parent, spec, in_menu):
        page = SectionPage(
            title=spec["title"],
            slug=spec["key"],
            legacy_id=spec.get("legacy_id"),
            show_in_menus=in_menu,
        )
        parent.add_child(instance=page)
        page.save_revision().publish()
        sections[spec["key"]] = page
        return page

    for spec in content.SECTIONS:
        parent = add(home, spec, True)
        for child in spec.get("children", []):
            add(parent, child, False)
    return sections


def _create_author(spec: dict) -> Author:
    return Author.objects.create(name=spec["name"], role=spec["role"], bio=spec["bio"])


def _create_article(item: dict, section: SectionPage, authors: dict, rng) -> Article:
    article = Article(
        title=item["title"],
        lead=item["lead"],
        body="".join(f"<p>{escape(p)}</p>" for p in item["body"]),
        section=section,
        locale=section.locale,
        published_at=timezone.make_aware(
            datetime.fromisoformat(item["published_at"]), LOCAL_TZ
        ),
        view_count=item["views"],
        is_lead_story=item.get("featured", False),
        featured_image=_placeholder_image(item["image"], item["title"], rng),
        featured_image_caption=item["image"]["caption"],
    )
    if item.get("video"):
        article.video, _ = Video.objects.get_or_create(
            original_filename=item["video"], defaults={"title": item["title"][:300]}
        )
    article.bylines = [
        Byline(
            author=authors.get(name),
            name="" if name in authors else name,
            sort_order=order,
        )
        for order, name in enumerate(item["authors"])
    ]
    article.keywords.set(item["keywords"])
    article.save()
    article.save_revision(clean=False).publish()
    return article


def load_english_edition() -> int:
    """The English edition of the demo, once: every section translated, articles
    translated from the Vietnamese ones (with their pictures and videos), two
    written in English only, and "About us – Contact" in both languages.
    Returns how many English articles it made (0 when there were already some,
    or when English is not among the site's languages)."""
    from wagtail.models import Locale

    from toasoan.demo import content_en
    from toasoan.news.editions import (
        create_translation,
        edition_codes,
        ensure_editions,
        translated_section,
    )
    from toasoan.news.models import AboutPage

    if "en" not in edition_codes():
        return 0
    ensure_editions()
    english = Locale.objects.get(language_code="en")
    if Article.objects.filter(locale=english).exists():
        return 0
    vietnamese = Locale.get_default()
    made = 0

    def english_section(page: SectionPage) -> SectionPage:
        # Only the sections the English articles need, with English names: an
        # edition's menu shows no empty section.
        existing = page.get_translation_or_none(english)
        if existing is not None:
            return existing.specific
        parent = page.get_parent().specific
        if isinstance(parent, SectionPage):
            english_section(parent)
        translated = translated_section(page, english)
        title, slug = content_en.SECTIONS.get(page.slug, (page.title, page.slug))
        translated.title = translated.draft_title = title
        translated.slug = slug
        translated.save_revision().publish()
        return SectionPage.objects.get(pk=translated.pk)

    with transaction.atomic():
        home = HomePage.objects.get(locale=english)
        for name, value in content_en.EDITION.items():
            setattr(home, name, value)
        home.save()
        # The sections first, in the Vietnamese edition's order (its menu's).
        needed = [
            a.section
            for a in Article.objects.filter(
                locale=vietnamese,
                title__in=[item["original"] for item in content_en.TRANSLATIONS],
            ).select_related("section")
        ] + [
            SectionPage.objects.get(locale=vietnamese, slug=item["section"])
            for item in content_en.ENGLISH_ONLY
        ]
        for page in sorted(needed, key=lambda page: page.path):
            english_section(page)
        for item in content_en.TRANSLATIONS:
            original = Article.objects.filter(
                title=item["original"], locale=vietnamese
            ).first()
            if original is None:  # the Vietnamese demo was changed by hand
                continue
            english_section(original.section.specific)
            article = create_translation(original, english)
            _write_english(article, item)
            article.published_at = original.published_at + timedelta(hours=3)
            _publish_english(article, item["views"])
            made += 1
        rng = random.Random(2026)
        for item in content_en.ENGLISH_ONLY:
            section = SectionPage.objects.get(locale=vietnamese, slug=item["section"])
            article = Article(
                section=english_section(section),
                locale=english,
                published_at=timezone.make_aware(
                    datetime.fromisoformat(item["published_at"]), LOCAL_TZ
                ),
                featured_image=_placeholder_image(
                    {"caption": item["caption"], "colour": item["colour"]},
                    item["title"],
                    rng,
                ),
            )
            article.bylines = [Byline(name="Foreign Affairs Desk", sort_order=0)]
            _write_english(article, item)
            _publish_english(article, item["views"])
            made += 1
        about = {}
        for code, spec in content_en.ABOUT.items():
            locale = Locale.objects.get(language_code=code)
            home = HomePage.objects.get(locale=locale)
            page = AboutPage(
                title=spec["title"],
                slug=spec["slug"],
                intro=spec["intro"],
                body="".join(f"<p>{escape(p)}</p>" for p in spec["body"]),
                show_in_menus=False,
            )
            if code != "vi" and "vi" in about:
                page.translation_key = about["vi"].translation_key
            page.locale = locale
            home.add_child(instance=page)
            page.save_revision().publish()
            about[code] = page
    return made


def _write_english(article: Article, item: dict) -> None:
    article.title = item["title"]
    article.slug = ""
    article.lead = item["lead"]
    article.body = "".join(f"<p>{escape(p)}</p>" for p in item["body"])
    article.featured_image_caption = item["caption"]
    article.featured_image_alt = item["caption"]
    article.save()
    article.keywords.set(item["keywords"])
    article.save()


def _publish_english(article: Article, views: int) -> None:
    article.save_revision(clean=False).publish()
    Article.objects.filter(pk=article.pk).update(view_count=views)
    article.refresh_from_db()
    _add_reading_history(article)


DEMO_CLIP_SECONDS = 8


def _film_seed_video() -> None:
    """The seed article names 72619_OHAI1.mp4, which the repository does not
    carry: FFmpeg films a short test card in its place, and the worker that
    `make run` starts processes it like any upload (a poster at once, then
    "đang xử lý", then the player)."""
    import subprocess
    import tempfile

    from toasoan.videos.probing import VideoRejected
    from toasoan.videos.services import ffmpeg_executable, import_video_file

    with tempfile.TemporaryDirectory(prefix="toasoan-demo-") as folder:
        clip = Path(folder) / "72619_OHAI1.mp4"
        try:
            subprocess.run(
                [ffmpeg_executable(), "-hide_banner", "-loglevel", "error", "-y",
                 "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25",
                 "-f", "lavfi", "-i", "sine=frequency=523",
                 "-t", str(DEMO_CLIP_SECONDS), "-pix_fmt", "yuv420p", "-c:v", "libx264",
                 "-c:a", "aac", "-movflags", "+faststart", str(clip)],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
            import_video_file(clip)
        except (OSError, subprocess.SubprocessError, VideoRejected) as error:
            log.warning("demo: no video for the seed article: %s", error)


READING_DAYS = 7


def _add_reading_history(article: Article) -> None:
    """Spread the demo article's views over the hours after it went out, most in
    the first day, as readers do: "Đọc nhiều", the audience page and the period
    review then have figures to show. (The seed article's 264 views came from the
    old portal and have no hours, as imported totals never do.)"""
    now = timezone.now()
    start = article.published_at.astimezone(UTC).replace(
        minute=0, second=0, microsecond=0
    )
    hours = [
        start + timedelta(hours=n)
        for n in range(READING_DAYS * 24)
        if start + timedelta(hours=n) <= now
    ]
    if not hours or not article.view_count:
        return
    weights = [0.9**n for n in range(len(hours))]
    scale = article.view_count / sum(weights)
    views = [int(w * scale) for w in weights]
    views[0] += article.view_count - sum(views)
    ArticleViewHour.objects.bulk_create(
        ArticleViewHour(article=article, hour=hour, views=n)
        for hour, n in zip(hours, views, strict=True)
        if n
    )


def _placeholder_image(spec: dict, title: str, rng):
    """A 1200×675 picture drawn here, so that no binary sits in the repository."""
    width, height = 1200, 675
    base = PILImage.new("RGB", (width, height), spec["colour"])
    draw = ImageDraw.Draw(base, "RGBA")
    for _ in range(14):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randrange(40, 260)
        shade = rng.choice([(255, 255, 255, 40), (0, 0, 0, 45), (255, 220, 120, 50)])
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=shade)
    draw.rectangle((0, height - 90, width, height), fill=(0, 0, 0, 70))
    buffer = io.BytesIO()
    base.save(buffer, "JPEG", quality=82)
    name = f"{slugify_vi(title, max_length=60) or 'anh'}.jpg"
    return get_image_model().objects.create(
        title=spec["caption"][:255], file=ImageFile(buffer, name=name)
    )


def ensure_admin() -> tuple[str, str | None]:
    """Create the demo's administrator once; return its login.

    The password is random and kept in the local data folder (never in git), so a
    second `make run` prints the same login; it is None when the account was made
    some other way and its password is not ours to know.
    """
    password_file = Path(settings.DATA_DIR) / "admin-login.txt"
    User = get_user_model()
    if User.objects.filter(username=ADMIN_USERNAME).exists():
        password = password_file.read_text().strip() if password_file.exists() else None
        return ADMIN_USERNAME, password
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(ADMIN_USERNAME, "admin@example.vn", password)
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.write_text(password + "\n")
    password_file.chmod(0o600)
    return ADMIN_USERNAME, password
