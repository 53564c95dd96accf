"""`python -m toasoan worker`: the newsroom's background worker. Every round (2 s)
it publishes scheduled articles that are due and takes expired ones down, and adds
the queued reader views to the totals; every minute it refreshes the "Đọc nhiều"
lists; now and then it forgets what privacy says to forget. Beside the rounds, a
thread processes uploaded videos one at a time (minutes each, so never in a
round). `make run` starts it beside the web server; in production run it as its
own service (README, Production)."""

import logging
import signal
import threading
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from toasoan.audience.flushing import (
    SETTLE_SECONDS,
    flush_views,
    forget_added_batches,
)
from toasoan.audience.most_read import refresh_most_read
from toasoan.audience.recording import forget_old_secrets
from toasoan.newsroom.scheduling import publish_due
from toasoan.videos.services import run_next_video_job

log = logging.getLogger("toasoan.worker")
ROUND_SECONDS = 2.0
MOST_READ_ROUNDS = 30  # "Đọc nhiều" lists every minute
HOUSEKEEPING_ROUNDS = 300  # every ten minutes


class Command(BaseCommand):
    help = (
        "Chạy nền: đăng bài hẹn giờ, cộng lượt xem. "
        "Background worker: scheduled publishing, view counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then stop")
        parser.add_argument(
            "--interval",
            type=float,
            default=ROUND_SECONDS,
            help=f"seconds between rounds (default {ROUND_SECONDS:g})",
        )

    def handle(self, *args, once=False, interval=ROUND_SECONDS, **options):
        if interval <= 0:
            interval = ROUND_SECONDS
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        if not once:
            self.stdout.write(f"Worker: một vòng mỗi {interval:g} giây.")
        videos_stop = threading.Event()
        if once:
            self.duty("videos", self.process_waiting_videos)
        else:
            threading.Thread(
                target=self.video_jobs, args=(videos_stop,), daemon=True
            ).start()
        rounds = 0
        while not stopping:
            if not once:
                # Between rounds, as between requests: drop a broken or aged
                # connection (a database restart must not kill the worker).
                close_old_connections()
            self.run_round(rounds)
            rounds += 1
            if once:
                break
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.5, interval))
        videos_stop.set()
        if stopping:
            # A graceful stop leaves nothing queued. A round adds the batches
            # taken by the round before and takes the current one; that one is
            # added once it has settled (a web process may still be writing to
            # it), so wait and add it too.
            self.duty("views", flush_views)
            time.sleep(SETTLE_SECONDS)
            self.duty("views", flush_views)

    def video_jobs(self, stop: threading.Event) -> None:
        """The video thread: a job when one waits, else a look every round. A job
        cut off by a stop is picked up again later (services.STALE_AFTER)."""
        while not stop.is_set():
            close_old_connections()
            video = self.duty("videos", run_next_video_job)
            if video is None:
                stop.wait(ROUND_SECONDS)
            else:
                self.stdout.write(f"Video {video.pk}: {video.get_status_display()}")

    def process_waiting_videos(self) -> None:
        while (video := run_next_video_job()) is not None:
            self.stdout.write(f"Video {video.pk}: {video.get_status_display()}")

    def run_round(self, rounds: int) -> None:
        for article in self.duty("scheduled publishing", publish_due) or []:
            self.stdout.write(f"Đã đăng theo lịch: {article.title} ({article.pk})")
        self.duty("views", flush_views)
        if rounds % MOST_READ_ROUNDS == 0:
            self.duty("most read", refresh_most_read)
        if rounds % HOUSEKEEPING_ROUNDS == 0:
            self.duty("reader secrets", forget_old_secrets)
            self.duty("added batches", forget_added_batches)

    def duty(self, name, action):
        try:
            return action()
        except Exception:
            # A failing duty must not stop the worker: the next round may succeed
            # (a locked database, a lost connection).
            log.exception("worker: %s failed", name)
            return None
