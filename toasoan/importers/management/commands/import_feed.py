"""python -m toasoan import-feed FILE|URL [--section ID] [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError

from toasoan.importers.feeds import FeedError, import_feed
from toasoan.importers.services import default_import_section
from toasoan.importers.textformat import TextArticleError
from toasoan.news.models import SectionPage


class Command(BaseCommand):
    help = (
        "Nhập một nguồn RSS/Atom (tệp, hoặc địa chỉ trong mạng nội bộ). "
        "Import an RSS or Atom feed."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a feed file, or an http(s) URL on the LAN")
        parser.add_argument("--section", type=int, help="section id (default: first)")
        parser.add_argument("--dry-run", action="store_true", help="change nothing")

    def handle(self, *args, source, section=None, dry_run=False, **options):
        try:
            target = (
                SectionPage.objects.get(pk=section)
                if section is not None
                else default_import_section()
            )
        except SectionPage.DoesNotExist as error:
            raise CommandError(
                f"Không có chuyên mục {section} / no such section"
            ) from error
        except TextArticleError as error:
            raise CommandError(error.message) from error
        try:
            summary = import_feed(source, target, dry_run=dry_run)
        except FeedError as error:
            raise CommandError(str(error)) from error
        prefix = "(thử, không ghi gì) " if dry_run else ""
        self.stdout.write(
            f"{prefix}{summary.imported} bài đã nhập vào “{target.title}”, "
            f"{summary.unchanged} đã có từ trước, "
            f"{summary.videos_named} video chờ tệp, {len(summary.failed)} lỗi."
        )
        for failure in summary.failed:
            self.stderr.write(f"  lỗi: {failure}")
        if summary.failed:
            raise CommandError(
                f"{len(summary.failed)} mục không nhập được / items failed"
            )
