"""python -m toasoan restore DIR [--merge]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from toasoan.archives.restore import RestoreError, restore_site

BAR = 30


class Command(BaseCommand):
    help = (
        "Phục hồi trang từ một bản xuất vào cơ sở dữ liệu trống (sau migrate). "
        "Restore the site from an export into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="thư mục bản xuất / the export")
        parser.add_argument(
            "--merge",
            action="store_true",
            help=(
                "cơ sở dữ liệu đã có nội dung: chỉ thêm những gì chưa có, không sửa "
                "gì / add only what is not there yet, change nothing"
            ),
        )

    def handle(self, *args, directory, merge=False, **options):
        def progress(stage: str, done: int, total: int) -> None:
            label = _("kiểm tra / checking") if stage == "verify" else stage
            filled = BAR * done // max(total, 1)
            self.stderr.write(
                f"\r{label} [{'█' * filled}{'░' * (BAR - filled)}] {done}/{total}",
                ending="\n" if done == total else "",
            )

        try:
            summary = restore_site(Path(directory), merge=merge, progress=progress)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        for kind, count in sorted(summary.created.items()):
            existing = summary.existing.get(kind, 0)
            line = f"  {kind}: {count}"
            if existing:
                line += _(" (%(count)s đã có / already here)") % {"count": existing}
            self.stdout.write(line)
        for kind, count in sorted(summary.existing.items()):
            if kind not in summary.created:
                self.stdout.write(
                    _("  %(kind)s: 0 (%(count)s đã có / already here)")
                    % {"kind": kind, "count": count}
                )
        for reason, count in sorted(summary.skipped.items()):
            self.stdout.write(_("  bỏ qua / skipped %(count)s: %(reason)s")
                              % {"count": count, "reason": reason})  # fmt: skip
        self.stdout.write(
            _(
                "Xong / done%(merge)s: %(articles)s bài viết / articles, %(written)s "
                "tệp media đã ghi / media files written, %(reused)s đã có sẵn / "
                "already in the storage"
            )
            % {
                "merge": _(" (gộp / merged)") if merge else "",
                "articles": summary.created.get("articles", 0),
                "written": summary.media_written,
                "reused": summary.media_reused,
            }
        )
