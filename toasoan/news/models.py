"""The newsroom's published content: sections, articles, bylines and keywords.

Sections are Wagtail pages (a short tree editors arrange); articles are not pages
but Wagtail-managed models with revisions, drafts, workflow, locking, preview and
locales. A section with 500,000 articles is then one indexed foreign key, not
500,000 children in the page tree (docs/architecture.md says why).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager, _ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TagBase, TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    PublishingPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    Page,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)

from toasoan.core.richtext import images_without_alt, sanitize_rich_text
from toasoan.core.vietnamese import normalize_text, slugify_vi
from toasoan.news.forms import ArticleForm
from toasoan.news.panels import TranslationsPanel
from toasoan.newsroom.panels import EditorialCommentsPanel


class HomePage(Page):
    """The front page of one edition: lead story, latest, sections, most read."""

    # The outlet as this edition names it ("Thai Binh Radio and Television");
    # empty: as in the site settings (Cài đặt → Thông tin cơ quan báo chí).
    outlet_name = models.CharField(
        _("tên cơ quan báo chí ở ấn bản này"),
        max_length=200,
        blank=True,
        help_text=_("Để trống: như trong Thông tin cơ quan báo chí."),
    )
    governing_agency = models.CharField(
        _("cơ quan chủ quản ở ấn bản này"), max_length=200, blank=True
    )
    address = models.CharField(_("địa chỉ ở ấn bản này"), max_length=300, blank=True)

    max_count_per_parent = 1
    subpage_types = ["news.SectionPage", "news.AboutPage"]
    template = "news/home_page.html"
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("outlet_name"),
                FieldPanel("governing_agency"),
                FieldPanel("address"),
            ],
            heading=_("Tên cơ quan ở ấn bản này"),
        )
    ]
    EDITION_PRESS_FIELDS = ("outlet_name", "governing_agency", "address")

    class Meta:
        verbose_name = _("Trang chủ")

    def serve(self, request, *args, **kwargs):
        # A WordPress short link (/?p=123) reaches the home page, not a 404, so
        # Wagtail's redirects never see it: the importer's redirect is found here.
        legacy = request.GET.get("p", "")
        if legacy.isascii() and legacy.isdigit() and len(legacy) < 20:
            from django.shortcuts import redirect
            from wagtail.contrib.redirects.models import Redirect

            known = Redirect.objects.filter(
                old_path=Redirect.normalise_path(f"/?p={legacy}")
            ).first()
            if known is not None:
                return redirect(known.link, permanent=known.is_permanent)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from toasoan.news.services import build_home_page

        context = super().get_context(request, *args, **kwargs)
        context.update(build_home_page(self))
        return context


class SectionPage(RoutablePageMixin, Page):
    """A section ("chuyên mục"): a node in the section tree that lists articles."""

    legacy_id = models.PositiveIntegerField(
        _("mã chuyên mục cũ"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Mã chuyên mục trên hệ thống cũ, dùng cho đường dẫn cũ."),
    )
    description = models.TextField(_("mô tả"), blank=True)

    parent_page_types = ["news.HomePage", "news.SectionPage"]
    subpage_types = ["news.SectionPage"]
    template = "news/section_page.html"
    content_panels = Page.content_panels + [
        FieldPanel("description"),
        FieldPanel("legacy_id"),
    ]

    class Meta:
        verbose_name = _("Chuyên mục")
        verbose_name_plural = _("Chuyên mục")

    def get_context(self, request, *args, **kwargs):
        from toasoan.news.services import _most_read_lists, paginate_articles

        context = super().get_context(request, *args, **kwargs)
        articles = Article.objects.published().in_section(self).for_listing()
        context["articles"] = paginate_articles(
            articles, request.GET.get("page"), count_key=f"section:{self.pk}"
        )
        context["subsections"] = self.get_children().live().specific()
        context["most_read_lists"] = _most_read_lists(self.locale, self)
        return context

    @re_path(r"^(?P<format_name>rss|atom)/$", name="feed")
    def feed(self, request, format_name: str):
        from toasoan.feeds.views import section_feed

        return section_feed(request, self, format_name)


class AboutPage(Page):
    """The "Giới thiệu – Liên hệ" page: who the outlet is and how to reach it, one per
    edition (state portals must offer it in English too). The legal particulars
    (address, phone, email) come from the site settings, shown under the text."""

    intro = models.TextField(_("giới thiệu ngắn"), blank=True)
    body = RichTextField(_("nội dung"), blank=True)

    max_count_per_parent = 1
    parent_page_types = ["news.HomePage"]
    subpage_types: list[str] = []
    template = "news/about_page.html"
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("Giới thiệu – Liên hệ")
        verbose_name_plural = _("Giới thiệu – Liên hệ")

    def save(self, *args, **kwargs):
        self.body = sanitize_rich_text(self.body)
        super().save(*args, **kwargs)


def person_slug(name: str, max_length: int = 80) -> str:
    """The author page slug for a name. A name with no Latin letter or digit
    ("王小明", or only punctuation) folds to nothing, and an empty slug has no
    URL: every page naming that author failed. Such a name gets a slug of its own,
    the same each time."""
    slug = slugify_vi(name, max_length=max_length)
    if slug:
        return slug
    digest = hashlib.sha1(normalize_text(name).strip().encode()).hexdigest()[:12]
    return f"tac-gia-{digest}"


class Author(models.Model):
    """A staff profile: a reporter or editor with a page listing their work."""

    name = models.CharField(_("họ và tên"), max_length=120)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True, blank=True)
    role = models.CharField(_("chức danh"), max_length=120, blank=True)
    bio = models.TextField(_("giới thiệu"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        verbose_name=_("tài khoản"),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ảnh"),
    )

    panels = ["name", "slug", "role", "bio", "user", "photo"]

    class Meta:
        verbose_name = _("Tác giả")
        verbose_name_plural = _("Tác giả")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = person_slug(self.name, max_length=120)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("author", kwargs={"slug": self.slug})


class Keyword(TagBase):
    """A keyword ("Từ khóa") with its own page; slugs fold Vietnamese like ours."""

    class Meta:
        verbose_name = _("Từ khóa")
        verbose_name_plural = _("Từ khóa")

    def slugify(self, tag, i=None):
        slug = slugify_vi(tag, max_length=90) or "tu-khoa"
        return f"{slug}-{i}" if i is not None else slug

    def get_absolute_url(self) -> str:
        return reverse("keyword", kwargs={"slug": self.slug})

    @staticmethod
    def slug_for(name: str) -> str:
        """The slug that identifies a keyword typed as ``name``."""
        return slugify_vi(normalize_text(name).strip()[:100], max_length=90)

    @classmethod
    def for_name(cls, name: str) -> Keyword:
        """The keyword whose slug this name folds to, created if new: "Từ khoá"
        and "Từ khóa" (old and new tone placement) are one keyword, not two."""
        slug = cls.slug_for(name)
        return cls.objects.filter(slug=slug).first() or cls.objects.create(
            name=normalize_text(name).strip()[:100], slug=slug
        )


class _KeywordsManager(_ClusterTaggableManager):
    def _to_tag_model_instances(self, tags, tag_kwargs):
        # taggit matches names with iexact, which on SQLite folds only ASCII case:
        # "đà nẵng" would become a second "Đà Nẵng". Match by folded slug instead.
        keywords = [
            Keyword.for_name(tag) if isinstance(tag, str) else tag
            for tag in tags
            if not isinstance(tag, str) or slugify_vi(tag)
        ]
        return list(dict.fromkeys(keywords))


class KeywordsField(ClusterTaggableManager):
    """Article keywords: an editor's "Đà Nẵng", "đà nẵng" and "Ðà Nẵng" are one."""

    def __get__(self, instance, model):
        return _KeywordsManager(
            through=self.through,
            model=model,
            instance=instance,
            prefetch_cache_name=self.name,
        )


