"""One article page model with the fields of a toasoan article, done the
Wagtail way: tags through django-modelcluster, related links as an inline."""

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(Page):
    date = models.DateTimeField("ngày đăng")
    lead = models.TextField("sapo", blank=True)
    body = RichTextField("nội dung", blank=True)
    author = models.CharField("tác giả", max_length=120, blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("lead"),
        FieldPanel("body"),
        FieldPanel("author"),
        FieldPanel("tags"),
        InlinePanel("related_links", label="bài liên quan"),
    ]


class RelatedLink(Orderable):
    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="related_links"
    )
    target = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
