from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "toasoan.reports"
    verbose_name = "Báo cáo"
