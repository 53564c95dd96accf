"""Fixtures shared by every app's tests: a site with sections and published articles."""

import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHARED = Path(__file__).resolve().parent.parent / "shared"
SEED_ARTICLE = SHARED / "seed" / "article-47082.txt"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vn_time(*args) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on, for a server a test starts."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty caches and no queued views: a view queued by
    an earlier test for an article id the database has since reused would show
    on this test's article (the count shown adds the views still queued)."""
    import shutil

    from django.conf import settings
    from django.core.cache import caches

    from toasoan.audience.recording import forget_in_memory_state

    def forget():
        for cache in caches.all():
            cache.clear()
        forget_in_memory_state()
        shutil.rmtree(settings.VIEWS_QUEUE_DIR, ignore_errors=True)

    forget()
    yield
    forget()


@pytest.fixture
def seed_article_path() -> Path:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"../shared/ is absent: {SEED_ARTICLE} not found")
    return SEED_ARTICLE


@pytest.fixture
def home(db):
    from toasoan.news.models import HomePage

    home = HomePage.objects.first()
    return home if home is not None else _rebuild_site_after_flush()


def _rebuild_site_after_flush():
    """A transactional test (browser tests) ends with a flush that empties every
    table, including what migrations made; the next one rebuilds the site tree
    here, as the migrations do, and the newsroom's groups and workflow."""
    import importlib

    from django.apps import apps
    from wagtail.models import Collection, Locale, Page, Site

    from toasoan.news.models import HomePage

    locale, _ = Locale.objects.get_or_create(language_code="vi")
    # Wagtail's migration makes the root collection; images and documents need it.
    if Collection.get_first_root_node() is None:
        Collection.add_root(instance=Collection(name="Root"))
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    home = root.add_child(
        instance=HomePage(title="Trang chủ", slug="trang-chu", locale=locale)
    )
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True,
        site_name="toasoan",
    )  # fmt: skip
    roles = importlib.import_module(
        "toasoan.newsroom.migrations.0001_roles_and_workflow"
    )
    roles.create(apps, None)
    withdraw = importlib.import_module(
        "toasoan.newsroom.migrations.0002_withdraw_permission"
    )
    withdraw.grant(apps, None)
    reports = importlib.import_module(
        "toasoan.reports.migrations.0002_grant_to_editor_in_chief_and_admin"
    )
    reports.grant(apps, None)
    images = importlib.import_module(
        "toasoan.newsroom.migrations.0004_image_collection_permissions"
    )
    images.grant(apps, None)
    account_security = importlib.import_module(
        "toasoan.newsroom.migrations.0005_account_security_permission"
    )
    account_security.grant(apps, None)
    return home


@pytest.fixture
def make_section(home):
    from toasoan.news.models import SectionPage

    def make(title="Thời sự", parent=None, legacy_id=None, slug=None, in_menu=True):
        from toasoan.core.vietnamese import slugify_vi

        page = SectionPage(
            title=title,
            slug=slug or slugify_vi(title),
            legacy_id=legacy_id,
            show_in_menus=in_menu,
        )
        (parent or home).add_child(instance=page)
        page.save_revision().publish()
        return page

    return make


@pytest.fixture
def section(make_section):
    return make_section("Thời sự", legacy_id=46)


def create_article(
    section, title: str, *, authors=("Cao Biền",), keywords=(), publish=True, **fields
):
    """An article as the admin makes one: saved, a revision, published unless
    ``publish`` is false. ``authors`` are names (free-text bylines) or Author
    profiles. For module-scoped data, where the make_article fixture cannot go."""
    from toasoan.news.models import Article, Byline

    article = Article(title=title, section=section, **fields)
    article.bylines = [
        Byline(name=a, sort_order=n)
        if isinstance(a, str)
        else Byline(author=a, sort_order=n)
        for n, a in enumerate(authors)
    ]
    article.keywords.set(list(keywords))
    article.live = False
    article.save()
    revision = article.save_revision(clean=False)
    if publish:
        revision.publish()
        article.refresh_from_db()
    return article


@pytest.fixture
def make_article(section):
    counter = iter(range(1, 10**6))

    def make(title=None, *, section=section, **fields):
        n = next(counter)
        fields.setdefault("published_at", vn_time(2026, 11, 1, 8, 0))
        fields.setdefault("lead", f"Sapo của bài {n}.")
        fields.setdefault("body", f"<p>Nội dung bài {n}.</p>")
        fields.setdefault("locale", section.locale)
        return create_article(section, title or f"Bài viết số {n}", **fields)

    return make


@pytest.fixture
def english_home(home):
    """The English edition (/en/): its locale and home page, as `migrate` makes
    them where TOASOAN_LANGUAGES names it (news/editions.py)."""
    from toasoan.news.editions import ensure_editions
    from toasoan.news.models import HomePage

    ensure_editions()
    return HomePage.objects.get(locale__language_code="en")


@pytest.fixture
def log_in_as(client, home):
    """The test client, logged in as a new member of a newsroom role (a group
    name from newsroom/roles.py); the user is ``client.user``."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    def log_in(group: str, username: str | None = None):
        user = get_user_model().objects.create_user(
            username or f"nguoi-dung-{Group.objects.get(name=group).pk}", password="x"
        )
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        client.user = user
        return client

    return log_in


@pytest.fixture
def make_image(db):
    """A Wagtail image of the given size (a JPEG drawn by Pillow)."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    def make(title="Ảnh hội nghị", width=1600, height=900):
        buffer = BytesIO()
        PILImage.new("RGB", (width, height), (180, 40, 40)).save(buffer, "JPEG")
        name = f"anh-{width}x{height}.jpg"
        return get_image_model().objects.create(
            title=title, file=ImageFile(buffer, name=name)
        )

    return make


@pytest.fixture
def make_video(db):
    """A processed news video whose files are a few bytes each: enough for links,
    feeds and structured data, which never play it (tests that play or process
    videos make real ones with FFmpeg: video_file)."""
    from django.core.files.base import ContentFile

    from toasoan.videos.models import Video, VideoStatus

    def make(title="Bản tin thời sự", duration=184.4, size=64):
        video = Video.objects.create(
            title=title,
            original_filename="72619_OHAI1.mp4",
            file=ContentFile(b"\0" * size, name="72619_OHAI1.mp4"),
            duration_seconds=duration,
            width=1280,
            height=720,
        )
        video.poster.save(
            "poster.jpg", ContentFile(b"\xff\xd8" + b"\0" * 62), save=False
        )
        video.web_mp4.save("web.mp4", ContentFile(b"\0" * size), save=False)
        video.hls_master.save("master.m3u8", ContentFile(b"#EXTM3U\n"), save=False)
        video.status = VideoStatus.READY
        video.save()
        return video

    return make


@pytest.fixture
def video_file(tmp_path):
    """A real video made by FFmpeg (imageio-ffmpeg's): testsrc and a tone."""
    import subprocess

    from toasoan.videos.services import ffmpeg_executable

    def make(name="ban-tin.mp4", seconds=3, size="640x360", audio=True, extra=()):
        path = tmp_path / name
        inputs = ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=25"]
        if audio:
            inputs += ["-f", "lavfi", "-i", "sine=frequency=440"]
        subprocess.run(
            [ffmpeg_executable(), "-hide_banner", "-loglevel", "error", "-y", *inputs,
             "-t", str(seconds), "-pix_fmt", "yuv420p", *extra, str(path)],
            check=True,
        )  # fmt: skip
        return path

    return make


class SiteInItsOwnProcess:
    """A migrated SQLite file and the environment to run `python -m toasoan`
    on it in processes of their own (to kill one with -9 mid-work)."""

    def __init__(self, data_dir: Path):
        import sys

        self.data_dir = data_dir
        self.database = data_dir / "db.sqlite3"
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "toasoan.settings.dev",
                    "TOASOAN_DATA_DIR": str(data_dir),
                    "DATABASE_URL": f"sqlite:///{self.database}"}  # fmt: skip
        self.env.pop("REDIS_URL", None)
        self.python = [sys.executable, "-m", "toasoan"]

    def command(self, *args: str) -> list[str]:
        return [*self.python, *args]

    def run(self, *args: str, **kwargs):
        import subprocess

        kwargs = {"capture_output": True, "text": True, **kwargs}
        return subprocess.run(self.command(*args), env=self.env, **kwargs)

    def count(self, sql: str) -> int:
        import sqlite3

        with sqlite3.connect(self.database, timeout=10) as db:
            return db.execute(sql).fetchone()[0]


def _suite_runs_on_sqlite() -> bool:
    from django.conf import settings

    return "sqlite" in settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(config, items):
    # Tests that start their own processes on an SQLite file do the same thing
    # whatever the suite's database: the PostgreSQL pass would only repeat them.
    if _suite_runs_on_sqlite():
        return
    once = pytest.mark.skip(
        reason="its own processes on an SQLite file: the SQLite pass runs it"
    )
    for item in items:
        if item.get_closest_marker("sqlite_pass_only"):
            item.add_marker(once)


@pytest.fixture(scope="session")
def _migrated_sqlite_file(tmp_path_factory) -> Path:
    """One `migrate` for the session (about 15 s); each site copies the file."""
    site = SiteInItsOwnProcess(tmp_path_factory.mktemp("migrated"))
    site.run("migrate", "--noinput", check=True)
    import sqlite3

    with sqlite3.connect(site.database) as db:  # all in the one file to copy
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return site.database


