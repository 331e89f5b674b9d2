"""The desk's two roles, as permission groups.

Reporters write: they create stories, edit their own drafts and submit them
for review. Editors run the desk: everything on stories and entities,
including publishing, scheduling, archiving, deleting and correcting, and the
site's own pages (About, Contact...).
Partners are API clients that receive published stories before their
publication time (embargo), and nothing else beyond the public.
A change here needs a data migration of its own with the new lists
(migrations do not import this module, so history stays as it was).
"""

from django.contrib.auth.management import create_permissions

from articles import kinds

ENTITY_MODELS = [kind.model_name.lower() for kind in kinds.KINDS]
ROLES = {
    "Reporter": [
        "add_article",
        "change_article",
        "view_article",
        "view_correction",
        *[f"view_{model}" for model in ENTITY_MODELS],
        "view_sectionrule",
        # Reporters bring pictures with their stories, and describe them.
        *("add_image", "change_image", "view_image"),
    ],
    "Editor": [
        *[
            f"{action}_{model}"
            for model in [
                "article",
                "correction",
                "wireitem",
                "image",
                *ENTITY_MODELS,
                "sectionrule",
                "sitepage",
            ]
            for action in ("add", "change", "delete", "view")
        ],
        "publish_article",
        "edit_any_article",
        # The front page: one arrangement, changed (never added or deleted) by editors.
        *("change_frontpage", "view_frontpage"),
    ],
    # A trusted partner's API token: published stories before their time.
    "Partner": ["view_embargoed"],
}


def create_roles(apps):
    """Create or update the groups; ``apps`` is a migration's registry or the live one."""
    # Permissions are normally created after all migrations have run; the
    # groups need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )
