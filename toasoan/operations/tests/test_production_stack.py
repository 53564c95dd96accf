"""The production stack as docs/operations.md runs it: `serve-production` with
nginx in front of two app servers on two ports, sharing PostgreSQL and Redis,
and the worker. Readers get pages nginx keeps; an editor publishing through one
app server is seen through nginx and through the other app server within a
second; editors never get a kept page; beacons sent through nginx are counted.

PostgreSQL and Redis are what make app servers interchangeable, so this runs in
the PostgreSQL pass (CI gives it), and is skipped on SQLite."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import lxml.html
import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from conftest import draftail, formsets, free_port
from toasoan.audience.tests.test_views_counting import empty_test_redis
from toasoan.news.models import Article

pytestmark = [pytest.mark.django_db(transaction=True)]
PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A155F) Mobile Safari/537.36"
PASSWORD = "mat-khau-rat-dai-2026"


@pytest.fixture
def production(tmp_path, home, section):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and Redis shared by app servers: PG pass")
    if shutil.which("nginx") is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    database = connection.settings_dict
    ports = {name: free_port() for name in ("nginx", "a", "b")}
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "toasoan.settings.production",
        "SECRET_KEY": "production-stack-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": empty_test_redis(),
        "TOASOAN_SSL_REDIRECT": "0",
        "TOASOAN_HSTS_SECONDS": "0",
        "TOASOAN_DATA_DIR": str(tmp_path / "data"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "toasoan", "serve-production",
         "--listen", f"127.0.0.1:{ports['nginx']}",
         "--app-server", f"127.0.0.1:{ports['a']}",
         "--app-server", f"127.0.0.1:{ports['b']}",
         "--workers", "1", "--threads", "4"],
        env=environment, cwd=Path(__file__).resolve().parents[3],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    lines = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if line.startswith("toasoan: http://") or process.poll() is not None:
            break
    if not lines[-1].startswith("toasoan: http://"):
        process.kill()
        pytest.fail("serve-production did not start:\n" + "".join(lines))
    yield {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    leftovers = subprocess.run(
        ["pgrep", "-f", f"127.0.0.1:{ports['a']}"], capture_output=True, text=True
    ).stdout
    assert not leftovers, "serve-production left its app servers running"


def headlines(html: bytes) -> list[str]:
    page = lxml.html.fromstring(html)
    return [a.text_content().strip() for a in page.cssselect("main h2 a, main h3 a")]


class EditorOverPlainHttp(requests.Session):
    """Production cookies are Secure, and this stack has no TLS in front: the
    editor's client says it came over HTTPS (as a TLS proxy would say) and sends
    the cookies back over plain HTTP on loopback."""

    def __init__(self):
        super().__init__()
        self.headers["X-Forwarded-Proto"] = "https"

    def request(self, *args, **kwargs):
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def logged_in_editor(base_url: str) -> requests.Session:
    # Hashed as production checks it (the tests' own hasher is MD5, for speed).
    user = get_user_model().objects.create_superuser("tong-bien-tap", password=None)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "muoi-phong-bien-tap")
    user.save(update_fields=["password"])
    editor = EditorOverPlainHttp()
    login = editor.get(f"{base_url}/admin/login/")
    token = lxml.html.fromstring(login.content).xpath(
        "//input[@name='csrfmiddlewaretoken']/@value"
    )[0]
    answer = editor.post(
        f"{base_url}/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": "tong-bien-tap",
              "password": PASSWORD, "next": "/admin/"},
        headers={"Referer": f"{base_url}/admin/login/".replace("http:", "https:")},
    )  # fmt: skip
    assert "sessionid" in editor.cookies, answer.text[:2000]
    return editor


def test_two_app_servers_behind_nginx_share_every_publish_within_a_second(
    production, make_article, section
):
    nginx, server_a, server_b = production["nginx"], production["a"], production["b"]
    article = make_article("Tin đã có từ sáng")
    url = article.get_absolute_url()
    first = requests.get(f"{nginx}{url}")
    again = requests.get(f"{nginx}{url}")
    assert first.status_code == again.status_code == 200
    assert again.headers["X-Cache-Status"] == "HIT"
    assert "X-Accel-Expires" not in again.headers  # nginx keeps it to itself
    not_modified = requests.get(
        f"{nginx}{url}", headers={"If-None-Match": again.headers["ETag"]}
    )
    assert not_modified.status_code == 304
    for base in (nginx, server_b):
        requests.get(f"{base}/")
    assert requests.get(f"{nginx}/").headers["X-Cache-Status"] == "HIT"

    # An editor publishes through app server A.
    editor = logged_in_editor(server_a)
    add = editor.get(f"{server_a}/admin/snippets/news/article/add/")
    token = lxml.html.fromstring(add.content).xpath(
        "//input[@name='csrfmiddlewaretoken']/@value"
    )[0]
    form = {
        "csrfmiddlewaretoken": token,
        "title": "Kết quả bầu cử đại biểu Hội đồng nhân dân tỉnh",
        "lead": "Sapo.",
        "body": draftail("Toàn tỉnh có 98,5% cử tri đi bầu."),
        "section": section.pk,
        "published_at": "2026-11-20 08:30:00",
        "keywords": "bầu cử",
        "slug": "",
        **formsets(["Phóng viên Thời sự"]),
        "action-publish": "action-publish",
    }
    published = editor.post(
        f"{server_a}/admin/snippets/news/article/add/",
        data=form,
        headers={
            "Referer": f"{server_a}/admin/snippets/news/article/add/".replace(
                "http:", "https:"
            )
        },
        allow_redirects=False,
    )
    assert published.status_code == 302, published.text[:3000]
    published_at = time.monotonic()
    title = form["title"]
    seen = {}
    while len(seen) < 2 and time.monotonic() - published_at < 5:
        for name, base in (("nginx", nginx), ("server B", server_b)):
            if name not in seen and title in headlines(
                requests.get(f"{base}/").content
            ):
                seen[name] = time.monotonic() - published_at
        time.sleep(0.02)
    assert set(seen) == {"nginx", "server B"}, seen
    assert max(seen.values()) < 1.0, seen
    print(f"publish seen after: {seen}")

    # The editor, with a session, goes past nginx's pages and leaves none.
    editor_view = editor.get(f"{nginx}/")
    assert editor_view.headers["X-Cache-Status"] == "BYPASS"
    assert "X-Toasoan-Cache" not in editor_view.headers

    # Readers' beacons through nginx are counted once each (the worker adds them).
    new = Article.objects.get(title=title)
    for n in range(3):
        assert (
            requests.post(
                f"{nginx}/api/views/{new.pk}", headers={"User-Agent": f"{PHONE} {n}"}
            ).status_code
            == 204
        )
    requests.post(f"{nginx}/api/views/{new.pk}", headers={"User-Agent": f"{PHONE} 0"})
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if Article.objects.get(pk=new.pk).view_count == 3:
            break
        time.sleep(0.5)
    assert Article.objects.get(pk=new.pk).view_count == 3
