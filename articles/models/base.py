"""What every model with a public address shares: a unique, readable slug."""

from django.db import IntegrityError, models, transaction

from articles.slugs import slugify_text

SLUG_MAX_LENGTH = 120
SLUG_BASE_LENGTH = 80  # leaves room for a "-123" collision suffix


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

    def slug_source(self):
        raise NotImplementedError

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
        if base not in taken:
            return base
        suffix = 2
        while f"{base}-{suffix}" in taken:
            suffix += 1
        return f"{base}-{suffix}"
