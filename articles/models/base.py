"""What every model with a public address shares: a unique, readable slug that,
once published, keeps working after an editor changes it."""

import functools

from django.db import IntegrityError, models, transaction
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from articles.slugs import slugify_text

SLUG_MAX_LENGTH = 120
SLUG_BASE_LENGTH = 80  # leaves room for a "-123" collision suffix


# Stand-ins reverse() accepts for a slug and for an id, replaced afterwards.
_PLACEHOLDERS = {"slug": "--slug--", "pk": 9_876_543_210_123}


@functools.lru_cache(maxsize=64)
def _address_pattern(view_name, kwarg, script_prefix):
    return reverse(view_name, kwargs={kwarg: _PLACEHOLDERS[kwarg]})


def address(view_name, **kwargs):
    """``reverse(view_name, kwargs=...)`` for one slug or id, resolved once per view.

    Lists print dozens of addresses and reverse() walks the URL patterns each
    time; a slug or an id is always one plain segment, so substituting it into
    the resolved pattern gives the same address.
    """
    ((kwarg, value),) = kwargs.items()
    pattern = _address_pattern(view_name, kwarg, get_script_prefix())
    return pattern.replace(str(_PLACEHOLDERS[kwarg]), str(value))


def slug_address(view_name, slug):
    return address(view_name, slug=slug)


class SluggedModel(models.Model):
    """A model with a unique ASCII slug, generated from ``slug_source`` when left blank."""

    slug = models.SlugField(
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        help_text="Part of the public address. Left blank, it is made from the name.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        old = getattr(self, "_loaded_slug", None)
        if self.slug and self.slug == old:
            return super().save(*args, **kwargs)  # the address did not move
        with transaction.atomic():
            self.save_with_free_slug(*args, **kwargs)
            self.remember_old_slug(old)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_slug = instance.__dict__.get("slug")
        return instance

    def save_with_free_slug(self, *args, **kwargs):
        if self.slug:
            return super().save(*args, **kwargs)
        # Two editors saving "Ganja" at once both see "ganja" free; the unique
        # index decides, and the loser takes the next suffix instead of an error.
        for _attempt in range(10):
            self.slug = self.next_free_slug()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not self.slug_taken(self.slug):
                    raise
        raise IntegrityError(f"Could not find a free slug for {self!s}")

    def remember_old_slug(self, old):
        """Keep the old address of a renamed object working (a 301 to the new one)."""
        model = self._meta.model_name
        # The new slug is a live address now; no redirect may shadow it.
        SlugRedirect.objects.filter(model=model, old_slug=self.slug).delete()
        if old and old != self.slug:
            SlugRedirect.objects.update_or_create(
                model=model, old_slug=old, defaults={"object_id": self.pk}
            )
        self._loaded_slug = self.slug

    def slug_source(self):
        raise NotImplementedError

    @classmethod
    def renamed_from(cls, slug):
        """The object that was at ``slug`` before an editor changed its slug, if any."""
        redirect = SlugRedirect.objects.filter(model=cls._meta.model_name, old_slug=slug).first()
        if redirect is None:
            return None
        return cls._default_manager.filter(pk=redirect.object_id).first()

    def reserved_slugs(self):
        """Slugs this model may never take, whatever its rows: none, unless a model says."""
        return set()

    def slug_taken(self, slug):
        return type(self)._default_manager.filter(slug=slug).exclude(pk=self.pk).exists()

    def next_free_slug(self):
        base = slugify_text(self.slug_source(), max_length=SLUG_BASE_LENGTH)
        base = base or self._meta.model_name
        taken = set(
            type(self)
            ._default_manager.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        taken |= self.reserved_slugs()
        if base not in taken:
            return base
        suffix = 2
        while f"{base}-{suffix}" in taken:
            suffix += 1
        return f"{base}-{suffix}"


class SlugRedirect(models.Model):
    """An address an object had before its slug was changed."""

    model = models.CharField(max_length=40)
    old_slug = models.SlugField(max_length=SLUG_MAX_LENGTH)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["model", "old_slug"]
        constraints = [
            models.UniqueConstraint(fields=["model", "old_slug"], name="slugredirect_unique"),
        ]

    def __str__(self):
        return f"{self.model} {self.old_slug} → {self.object_id}"