@pytest.fixture
def site_in_its_own_process(tmp_path, request) -> SiteInItsOwnProcess:
    """Skipped on PostgreSQL: these drills run once, on an SQLite file."""
    import shutil

    if not _suite_runs_on_sqlite():
        pytest.skip("a process of its own on an SQLite file; runs once")
    site = SiteInItsOwnProcess(tmp_path / "data")
    site.data_dir.mkdir()
    shutil.copyfile(request.getfixturevalue("_migrated_sqlite_file"), site.database)
    return site


class SmallDisk:
    """A real disk that fills up, for the disk-full drills: a tmpfs of a few
    megabytes mounted for the test (root with CAP_SYS_ADMIN, as here and in
    CI). Where mounting is not permitted, the kernel's file-size limit plays the
    full disk instead (RLIMIT_FSIZE, with SIGXFSZ ignored): while it is full, no
    file this process or its children write grows past the bytes left; the
    write fails with EFBIG instead of ENOSPC, per file rather than in total."""

    FILLER = ".filler"

    def __init__(self, path: Path, mounted: bool):
        self.path = path
        self.mounted = mounted
        self._limit = None

    def free(self) -> int:
        stat = os.statvfs(self.path)
        return stat.f_bavail * stat.f_frsize

    def fill(self, leave: int) -> None:
        """Leave about ``leave`` bytes free (to the page: tmpfs counts pages)."""
        if not self.mounted:
            import resource
            import signal

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            self._limit = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (leave, self._limit[1]))
            return
        missing = self.free() - leave
        with open(self.path / self.FILLER, "ab") as filler:
            while missing > 0:
                filler.write(b"\0" * min(missing, 1024**2))
                missing -= 1024**2

    def empty(self) -> None:
        """Free the space fill() took: the disk has room again."""
        if self._limit is not None:
            import resource
            import signal

            resource.setrlimit(resource.RLIMIT_FSIZE, self._limit)
            signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
            self._limit = None
        (self.path / self.FILLER).unlink(missing_ok=True)

    def files(self, under: str = "") -> list[str]:
        """Every file on the disk (or in a folder of it) but the filler."""
        top = self.path / under
        return sorted(
            p.relative_to(self.path).as_posix()
            for p in top.rglob("*")
            if p.is_file() and p.name != self.FILLER
        )


@pytest.fixture
def small_disk(tmp_path):
    """An 8 MB disk of its own (SmallDisk), unmounted after the test whatever
    happens. TOASOAN_TEST_SMALL_DISK=rlimit tries the fallback where a mount
    would work."""
    import subprocess

    path = tmp_path / "small-disk"
    path.mkdir()
    mounted = (
        os.environ.get("TOASOAN_TEST_SMALL_DISK") != "rlimit"
        and os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", str(path)],
            capture_output=True,
        ).returncode
        == 0
    )
    if not mounted:
        try:
            import resource

            resource.getrlimit(resource.RLIMIT_FSIZE)
        except (ImportError, OSError):
            pytest.skip("no tmpfs can be mounted (needs root) and no RLIMIT_FSIZE")
    disk = SmallDisk(path, mounted)
    try:
        yield disk
    finally:
        disk.empty()
        if mounted and subprocess.run(["umount", str(path)]).returncode != 0:
            subprocess.run(["umount", "--lazy", str(path)], check=True)


def draftail(text: str) -> str:
    """A rich text field as Wagtail's admin form posts it: one Draftail block."""
    block = {
        "key": "a1b2c",
        "type": "unstyled",
        "text": text,
        "depth": 0,
        "inlineStyleRanges": [],
        "entityRanges": [],
    }
    return json.dumps({"blocks": [block], "entityMap": {}})


def formsets(bylines: list[str]) -> dict:
    """The article form's inline formsets, with one byline form per name."""
    data = {
        "bylines-TOTAL_FORMS": str(len(bylines)),
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "1",
        "bylines-MAX_NUM_FORMS": "1000",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
    }
    for n, name in enumerate(bylines):
        data |= {f"bylines-{n}-name": name, f"bylines-{n}-author": "",
                 f"bylines-{n}-ORDER": str(n + 1), f"bylines-{n}-id": "",
                 f"bylines-{n}-DELETE": ""}  # fmt: skip
    return data


CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright (never a downloaded browser)."""
    import shutil
    import tempfile

    executable = shutil.which("chromium")
    if executable is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=executable, args=CHROMIUM_FLAGS
        )
        yield context
        context.close()
