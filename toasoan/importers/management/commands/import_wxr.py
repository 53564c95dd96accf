"""python -m toasoan import-wxr EXPORT.xml [--media DIR] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from toasoan.importers.wordpress import import_wordpress
from toasoan.importers.wxr import WxrError

BAR = 30


class Command(BaseCommand):
    help = (
        "Nhập bản xuất WordPress (WXR): bài, chuyên mục, từ khóa, tác giả, ảnh, "
        "đường dẫn cũ. Import a WordPress export."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the WXR file (.xml)")
        parser.add_argument("--media", help="folder with wp-content/uploads' files")
        parser.add_argument("--dry-run", action="store_true", help="change nothing")

    def handle(self, *args, path, media=None, dry_run=False, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"Không có tệp {source} / no such file")
        media_dir = Path(media) if media else None
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"Không có thư mục {media_dir} / no such folder")

        def progress(done: int, total: int) -> None:
            if done == total or done % 25 == 0:
                filled = BAR * done // total
                self.stderr.write(
                    f"\r[{'█' * filled}{'░' * (BAR - filled)}] {done}/{total}",
                    ending="",
                )

        try:
            summary = import_wordpress(
                source, media_dir=media_dir, dry_run=dry_run, progress=progress
            )
        except WxrError as error:
            raise CommandError(str(error)) from error
        self.stderr.write("")
        prefix = "(thử, không ghi gì) " if dry_run else ""
        self.stdout.write(
            f"{prefix}{summary.imported} bài đã nhập ({summary.kept_private} chưa công "
            f"khai), {summary.unchanged} đã có từ trước, {summary.images} ảnh, "
            f"{summary.redirects} đường dẫn cũ chuyển hướng, "
            f"{summary.comments_skipped} bình luận bỏ qua."
        )
        for reason, count in summary.skipped.most_common():
            self.stdout.write(f"  bỏ qua {count}: {reason}")
        if summary.body_images_dropped:
            self.stdout.write(
                f"  {summary.body_images_dropped} ảnh trong bài bỏ đi vì thiếu tệp / "
                "body images without their file"
            )
        for missing in summary.missing_files[:20]:
            self.stdout.write(f"  thiếu tệp: {missing}")
        if len(summary.missing_files) > 20:
            self.stdout.write(f"  … và {len(summary.missing_files) - 20} tệp nữa")
        for failure in summary.failed:
            self.stderr.write(f"  lỗi: {failure}")
        if summary.failed:
            raise CommandError(
                f"{len(summary.failed)} bài không nhập được / posts failed"
            )
