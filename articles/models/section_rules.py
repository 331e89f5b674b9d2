"""Section rules: "a story linked to this source, person or place goes in that section".

The wire desk files a new draft by the copy's own subjects first; when none names a
section, the first rule (by position) whose entity the draft is about proposes one.
Editors maintain the rules on a section's page in the admin; a rule goes with its
section and with its entity.
"""

import functools
import operator

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from articles import kinds

# The kinds a rule can name: those found in a story's text (sources, people, places),
# each a foreign key named after its kind.
RULE_KINDS = kinds.LINKED_FROM_TEXT


def _exactly_one_entity():
    """The condition "one of the rule's entity keys is set, and only one"."""
    names = [kind.name for kind in RULE_KINDS]
    return functools.reduce(
        operator.or_,
        (Q(**{f"{other}__isnull": other != name for other in names}) for name in names),
    )


class SectionRuleQuerySet(models.QuerySet):
    def matching(self, about):
        """The rules naming one of the entities in ``about`` ({kind name: ids}), the one
        that wins first: lower position, then the older rule."""
        condition = Q(pk__in=[])  # nothing, without a query, when the story is about nothing
        for kind in RULE_KINDS:
            if ids := about.get(kind.name):
                condition |= Q(**{f"{kind.name}__in": ids})
        return self.filter(condition).order_by("position", "id")


class SectionRuleManager(models.Manager.from_queryset(SectionRuleQuerySet)):
    def get_by_natural_key(self, section, kind, entity):
        return self.get(section__slug=section, **{f"{kind}__slug": entity})


class SectionRule(models.Model):
    section = models.ForeignKey("articles.Section", on_delete=models.CASCADE, related_name="rules")
    source = models.ForeignKey(
        "articles.Source",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="section_rules",
    )
    person = models.ForeignKey(
        "articles.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="section_rules",
    )
    place = models.ForeignKey(
        "articles.Place",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="section_rules",
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        # The column's range on every database (SQLite's would take any integer).
        validators=[MaxValueValidator(32767)],
        help_text="Lower comes first: the first rule a story matches files it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SectionRuleManager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_entity(),
                name="articles_sectionrule_one_entity",
                violation_error_message="A rule names one source, one person or one place: "
                "choose exactly one.",
            ),
            *(
                models.UniqueConstraint(
                    fields=[kind.name, "section"],
                    name=f"articles_sectionrule_{kind.name}_unique",
                    violation_error_message=f"This section already has a rule for this "
                    f"{kind.name}.",
                )
                for kind in RULE_KINDS
            ),
        ]

    def __str__(self):
        entity = self.entity
        return f"Stories linked to {entity or 'nothing'} go to {self.section}"

    @property
    def kind(self):
        """The kind of entity the rule names, or None while it names none."""
        return next((kind for kind in RULE_KINDS if getattr(self, f"{kind.name}_id")), None)

    @property
    def entity(self):
        return getattr(self, self.kind.name) if self.kind else None

    def natural_key(self):
        return (self.section.slug, self.kind.name, self.entity.slug)

    natural_key.dependencies = [
        "articles.section",
        *(f"articles.{kind.name}" for kind in RULE_KINDS),
    ]
