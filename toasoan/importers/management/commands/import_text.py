from django.core.management.base import BaseCommand, CommandError

from toasoan.importers.services import (
    ImportFailed,
    default_import_section,
    find_text_files,
    import_text_article,
)
from toasoan.importers.textformat import TextArticleError
from toasoan.news.models import SectionPage


class Command(BaseCommand):
    help = (
        "Nhập bài viết dạng văn bản như trang cổng cũ (tệp hoặc thư mục). "
        "Import plain-text articles shaped like the old portal's pages."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="tệp .txt hoặc thư mục / files or folders"
        )
        parser.add_argument("--section", type=int, help="mã chuyên mục / section id")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="kiểm tra, không lưu / check everything, store nothing",
        )

    def handle(self, *args, paths, section, dry_run, **options):
        try:
            target = (
                SectionPage.objects.get(pk=section)
                if section
                else default_import_section()
            )
        except SectionPage.DoesNotExist as exc:
            raise CommandError(
                f"không có chuyên mục {section} / no section with id {section}"
            ) from exc
        except TextArticleError as exc:
            raise CommandError(exc.message) from exc

        files = find_text_files(paths)
        if not files:
            raise CommandError("không tìm thấy tệp nào / no files found")
        created = updated = duplicates = 0
        failures: list[str] = []
        for number, path in enumerate(files, start=1):
            progress = f"[{number}/{len(files)}]"
            try:
                outcome = import_text_article(path, target, dry_run=dry_run)
            except ImportFailed as exc:
                failures.append(str(exc))
                self.stderr.write(f"{progress} LỖI / ERROR {exc}")
                continue
            created += outcome.created
            duplicates += outcome.duplicate
            updated += not outcome.created and not outcome.duplicate
            verb = (
                "trùng, địa chỉ cũ chuyển về bài đã có / duplicate, old URL redirected"
                if outcome.duplicate
                else "mới / new"
                if outcome.created
                else "cập nhật / updated"
            )
            self.stdout.write(f"{progress} {verb}: {path} → {outcome.article.title}")

        prefix = "(chạy thử, không lưu / dry run, nothing stored) " if dry_run else ""
        self.stdout.write(
            f"{prefix}Xong / done: {created} mới / new, {updated} cập nhật / updated, "
            f"{len(failures)} lỗi / failed, {duplicates} trùng / duplicates, "
            f"chuyên mục / section: {target.title} "
            f"(id {target.pk})"
        )
        if failures:
            raise CommandError(f"{len(failures)} tệp không nhập được / files failed")
