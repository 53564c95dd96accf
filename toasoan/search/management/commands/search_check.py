from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from toasoan.search.vectors import VectorFileError, read_vectors, run_vectors


class Command(BaseCommand):
    help = (
        "Chạy bộ kiểm thử tìm kiếm (.tsv) trên chỉ mục tạm. "
        "Run search test vectors against the configured backend, in a throwaway index."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="vectors.tsv")

    def handle(self, *args, file, **options):
        try:
            rows = read_vectors(Path(file))
        except VectorFileError as exc:
            raise CommandError(str(exc)) from exc
        outcomes = run_vectors(rows)
        for outcome in outcomes:
            if not outcome.passed:
                row = outcome.row
                expected = (
                    "khớp / match" if row.should_match else "không khớp / no match"
                )
                self.stdout.write(
                    f"FAIL line {row.line}: {row.query!r} → {row.document!r} "
                    f"(cần / expected {expected}) {row.note}"
                )
        passed = sum(o.passed for o in outcomes)
        failed = len(outcomes) - passed
        self.stdout.write(f"{passed} passed, {failed} failed")
        if failed:
            raise CommandError(f"{failed} vectors failed")
