"""The nginx configuration for private media (deploy/nginx/media.conf), run by
a real nginx in front of the test server: nginx sends public files itself (ranges, lifetimes,
the sandbox headers) after asking /api/media-access, answers 404 for a draft's,
lets staff through, and follows a publish or a withdrawal within a second."""

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from conftest import free_port
from toasoan.newsroom.corrections import withdraw_article
from toasoan.newsroom.roles import EDITOR_IN_CHIEF
from toasoan.operations.stack import TEMP_KINDS, media_configuration

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nginx(live_server, tmp_path):
    executable = shutil.which("nginx")
    if executable is None:
        message = "nginx is not installed (apt-get install nginx)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # deploy/nginx/media.conf, as the production configuration includes it.
    http, server = media_configuration(Path(settings.MEDIA_ROOT), tmp_path / "cache")
    port = free_port()
    upstream = live_server.url.removeprefix("http://")
    temp = "\n".join(f"{kind}_temp_path {tmp_path / kind};" for kind in TEMP_KINDS)
    # Started by root, nginx's workers would run as www-data, which may read
    # neither the test's media (a private temporary folder) nor its cache.
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"""
{user}
daemon off;
pid {tmp_path / "nginx.pid"};
error_log {tmp_path / "error.log"} warn;
events {{}}
http {{
    access_log off;
    {temp}
    {http}
    upstream toasoan {{ server {upstream}; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://toasoan;
            proxy_set_header Host $host;
        }}
        {server}
    }}
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [executable, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stderr.read().decode())
            time.sleep(0.05)
    yield f"http://localhost:{port}"
    process.terminate()
    process.wait(10)


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_nginx_sends_public_media_and_hides_a_drafts(
    nginx, make_article, make_image, make_video
):
    public, private = make_image("Ảnh đã đăng"), make_image("Ảnh nháp", 800, 600)
    make_article("Bài đã đăng", featured_image=public)
    draft = make_article("Bài nháp", featured_image=private, publish=False)

    status, headers, body = get(nginx + "/media/" + public.file.name)
    assert status == 200
    assert body == default_storage.open(public.file.name).read()
    assert headers["Cache-Control"] == "public, max-age=31536000"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert get(nginx + "/media/" + private.file.name)[0] == 404

    # A video's playlist and its byte ranges, sent by nginx itself.
    video = make_video()
    playlist = default_storage.save(
        f"videos/{video.pk}/hls/master.m3u8", ContentFile(b"#EXTM3U\n")
    )
    make_article("Bản tin", video=video)
    status, headers, _ = get(nginx + "/media/" + playlist)
    assert (status, headers["Cache-Control"]) == (200, "public, max-age=3600")
    status, headers, body = get(
        nginx + "/media/" + video.web_mp4.name, Range="bytes=0-9"
    )
    assert (status, len(body)) == (206, 10)

    # Staff see the draft's picture (previews), never kept by a shared cache.
    chief = get_user_model().objects.create_user("tongbientap", password="x")
    chief.groups.add(Group.objects.get(name=EDITOR_IN_CHIEF))
    staff = Client()
    staff.force_login(chief)
    cookie = f"{settings.SESSION_COOKIE_NAME}={staff.cookies[settings.SESSION_COOKIE_NAME].value}"
    status, headers, _ = get(nginx + "/media/" + private.file.name, Cookie=cookie)
    assert (status, headers["Cache-Control"]) == (200, "private, no-store")

    # Published: readers get it within a second (nginx keeps answers 1 s).
    draft.save_revision().publish()
    time.sleep(1.2)
    assert get(nginx + "/media/" + private.file.name)[0] == 200
    withdraw_article(draft, chief, "Thông tin sai")
    time.sleep(1.2)
    assert get(nginx + "/media/" + private.file.name)[0] == 404


# (/media/../x is not here: nginx hands it to "location /", where the test's
# live server answers /media/ itself, unlike gunicorn behind nginx; through
# Django it is test_private_media's.)
@pytest.mark.parametrize(
    "path",
    ["/media/%2e%2e/%2e%2e/etc/passwd", "/media/khong-co.jpg",
     "/media/original_images/%00.jpg"],
)  # fmt: skip
def test_nginx_refuses_odd_addresses(nginx, home, path):
    status, _, body = get(nginx + path)
    assert status in (400, 404)
    assert b"root:" not in body
