"""Fault drill: the worker is killed (kill -9) in the middle of encoding a video
(issue 12). The job is picked up again once it is stale, completes once, and
leaves no half-written files: not in the work folder, not in the media store."""

import re
import signal
import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta

# Long enough at 720p that the HLS ladder takes seconds after the MP4: time to
# catch the job midway, and no longer (the drill runs in every suite).
SECONDS = 8


def test_a_video_job_cut_off_by_kill_9_is_retried_and_completes_once(
    site_in_its_own_process, video_file
):
    site = site_in_its_own_process
    data, database = site.data_dir, site.database
    clip = video_file("ban-tin-thoi-su.mp4", seconds=SECONDS, size="1280x720")
    site.run("import-video", str(clip), check=True)

    def video() -> tuple:
        with sqlite3.connect(database, timeout=10) as db:
            return db.execute(
                "select id, status, attempts, web_mp4, hls_master from videos_video"
            ).fetchone()

    work = data / "work" / f"video-{video()[0]}"
    worker = subprocess.Popen(site.command("worker"), env=site.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (work / "out" / "web.mp4").exists():
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    video_id, status, attempts, web_mp4, _ = video()
    assert (status, attempts, web_mp4) == ("processing", 1, ""), "not caught midway"
    assert work.exists()  # what the killed job was writing

    # An hour later (STALE_AFTER), the job counts as cut off and runs again.
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=2)).strftime(
        "%Y-%m-%d %H:%M:%S.%f"
    )
    with sqlite3.connect(database) as db:
        db.execute("update videos_video set processing_started_at = ?", [an_hour_ago])
    again = site.run("worker", "--once", timeout=600)
    assert again.returncode == 0, again.stderr
    _, status, attempts, web_mp4, hls_master = video()
    assert (status, attempts) == ("ready", 2)
    assert not work.exists()
    stored = sorted(
        p.relative_to(data / "media" / "videos" / str(video_id)).as_posix()
        for p in (data / "media" / "videos" / str(video_id)).rglob("*")
        if p.is_file()
    )
    # Each output once, under its own name: nothing from the first attempt.
    assert web_mp4 == f"videos/{video_id}/web.mp4"
    assert hls_master == f"videos/{video_id}/hls/master.m3u8"
    assert "web.mp4" in stored and "poster.jpg" in stored
    assert len(stored) == len(set(stored))
    # Django's storage renames a file whose name is taken: web_AbC1234.mp4.
    assert not [n for n in stored if re.search(r"_[A-Za-z0-9]{7}\.\w+$", n)], stored
    from toasoan.videos.probing import probe_video

    probe = probe_video(data / "media" / web_mp4, 10**9)
    assert round(probe.duration_seconds) == SECONDS
