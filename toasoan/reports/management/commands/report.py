"""python -m toasoan report --period 2019-H1 --format docx -o bao-cao.docx"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.models import Site

from toasoan.core.models import PressSettings
from toasoan.reports.periods import PeriodError, custom, parse_day, parse_preset
from toasoan.reports.services import build_report
from toasoan.reports.writers import FORMATS, render_report, write_report_file


class Command(BaseCommand):
    help = (
        "Báo cáo sơ kết công tác thông tin của một kỳ (DOCX, CSV, JSON). "
        "The period review of the newsroom's output and reach."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="2019, 2019-H1, 2019-H2, 2019-Q1…Q4")
        parser.add_argument("--from", dest="start", help="YYYY-MM-DD (với --to)")
        parser.add_argument("--to", dest="end", help="YYYY-MM-DD, kể cả ngày này")
        parser.add_argument("--format", choices=FORMATS, help="mặc định: theo đuôi tệp")
        parser.add_argument("-o", "--output", required=True, help="tệp kết quả")

    def handle(self, *args, **options):
        try:
            if options["period"] and (options["start"] or options["end"]):
                raise PeriodError("Dùng --period hoặc --from/--to, không cả hai / "
                                  "use --period or --from/--to, not both")  # fmt: skip
            if options["period"]:
                period = parse_preset(options["period"])
            elif options["start"] and options["end"]:
                period = custom(parse_day(options["start"]), parse_day(options["end"]))
            else:
                raise PeriodError("Cần --period, hoặc --from và --to / "
                                  "give --period, or --from and --to")  # fmt: skip
        except PeriodError as error:
            raise CommandError(str(error), returncode=2) from error
        output = Path(options["output"])
        format_name = options["format"] or output.suffix.lstrip(".").lower()
        if format_name not in FORMATS:
            raise CommandError(
                f"Không rõ định dạng “{format_name}”: dùng --format docx|csv|json / "
                "unknown format",
                returncode=2,
            )
        if not output.parent.is_dir():
            raise CommandError(
                f"Thư mục không tồn tại: {output.parent} / no such directory",
                returncode=1,
            )
        self.stderr.write(f"Đang lập báo cáo {period.name}…")
        report = build_report(period)
        site = Site.objects.filter(is_default_site=True).first()
        press = PressSettings.for_site(site) if site else PressSettings()
        content = render_report(report, format_name, press, timezone.localdate())
        try:
            write_report_file(content, output)
        except OSError as error:
            raise CommandError(
                f"Không ghi được {output}: {error.strerror} / cannot write",
                returncode=1,
            ) from error
        self.stdout.write(
            f"{period.title}: {report.summary.published} tin, bài; "
            f"{report.summary.views} lượt xem → {output}"
        )
