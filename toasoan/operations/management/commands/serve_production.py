"""`python -m toasoan serve-production` (`make prod`): migrate, collect and
compress static files, then run nginx, the app servers and the worker together
until stopped (Ctrl-C or SIGTERM), as docs/operations.md describes."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command

from toasoan.operations import stack


def _address(value: str) -> str:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"Địa chỉ không hợp lệ / not a HOST:PORT address: {value!r}")
    return value


class Command(BaseCommand):
    help = "Chạy bản production trên một máy: nginx, máy chủ ứng dụng, worker."

    def add_arguments(self, parser):
        parser.add_argument("--listen", type=_address, default="127.0.0.1:8080")
        parser.add_argument(
            "--app-server",
            type=_address,
            action="append",
            dest="app_servers",
            help="HOST:PORT of an app server started here (repeat for more; "
            "default 127.0.0.1:8001)",
        )
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true")
        parser.add_argument("--run-dir", type=Path, default=None)
        parser.add_argument(
            "--skip-setup",
            action="store_true",
            help="no migrate or collectstatic (already done)",
        )
        parser.add_argument("--write-nginx-config", type=Path, default=None)

    def handle(self, *args, **options):
        run_dir = (options["run_dir"] or Path(settings.DATA_DIR) / "prod").resolve()
        run_dir.mkdir(parents=True, exist_ok=True)
        app_servers = options["app_servers"] or ["127.0.0.1:8001"]
        secret = settings.TOASOAN_PAGE_CACHE_REFRESH_SECRET or secrets.token_urlsafe(24)
        site = stack.NginxSite(
            listen=options["listen"],
            app_servers=app_servers,
            run_dir=run_dir,
            static_root=Path(settings.STATIC_ROOT),
            media_root=Path(settings.MEDIA_ROOT),
            refresh_secret=secret,
        )
        configuration = stack.nginx_configuration(site)
        if options["write_nginx_config"]:
            options["write_nginx_config"].write_text(configuration, encoding="utf-8")
            self.stdout.write(f"nginx: {options['write_nginx_config']}")
            return
        nginx = shutil.which("nginx")
        if nginx is None:
            raise CommandError(
                "Chưa cài nginx / nginx is not installed (apt install nginx)"
            )
        if settings.DEBUG:
            self.stderr.write(
                "!! DEBUG đang bật / DEBUG is on: use DJANGO_SETTINGS_MODULE="
                "toasoan.settings.production"
            )
        if not options["skip_setup"]:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
            count = stack.compress_static_files(Path(settings.STATIC_ROOT))
            self.stdout.write(f"static: {settings.STATIC_ROOT} ({count} compressed)")
        (run_dir / "nginx.conf").write_text(configuration, encoding="utf-8")

        environment = {
            **os.environ,
            "TOASOAN_PAGE_CACHE_REFRESH_URLS": f"http://{site.listen}",
            "TOASOAN_PAGE_CACHE_REFRESH_SECRET": secret,
            "TOASOAN_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
            # A connection kept per thread instead of one opened per request;
            # workers × threads × app servers stays under PostgreSQL's limit.
            "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        }
        processes: list[subprocess.Popen] = []

        def stop(*_):
            for process in reversed(processes):  # nginx first, the worker last
                if process.poll() is None:
                    process.terminate()
            for process in processes:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()

        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            if not options["no_worker"]:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "toasoan", "worker"], env=environment
                    )
                )
            for address in app_servers:
                command = stack.app_server_command(
                    sys.executable, address, options["workers"], options["threads"]
                )
                processes.append(subprocess.Popen(command, env=environment))
            for address in app_servers:
                self._wait_for(address, processes)
            processes.append(
                subprocess.Popen(
                    [
                        nginx,
                        "-p",
                        str(run_dir),
                        "-c",
                        str(run_dir / "nginx.conf"),
                        "-g",
                        "daemon off;",
                    ],
                    env=environment,
                )  # fmt: skip
            )
            self._wait_for(site.listen, processes)
            self.stdout.write(
                f"toasoan: http://{site.listen}/ (nginx, {len(app_servers)} app "
                f"server(s): {', '.join(app_servers)}"
                f"{'' if options['no_worker'] else ', worker'})",
            )
            self.stdout.flush()
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
            failed = [p.args[0] for p in processes if p.poll() is not None]
            raise CommandError(f"Một tiến trình đã dừng / a process stopped: {failed}")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            stop()

    def _wait_for(self, address: str, processes: list[subprocess.Popen]) -> None:
        host, _, port = address.rpartition(":")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection((host, int(port)), timeout=0.5).close()
                return
            except OSError:
                if any(process.poll() is not None for process in processes):
                    raise CommandError(
                        f"Không khởi động được / did not start: {address}"
                    ) from None
                time.sleep(0.1)
        raise CommandError(f"Không khởi động được / did not start: {address}")
