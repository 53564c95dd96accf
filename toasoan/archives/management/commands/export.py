"""python -m toasoan export DIR [--with-passwords]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from toasoan.archives.export import ExportError, export_site

BAR = 30


class Command(BaseCommand):
    help = (
        "Xuất toàn bộ trang (bài viết và mọi phiên bản, chuyên mục, tác giả, ảnh, "
        "video, lượt xem, người dùng...) ra một thư mục JSON Lines. Export the "
        "whole site to a directory (docs/export-format.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="thư mục mới / a new directory")
        parser.add_argument(
            "--with-passwords",
            action="store_true",
            help="kèm mã băm mật khẩu / include password hashes",
        )

    def handle(self, *args, directory, with_passwords=False, **options):
        def progress(stage: str, done: int, total: int) -> None:
            if stage == "media":
                filled = BAR * done // max(total, 1)
                self.stderr.write(
                    f"\r{_('tệp media / media files')} "
                    f"[{'█' * filled}{'░' * (BAR - filled)}] {done}/{total}",
                    ending="",
                )
            elif done == total:
                self.stderr.write(f"{stage}: {done}")

        try:
            summary = export_site(
                Path(directory), with_passwords=with_passwords, progress=progress
            )
        except ExportError as error:
            raise CommandError(str(error)) from error
        self.stderr.write("")
        for reason, count in sorted(summary.skipped.items()):
            self.stdout.write(_("  bỏ qua / skipped %(count)s: %(reason)s")
                              % {"count": count, "reason": reason})  # fmt: skip
        for name in summary.missing_media[:20]:
            self.stdout.write(
                _("  thiếu tệp trong kho media / not in the media storage: %(name)s")
                % {"name": name}
            )
        if len(summary.missing_media) > 20:
            self.stdout.write(
                _("  … và %(count)s tệp nữa / and more")
                % {"count": len(summary.missing_media) - 20}
            )
        self.stdout.write(
            _(
                "Xong / done: %(articles)s bài viết / articles, %(revisions)s phiên "
                "bản / revisions, %(media)s tệp media / media files (%(mb).1f MB)"
                "%(pw)s → %(path)s"
            )
            % {
                "articles": summary.records.get("articles.jsonl", 0),
                "revisions": summary.records.get("revisions.jsonl", 0),
                "media": summary.media_files,
                "mb": summary.media_bytes / 1024**2,
                "pw": _(", kèm mật khẩu / with passwords") if with_passwords else "",
                "path": summary.directory,
            }
        )
