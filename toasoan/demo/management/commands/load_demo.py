from django.core.management.base import BaseCommand

from toasoan.demo.services import ensure_admin, load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (một lần) và tạo tài khoản quản trị / load the demo once."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000", help="cổng của trang / site port")

    def handle(self, *args, port, **options):
        summary = load_demo()
        if summary.loaded:
            self.stdout.write(
                f"Đã nạp dữ liệu mẫu / demo loaded: {summary.sections} chuyên mục, "
                f"{summary.articles} bài viết"
            )
        else:
            self.stdout.write("Dữ liệu đã có, giữ nguyên / existing data kept")
        username, password = ensure_admin()
        self.stdout.write("")
        self.stdout.write(f"  Trang quản trị / admin: http://127.0.0.1:{port}/admin/")
        self.stdout.write(f"  Tài khoản / username:   {username}")
        self.stdout.write(
            f"  Mật khẩu / password:    {password}"
            if password
            else "  Mật khẩu / password:    (đã đặt trước đây / set earlier, unchanged)"
        )
        self.stdout.write("")
