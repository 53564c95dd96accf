"""python -m toasoan reset-two-factor USERNAME: for the administrator who has
lost their own phone and so cannot reach the admin's reset button."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from toasoan.accounts.two_factor import has_two_factor, turn_off


class Command(BaseCommand):
    help = (
        "Tắt xác thực hai bước của một tài khoản (mất điện thoại). "
        "Turn off an account's two-factor authentication (a lost phone)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="tên đăng nhập / username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            person = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as missing:
            raise CommandError(
                f"Không có tài khoản {username!r}. No account {username!r}."
            ) from missing
        if not has_two_factor(person):
            self.stdout.write(
                f"{username} chưa bật xác thực hai bước. "
                "Two-factor authentication was not on."
            )
            return
        turn_off(person)
        self.stdout.write(
            f"Đã tắt xác thực hai bước của {username}. "
            "Two-factor authentication is off."
        )
