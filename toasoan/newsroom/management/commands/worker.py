"""`python -m toasoan worker`: the newsroom's background worker. It publishes
scheduled articles on time (within WORKER_INTERVAL seconds of their minute) and
takes expired ones down. `make run` starts it beside the web server; in
production run it as its own service (README, Production)."""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from toasoan.newsroom.scheduling import WORKER_INTERVAL, publish_due

log = logging.getLogger("toasoan.worker")


class Command(BaseCommand):
    help = (
        "Chạy nền: đăng bài hẹn giờ đúng phút. Background worker: scheduled publishing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then stop")
        parser.add_argument(
            "--interval",
            type=float,
            default=WORKER_INTERVAL,
            help=f"seconds between rounds (default {WORKER_INTERVAL})",
        )

    def handle(self, *args, once=False, interval=WORKER_INTERVAL, **options):
        if interval <= 0:
            interval = WORKER_INTERVAL
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        if not once:
            self.stdout.write(f"Worker: kiểm tra bài hẹn giờ mỗi {interval:g} giây.")
        while not stopping:
            if not once:
                # Between rounds, as between requests: drop a broken or aged
                # connection (a database restart must not kill the worker).
                close_old_connections()
            try:
                for article in publish_due():
                    self.stdout.write(
                        f"Đã đăng theo lịch: {article.title} ({article.pk})"
                    )
            except Exception:
                # A failing round must not stop the worker: the next may succeed
                # (a locked database, a lost connection).
                log.exception("scheduled publishing failed")
            if once:
                break
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.5, interval))
