from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "toasoan.core"
    verbose_name = "Cơ sở"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished

        from toasoan.core.models import PressSettings
        from toasoan.core.site_chrome import bump_site_chrome_version

        post_save.connect(bump_site_chrome_version, sender=PressSettings)
        # Sections are the menu; any page published, moved or removed may change it.
        page_published.connect(bump_site_chrome_version)
        page_unpublished.connect(bump_site_chrome_version)
        post_delete.connect(bump_site_chrome_version, sender="wagtailcore.Page")
