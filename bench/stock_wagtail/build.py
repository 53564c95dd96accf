"""Fill the stock Wagtail peer's database (run by bench/pages.py in a process of
its own, with DJANGO_SETTINGS_MODULE=stock_wagtail.settings).

    python -m stock_wagtail.build ARTICLES.json     # prints the showcase's URL

The 10,000 article pages are written with bulk inserts (their tree paths worked
out here, as treebeard would), since ``add_child`` makes ~25 pages a second
(../shared/MEASURED.md); the showcase article, with its tags and three related
links, goes the editor's way: ``add_child``, ``save_revision()``, ``publish()``.
"""

import json
import sys
import uuid
from datetime import datetime

import django


def main(source: str) -> None:
    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from wagtail.models import Locale, Page

    from stock_wagtail.models import ArticlePage, RelatedLink

    call_command("migrate", verbosity=0)
    data = json.loads(open(source, encoding="utf-8").read())
    home = Page.objects.get(depth=2)
    section = home.add_child(instance=Page(title="Thời sự", slug="thoi-su"))
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    pages, rows = [], []
    for number, article in enumerate(data["articles"], start=1):
        date = datetime.fromisoformat(article["date"])
        pages.append(
            Page(
                title=article["title"],
                draft_title=article["title"],
                slug=article["slug"],
                path=Page._get_path(section.path, section.depth + 1, number),
                depth=section.depth + 1,
                numchild=0,
                url_path=f"{section.url_path}{article['slug']}/",
                content_type=content_type,
                locale=locale,
                translation_key=uuid.uuid4(),
                live=True,
                has_unpublished_changes=False,
                first_published_at=date,
                last_published_at=date,
            )
        )
        rows.append((date, article["lead"], article["body"], article["author"]))
    table = ArticlePage._meta.db_table
    with transaction.atomic():
        Page.objects.bulk_create(pages, batch_size=2_000)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (page_ptr_id, date, lead, body, author) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(page.pk, *row) for page, row in zip(pages, rows, strict=True)],
            )
        Page.objects.filter(pk=section.pk).update(numchild=len(pages))
    section.refresh_from_db()
    showcase = data["showcase"]
    page = ArticlePage(
        title=showcase["title"],
        slug=showcase["slug"],
        date=datetime.fromisoformat(showcase["date"]),
        lead=showcase["lead"],
        body=showcase["body"],
        author=showcase["author"],
    )
    page.tags.add(*showcase["tags"])
    by_slug = {p.slug: p for p in pages}
    page.related_links = [
        RelatedLink(target=by_slug[slug]) for slug in showcase["related"]
    ]
    section.add_child(instance=page)
    page.save_revision().publish()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(json.dumps({"url": page.url, "pages": Page.objects.count()}))


if __name__ == "__main__":
    main(sys.argv[1])
