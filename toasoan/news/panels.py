"""The article's translations, shown in its edit form ("Bản tiếng Anh: đã đăng")."""

from wagtail.admin.panels import Panel


class TranslationsPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "news/translations_panel.html"

        def get_context_data(self, parent_context=None):
            from toasoan.news.editions import (
                admin_language_name,
                is_out_of_date,
                original_of,
                translation_states,
            )

            context = super().get_context_data(parent_context)
            article = self.instance
            context["article"] = article
            if not article.pk:
                return context
            original = original_of(article)
            context["original"] = original
            if original is not None:
                context["original_language"] = admin_language_name(
                    original.locale.language_code
                )
                context["out_of_date"] = is_out_of_date(article)
            context["states"] = [
                state
                for state in translation_states(article)
                if original is None or state.article != original
            ]
            return context
