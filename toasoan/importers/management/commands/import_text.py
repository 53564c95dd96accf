import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from toasoan.importers.services import (
    BATCH_SIZE,
    ImportFailed,
    ImportOutcome,
    default_import_section,
    find_text_files,
    read_batches_ahead,
    save_text_batch,
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
        counts = Counter()
        failures = 0
        started = time.monotonic()
        batches = [
            files[start : start + BATCH_SIZE]
            for start in range(0, len(files), BATCH_SIZE)
        ]
        done = 0
        for batch, read in zip(batches, read_batches_ahead(batches), strict=True):
            results = save_text_batch(read, target, dry_run=dry_run)
            for path, result in zip(batch, results, strict=True):
                if isinstance(result, ImportFailed):
                    failures += 1
                    self.stderr.write(f"LỖI / ERROR {result}")
                    continue
                kind = _kind(result)
                counts[kind] += 1
                if kind == "duplicate" or options["verbosity"] > 1:
                    self.stdout.write(
                        f"{OUTCOME_WORDS[kind]}: {path} → {result.article.title}"
                    )
            done += len(batch)
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(
                f"[{done}/{len(files)}] {done * 100 // len(files)}% "
                f"({rate:,.0f} tệp/giây / files/s)"
            )

        prefix = "(chạy thử, không lưu / dry run, nothing stored) " if dry_run else ""
        self.stdout.write(
            f"{prefix}Xong / done: {counts['new']} mới / new, "
            f"{counts['updated']} cập nhật / updated, "
            f"{counts['unchanged']} không đổi / unchanged, "
            f"{failures} lỗi / failed, {counts['duplicate']} trùng / duplicates, "
            f"chuyên mục / section: {target.title} (id {target.pk})"
        )
        if failures:
            raise CommandError(f"{failures} tệp không nhập được / files failed")


OUTCOME_WORDS = {
    "duplicate": (
        "trùng, địa chỉ cũ chuyển về bài đã có / duplicate, old URL redirected"
    ),
    "new": "mới / new",
    "unchanged": "không đổi / unchanged",
    "updated": "cập nhật / updated",
}


def _kind(outcome: ImportOutcome) -> str:
    if outcome.duplicate:
        return "duplicate"
    if outcome.created:
        return "new"
    return "unchanged" if outcome.unchanged else "updated"
