"""Backup drill (issue 12): the README's backup and restore commands, run as the
README writes them on the demo site, give back the same site.

The demo is loaded into a site of its own (SQLite file and media folder), readers
open articles (beacons, added to the totals by the worker, which also makes the
seed video's MP4 and HLS), and a snapshot records what readers and the newsroom see
(site.snapshot_site). Then the commands of the README's "Backup and restore"
run: the first block on that site, the second on a new, empty data folder; a
snapshot of the restored site must equal the first, page for page and byte for
byte. SQLite only, in processes of their own (site_in_its_own_process)."""

import json
import re
import shlex
from pathlib import Path

import pytest

from conftest import SiteInItsOwnProcess

pytestmark = pytest.mark.slow
README = Path(__file__).resolve().parents[3] / "README.md"
DOCUMENTED_DIR = "/srv/sao-luu/2026-11-30"
READERS = 12


def documented_commands() -> tuple[list[list[str]], list[list[str]]]:
    """The `python -m toasoan` lines of the two sh blocks of the README's
    "Backup and restore": backing up, restoring."""
    section = README.read_text("utf-8").split("\n## Backup and restore\n")[1]
    section = section.split("\n## ")[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    backup, restore = (
        [
            shlex.split(line)[3:]
            for line in block.splitlines()
            if line.startswith("python -m toasoan ")
        ]
        for block in blocks[:2]
    )
    return backup, restore


def demo_views() -> int:
    """The demo's view counts as loaded: its articles' (both editions') and the
    seed's."""
    from toasoan.demo import content, content_en
    from toasoan.demo.services import SEED_ARTICLE

    seed = re.search(r"^(\d+) lượt xem$", SEED_ARTICLE.read_text("utf-8"), re.M)
    english = [*content_en.TRANSLATIONS, *content_en.ENGLISH_ONLY]
    return sum(item["views"] for item in [*content.ARTICLES, *english]) + int(seed[1])


def run(site: SiteInItsOwnProcess, arguments: list[str], backup: Path) -> str:
    arguments = [str(backup) if a == DOCUMENTED_DIR else a for a in arguments]
    done = site.run(*arguments, timeout=600)
    assert done.returncode == 0, f"{arguments}: {done.stderr[-2000:]}"
    return done.stdout


def snapshot(site: SiteInItsOwnProcess, name: str, login=None) -> dict:
    out = site.data_dir.parent / f"{name}.json"
    run(site, ["shell", "-c", "from toasoan.archives.tests.site import "
               f"snapshot_site; snapshot_site({str(out)!r}, {login!r})"], out)  # fmt: skip
    return json.loads(out.read_text("utf-8"))


def test_the_documented_backup_and_restore_give_back_the_demo_site(
    site_in_its_own_process, tmp_path
):
    backup_steps, restore_steps = documented_commands()
    assert backup_steps == [["export", DOCUMENTED_DIR, "--with-passwords"]]
    assert [step[0] for step in restore_steps] == ["migrate", "restore"]
    site = site_in_its_own_process
    run(site, ["load-demo"], tmp_path)
    password = (site.data_dir / "admin-login.txt").read_text().strip()
    answered = run(site, ["shell", "-c", "from toasoan.archives.tests.site import "
                          f"read_articles; print(read_articles({READERS}))"], tmp_path)  # fmt: skip
    # The worker as it runs beside the site: it makes the seed video's MP4 and
    # HLS, and adds the queued views in two rounds (the first takes the queue).
    run(site, ["worker", "--once"], tmp_path)
    run(site, ["worker", "--once"], tmp_path)
    before = snapshot(site, "before", ("admin", password))

    backup = tmp_path / "sao-luu"
    for step in backup_steps:
        run(site, step, backup)
    restored = SiteInItsOwnProcess(tmp_path / "restored")
    restored.data_dir.mkdir()
    for step in restore_steps:
        run(restored, step, backup)
    after = snapshot(restored, "after", ("admin", password))

    # The drill's own figures: what was compared.
    hls = [name for name in before["media"] if name.endswith(".ts")]
    assert int(answered.split()[-1]) == sum(1 + n % 5 for n in range(READERS))
    assert len(before["pages"]) > 100 and len(before["view_hours"]) > 1000
    assert hls and before["login"] is True
    # Each beacon a reader's first view of that article: all counted, once.
    assert sum(views for _, views in before["view_counts"]) == demo_views() + int(
        answered.split()[-1]
    )

    differing = [
        url
        for url in before["pages"].keys() | after["pages"].keys()
        if before["pages"].get(url) != after["pages"].get(url)
    ]
    assert differing == [], _first_difference(before, after, differing)
    for key in ("view_counts", "view_hours", "users", "groups", "media", "login"):
        assert after[key] == before[key], key


def _first_difference(before: dict, after: dict, urls: list[str]) -> str:
    import difflib

    url = sorted(urls)[0]
    old, new = before["pages"].get(url, [None, ""]), after["pages"].get(url, [None, ""])
    lines = difflib.unified_diff(old[1].splitlines(), new[1].splitlines(), lineterm="")
    return (
        f"{len(urls)} pages differ, first {url} ({old[0]} → {new[0]}):\n"
        + "\n".join(list(lines)[:40])
    )
