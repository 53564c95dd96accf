"""What is kept about readers: counts, never people. Views per article per hour;
the day's secret that turns an address into an anonymous reader id, forgotten
the next day; and which batches of views have been added, so that none is added
twice."""

from django.db import models


class ArticleViewHour(models.Model):
    article = models.ForeignKey(
        "news.Article", on_delete=models.CASCADE, related_name="view_hours"
    )
    hour = models.DateTimeField()  # the hour's start, UTC
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="view_hour_unique")
        ]
        indexes = [models.Index(fields=["hour", "article"], name="view_hour_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.views}"


class ReaderKeySecret(models.Model):
    """The secret of one day (Asia/Ho_Chi_Minh). Deleted after that day, so a
    reader id cannot be linked to another day's, nor back to an address."""

    day = models.DateField(primary_key=True)
    secret = models.BinaryField()

    def __str__(self) -> str:
        return f"reader secret of {self.day}"


class AddedBatch(models.Model):
    """A batch of recorded views that is in the totals (its name is unique)."""

    name = models.CharField(max_length=100, primary_key=True)
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