class ArticleKeyword(TaggedItemBase):
    content_object = ParentalKey(
        "news.Article", on_delete=models.CASCADE, related_name="tagged_keywords"
    )
    tag = models.ForeignKey(
        Keyword, on_delete=models.CASCADE, related_name="tagged_articles"
    )


class ArticleQuerySet(models.QuerySet):
    def public(self) -> ArticleQuerySet:
        """Live articles whose publish time has come, withdrawn ones included:
        their page stays, showing the withdrawal notice."""
        return self.filter(live=True, published_at__lte=timezone.now())

    def published(self) -> ArticleQuerySet:
        """What readers are shown: public and not withdrawn."""
        return self.public().filter(withdrawn_at__isnull=True)

    def in_section(self, section: SectionPage) -> ArticleQuerySet:
        """Articles of a section and of the sections below it."""
        ids = list(
            SectionPage.objects.filter(
                path__startswith=section.path, depth__gte=section.depth
            ).values_list("pk", flat=True)
        )
        if len(ids) == 1:
            return self.filter(section_id=ids[0])
        return self.filter(section_id__in=ids)

    def in_locale(self, locale) -> ArticleQuerySet:
        return self.filter(locale=locale)

    def most_read(self, since=None) -> ArticleQuerySet:
        qs = self.filter(published_at__gte=since) if since else self
        return qs.order_by("-view_count", "-published_at")

    def for_listing(self) -> ArticleQuerySet:
        """What a list of article cards needs, fetched in a fixed number of queries."""
        from wagtail.images import get_image_model

        images = get_image_model().objects.prefetch_renditions("fill-480x270")
        return self.select_related("section", "locale").prefetch_related(
            models.Prefetch("featured_image", queryset=images)
        )


