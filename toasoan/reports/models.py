"""No tables: reports are computed from the newsroom's articles and views. The
model exists to carry the permission to read them, which the Tổng biên tập and
Quản trị roles hold (migration 0002)."""

from django.db import models


class PeriodReview(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_report", "Có thể xem báo cáo sơ kết")]

    def __str__(self) -> str:
        return "Báo cáo sơ kết"
