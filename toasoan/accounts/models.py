"""Which roles must prove who they are with a second factor."""

from django import forms
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="key")
class AccountSecuritySettings(BaseGenericSetting):
    """Set by an administrator (Cài đặt → Bảo mật tài khoản). Everyone may turn
    two-factor authentication on for themselves; members of these groups must
    (two_factor.is_required_for)."""

    two_factor_groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="+",
        verbose_name=_("nhóm bắt buộc xác thực hai bước"),
        help_text=_(
            "Thành viên các nhóm này phải cài ứng dụng xác thực (TOTP) trước khi "
            "làm việc tiếp. Members of these groups must set up an authenticator "
            "app (TOTP) before they can go on."
        ),
    )

    panels = [FieldPanel("two_factor_groups", widget=forms.CheckboxSelectMultiple)]

    class Meta:
        verbose_name = _("Bảo mật tài khoản")