class Article(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    TranslatableMixin,
    ClusterableModel,
):
    """A news article: what a reporter writes and an editor approves and publishes."""

    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=120,
        blank=True,
        help_text=_("Để trống để tạo từ tiêu đề (không dấu)."),
    )
    lead = models.TextField(_("sapo"), blank=True)
    body = RichTextField(_("nội dung"), blank=True)
    section = models.ForeignKey(
        SectionPage,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("chuyên mục"),
        # article_section_idx (section, -published_at) serves every lookup by
        # section; a second, single-column index tempts SQLite into sorting a whole
        # section in a temporary B-tree to list its newest articles.
        db_index=False,
    )
    published_at = models.DateTimeField(_("ngày giờ đăng"), default=timezone.now)
    featured_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ảnh đại diện"),
    )
    featured_image_caption = models.CharField(
        _("chú thích ảnh"), max_length=500, blank=True
    )
    featured_image_alt = models.CharField(
        _("mô tả ảnh cho người khiếm thị (alt)"),
        max_length=250,
        blank=True,
        help_text=_(
            "Bắt buộc trước khi đăng, nếu ảnh chưa có mô tả. Required before "
            "publishing unless the image has a description."
        ),
    )
    featured_image_credit = models.CharField(
        _("nguồn ảnh"), max_length=200, blank=True, help_text=_("Ví dụ: Ảnh: Minh Hằng")
    )
    video = models.ForeignKey(
        "videos.Video",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=_("video"),
    )
    is_lead_story = models.BooleanField(
        _("tin tiêu điểm"),
        default=False,
        help_text=_("Đưa lên vị trí tin chính của trang chủ."),
    )
    view_count = models.PositiveIntegerField(_("lượt xem"), default=0, editable=False)
    keywords = KeywordsField(
        through=ArticleKeyword, blank=True, verbose_name=_("từ khóa")
    )
    legacy_id = models.PositiveIntegerField(_("mã bài cũ"), null=True, blank=True)
    legacy_section_id = models.PositiveIntegerField(
        _("mã chuyên mục cũ"), null=True, blank=True
    )
    legacy_url = models.CharField(_("đường dẫn cũ"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    # Corrections as the Law on Press requires: shown under the article, dated.
    correction_note = models.TextField(
        _("đính chính"),
        blank=True,
        help_text=_(
            "Nội dung đính chính, hiển thị cuối bài cùng ngày đính chính. "
            "Correction shown under the article with its date."
        ),
    )
    corrected_at = models.DateTimeField(
        _("ngày đính chính"),
        null=True,
        blank=True,
        help_text=_("Để trống: lấy giờ đăng bản đính chính."),
    )
    # Withdrawn ("gỡ bài"): the page shows a notice instead of the content; the
    # article and all its revisions stay. Set only through newsroom.corrections.
    withdrawn_at = models.DateTimeField(
        _("ngày gỡ bài"), null=True, blank=True, editable=False
    )
    withdrawal_reason = models.TextField(_("lý do gỡ bài"), blank=True, editable=False)
    # For a translation: when it last followed its original. The original
    # published again after that makes it "out of date" (news/editions.py).
    translation_synced_at = models.DateTimeField(
        _("bản dịch cập nhật theo bản gốc lúc"), null=True, blank=True, editable=False
    )
    # Who created it: a reporter may edit only their own articles.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )

    objects = ArticleQuerySet.as_manager()
    base_form_class = ArticleForm

    panels = [
        FieldPanel("title"),
        FieldPanel("lead"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("section"), FieldPanel("published_at"), "is_lead_story"],
            heading=_("Xuất bản"),
        ),
        # Go-live and expiry times, set in the admin's "Lên lịch" dialog.
        PublishingPanel(),
        InlinePanel("bylines", heading=_("Tác giả"), min_num=1, label=_("tác giả")),
        FieldPanel("keywords"),
        MultiFieldPanel(
            [
                FieldPanel("featured_image"),
                FieldPanel("featured_image_alt"),
                FieldPanel("featured_image_caption"),
                FieldPanel("featured_image_credit"),
            ],
            heading=_("Ảnh đại diện"),
        ),
        FieldPanel("video"),
        MultiFieldPanel([TranslationsPanel()], heading=_("Bản dịch")),
        InlinePanel("related_links", heading=_("Bài liên quan"), label=_("bài")),
        MultiFieldPanel(
            [EditorialCommentsPanel()],
            heading=_("Bình luận biên tập"),
        ),
        MultiFieldPanel(
            [FieldPanel("correction_note"), FieldPanel("corrected_at")],
            heading=_("Đính chính"),
            classname="collapsed",
        ),
        MultiFieldPanel(
            [FieldPanel("slug"), "legacy_id", "legacy_section_id", "legacy_url"],
            heading=_("Đường dẫn"),
            classname="collapsed",
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Bài viết")
        verbose_name_plural = _("Bài viết")
        ordering = ["-published_at"]
        permissions = [("withdraw_article", "Có thể gỡ bài đã đăng")]
        # "live" comes after the date: Django writes live=True as a bare column on
        # SQLite, which an index cannot match by equality, so a leading "live" would
        # force a sort of the whole section. Trailing, it still lets a section's
        # count, and with "id" a deep page's ids, come from the index alone
        # (PostgreSQL needs "id" named; SQLite keeps it in every index anyway).
        # "withdrawn_at" is there for the same reason: readers' lists leave out
        # withdrawn articles.
        indexes = [
            models.Index(
                fields=["section", "-published_at", "live", "withdrawn_at", "id"],
                name="article_section_idx",
            ),
            models.Index(
                fields=["-published_at", "live", "withdrawn_at"],
                name="article_latest_idx",
            ),
            models.Index(fields=["legacy_id"], name="article_legacy_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    # Facts about the article as a whole, not about one version of its text: a
    # revision published later must not reset them.
    WHOLE_ARTICLE_FIELDS = (
        "view_count",
        "owner_id",
        "withdrawn_at",
        "withdrawal_reason",
        "translation_synced_at",
    )

    def get_lock(self):
        # An editing lock left behind by a closed tab lapses (newsroom.locking);
        # a workflow's lock still holds.
        from toasoan.newsroom.locking import lock_is_stale

        if not lock_is_stale(self):
            return super().get_lock()
        self.locked = False
        try:
            return super().get_lock()
        finally:
            self.locked = True

    def with_content_json(self, content):
        article = super().with_content_json(content)
        for name in self.WHOLE_ARTICLE_FIELDS:
            setattr(article, name, getattr(self, name))
        return article

    def clean(self):
        super().clean()
        self.body = sanitize_rich_text(self.body)
        if not self.title.strip():
            raise ValidationError({"title": _("Tiêu đề không được để trống.")})
        self.correction_note = self.correction_note.strip()
        if self.correction_note and not self.corrected_at:
            self.corrected_at = timezone.now()
        if not self.correction_note:
            self.corrected_at = None

    def save(self, *args, **kwargs):
        self.body = sanitize_rich_text(self.body)
        if not self.slug:
            self.slug = slugify_vi(self.title, max_length=100) or "bai-viet"
        super().save(*args, **kwargs)

    @property
    def changed_at(self):
        """When readers last saw it change: the latest publication of a revision
        (an article imported as published keeps its own date)."""
        return max(filter(None, [self.published_at, self.last_published_at]))

    @property
    def featured_image_alt_text(self) -> str:
        """The image's description for readers who cannot see it: the article's
        own, else the one the image library has."""
        if self.featured_image_alt.strip():
            return self.featured_image_alt.strip()
        image = self.featured_image
        return (image.description or "").strip() if image is not None else ""

    def publishing_problems(self) -> list[str]:
        """What must be put right before this article goes out (accessibility
        law and good practice: every picture described)."""
        problems = []
        if self.featured_image_id and not self.featured_image_alt_text:
            problems.append(
                "Ảnh đại diện chưa có mô tả (alt) / the featured image has no alt text"
            )
        if images_without_alt(self.body):
            problems.append(
                "Có ảnh trong nội dung chưa có mô tả (alt) / an image in the body "
                "has no alt text"
            )
        return problems

    def get_absolute_url(self) -> str:
        with translation.override(
            self.locale.language_code if self.locale_id else None
        ):
            return reverse("article", kwargs={"slug": self.slug, "pk": self.pk})

    get_url = get_absolute_url

    @cached_property
    def byline_names(self) -> list[str]:
        return [b.display_name for b in self.bylines.all()]

    def get_preview_template(self, request, mode_name):
        return "news/article.html"

    def get_preview_context(self, request, mode_name):
        from toasoan.news.services import related_articles

        return {"article": self, "related": related_articles(self)}


class Byline(Orderable):
    """One author of an article: a staff profile or a free-text name ("Cao Biền")."""

    article = ParentalKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bylines",
        verbose_name=_("tác giả (hồ sơ)"),
    )
    name = models.CharField(
        _("tên tác giả (tự do)"),
        max_length=200,
        blank=True,
        help_text=_("Dùng khi tác giả không có hồ sơ, ví dụ cộng tác viên."),
    )
    # The author page URL for this byline; free-text names get one too.
    name_slug = models.SlugField(max_length=200, db_index=True, editable=False)

    panels = ["author", "name"]

    class Meta(Orderable.Meta):
        verbose_name = _("Tác giả")

    def clean(self):
        if not self.author_id and not self.name.strip():
            raise ValidationError(_("Chọn một tác giả hoặc nhập tên tác giả."))

    def save(self, *args, **kwargs):
        self.name_slug = self.author.slug if self.author_id else person_slug(self.name)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.author.name if self.author_id else self.name

    @property
    def slug(self) -> str:
        return self.author.slug if self.author_id else person_slug(self.name)

    def get_absolute_url(self) -> str:
        return reverse("author", kwargs={"slug": self.slug})


class RelatedArticle(Orderable):
    """An article an editor picked as related; computed ones fill the rest."""

    article = ParentalKey(
        Article, on_delete=models.CASCADE, related_name="related_links"
    )
    target = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("bài viết")
    )

    panels = ["target"]

    class Meta(Orderable.Meta):
        verbose_name = _("Bài liên quan")

    def clean(self):
        if self.target_id and self.target_id == self.article_id:
            raise ValidationError(_("Bài viết không thể liên quan tới chính nó."))
