from django.core.management.base import BaseCommand

from toasoan.search.services import reindex_all


class Command(BaseCommand):
    help = (
        "Dựng lại chỉ mục tìm kiếm / rebuild the search index from published articles."
    )

    def handle(self, *args, **options):
        width = 30

        def progress(done: int, total: int) -> None:
            filled = width * done // max(total, 1)
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
            )
            self.stdout.flush()

        count = reindex_all(progress)
        self.stdout.write(f"\nĐã lập chỉ mục / indexed: {count} bài viết / articles")
