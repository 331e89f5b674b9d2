"""Section rules: a story linked to a source, person or place is proposed a section; the
desk's roles (see articles/roles.py) gain them as they have sections: reporters see them,
editors manage them.

Self-contained, as 0021 is: the permissions as they were when this migration was written,
added to the groups as they stand.
"""

import django.core.validators
import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ROLES = {
    "Reporter": ["view_sectionrule"],
    "Editor": ["add_sectionrule", "change_sectionrule", "delete_sectionrule", "view_sectionrule"],
}


def _role_permissions(apps, group):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="articles", codename__in=ROLES[group.name]
    )


def add_rule_permissions(apps, schema_editor):
    # The model is new here; its permissions are normally created after all migrations
    # have run, and the groups need them now.
    articles = apps.get_app_config("articles")
    models_module, articles.models_module = getattr(articles, "models_module", None), True
    create_permissions(articles, apps=apps, verbosity=0)
    articles.models_module = models_module
    # The groups as they stand: one an administrator deleted stays deleted.
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.add(*_role_permissions(apps, group))


def remove_rule_permissions(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*_role_permissions(apps, group))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_front_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="SectionRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Lower comes first: the first rule a story matches files it.",
                        validators=[django.core.validators.MaxValueValidator(32767)],
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="section_rules",
                        to="articles.person",
                    ),
                ),
                (
                    "place",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="section_rules",
                        to="articles.place",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rules",
                        to="articles.section",
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="section_rules",
                        to="articles.source",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("person__isnull", False),
                                ("place__isnull", True),
                                ("source__isnull", True),
                            ),
                            models.Q(
                                ("person__isnull", True),
                                ("place__isnull", False),
                                ("source__isnull", True),
                            ),
                            models.Q(
                                ("person__isnull", True),
                                ("place__isnull", True),
                                ("source__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="articles_sectionrule_one_entity",
                        violation_error_message="A rule names one source, one person or one place: choose exactly one.",
                    ),
                    models.UniqueConstraint(
                        fields=("person", "section"),
                        name="articles_sectionrule_person_unique",
                        violation_error_message="This section already has a rule for this person.",
                    ),
                    models.UniqueConstraint(
                        fields=("place", "section"),
                        name="articles_sectionrule_place_unique",
                        violation_error_message="This section already has a rule for this place.",
                    ),
                    models.UniqueConstraint(
                        fields=("source", "section"),
                        name="articles_sectionrule_source_unique",
                        violation_error_message="This section already has a rule for this source.",
                    ),
                ],
            },
        ),
        migrations.RunPython(add_rule_permissions, remove_rule_permissions),
    ]
