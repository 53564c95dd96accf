from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "toasoan.accounts"
    verbose_name = "Tài khoản"
