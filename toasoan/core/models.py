"""Settings every page shares: what the Law on Press requires a news site to show."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class PressSettings(BaseSiteSetting):
    """The outlet's legal identity, shown in the masthead and footer of every page.

    An electronic newspaper must show its name, governing agency, licence (number,
    date, issuer), editor-in-chief, address, phone and email.
    """

    outlet_name = models.CharField(_("tên cơ quan báo chí"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    governing_agency = models.CharField(_("cơ quan chủ quản"), max_length=200)
    licence_number = models.CharField(_("số giấy phép"), max_length=100)
    licence_date = models.DateField(_("ngày cấp phép"), null=True, blank=True)
    licence_issuer = models.CharField(_("cơ quan cấp phép"), max_length=200)
    editor_in_chief = models.CharField(_("tổng biên tập"), max_length=120)
    address = models.CharField(_("địa chỉ"), max_length=300)
    phone = models.CharField(_("điện thoại"), max_length=60)
    email = models.EmailField(_("thư điện tử"))
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("biểu trưng (logo)"),
        help_text=_(
            "Ảnh vuông, tối thiểu 112×112: hiện khi bài được chia sẻ và trên "
            "Google. Square, at least 112×112."
        ),
    )

    class Meta:
        verbose_name = _("Thông tin cơ quan báo chí")
