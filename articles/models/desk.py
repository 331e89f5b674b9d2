"""The editors' desk around a story: who has it open, and what they typed but did not save."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models.articles import Article


class PresenceQuerySet(models.QuerySet):
    def current(self):
        """Editors whose form sent a heartbeat recently enough to count as open."""
        since = timezone.now() - timedelta(seconds=settings.PRESENCE_TIMEOUT_SECONDS)
        return self.filter(seen_at__gte=since)


class Presence(models.Model):
    """One editor with one story's change form open, as of the last heartbeat."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    objects = PresenceQuerySet.as_manager()

    class Meta:
        ordering = ["seen_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="presence_unique"),
        ]

    def __str__(self):
        return f"{self.user} on {self.article_id}"

    @classmethod
    def beat(cls, article, user):
        """Record that ``user`` has ``article`` open; return the others who do too."""
        cls.objects.update_or_create(
            article=article, user=user, defaults={"seen_at": timezone.now()}
        )
        return list(
            cls.objects.current()
            .filter(article=article)
            .exclude(user=user)
            .select_related("user")
            .order_by("seen_at")
        )

    @classmethod
    def leave(cls, article, user):
        cls.objects.filter(article=article, user=user).delete()


class Autosave(models.Model):
    """What an editor typed into a change form, kept until they save or discard it.

    Neither a revision nor visible to readers: one per editor and story (and
    one per editor for a story not yet saved), replaced on every autosave.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    fields = models.JSONField(help_text="Form field names and the values typed.")
    base_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The story's version when the form was opened."
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="autosave_one_per_story",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(article__isnull=True), name="autosave_one_new_story"
            ),
        ]

    def __str__(self):
        return f"Autosave by {self.user} at {self.saved_at:%H:%M:%S}"

    @classmethod
    def keep(cls, *, user, article, fields, base_version=None):
        autosave, _ = cls.objects.update_or_create(
            user=user,
            article=article,
            defaults={"fields": fields, "base_version": base_version, "saved_at": timezone.now()},
        )
        return autosave

    @classmethod
    def pending_for(cls, *, user, article):
        """The autosave to offer when ``user`` opens the form, if it holds unsaved work."""
        autosave = cls.objects.filter(user=user, article=article).first()
        if autosave is None:
            return None
        if article is not None and autosave.saved_at <= article.updated_at:
            return None  # the story was saved since: the autosave is stale
        return autosave

    @classmethod
    def discard(cls, *, user, article):
        cls.objects.filter(user=user, article=article).delete()
