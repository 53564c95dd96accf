"""python -m toasoan import-video FILE... [--article ID]: videos from the playout
folders. Each file is probed first; a refused file is reported and skipped."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from toasoan.news.models import Article
from toasoan.videos.probing import VideoRejected
from toasoan.videos.services import EXTENSIONS, import_video_file

BAR = 24


class Command(BaseCommand):
    help = (
        "Nhập video (MP4, MOV, WebM, MPEG-TS) và đưa vào hàng chờ xử lý. "
        "Import news videos and queue their processing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="video files or folders")
        parser.add_argument("--article", type=int, help="attach to this article")

    def handle(self, *args, paths, article=None, **options):
        target = None
        if article is not None:
            target = Article.objects.filter(pk=article).first()
            if target is None:
                raise CommandError(f"Không có bài viết {article} / no such article")
        files = _files(paths)
        if not files:
            raise CommandError("Không có tệp video nào / no video files given")
        if target is not None and len(files) > 1:
            raise CommandError("--article nhận một tệp / --article takes one file")
        failed = 0
        for n, path in enumerate(files, start=1):
            done = BAR * n // len(files)
            bar = "█" * done + "░" * (BAR - done)
            try:
                video = import_video_file(path, article=target)
            except (VideoRejected, OSError) as error:
                failed += 1
                self.stderr.write(f"[{bar}] {n}/{len(files)} {path.name}: {error}")
                continue
            self.stdout.write(
                f"[{bar}] {n}/{len(files)} {path.name}: video {video.pk}, "
                f"{video.width}×{video.height}, {video.duration_seconds:.1f} giây, "
                "chờ xử lý"
            )
        self.stdout.write(f"{len(files) - failed} nhập được, {failed} lỗi.")
        if failed:
            raise CommandError(f"{failed} tệp không nhập được / files failed")


def _files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in EXTENSIONS)
        else:
            found.append(path)
    return found
