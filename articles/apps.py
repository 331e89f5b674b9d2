from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles import checks, history, invalidation, search  # noqa: F401 - checks registers

        history.register()
        invalidation.connect()
        # Database setup, not business logic: see search.restore_triggers.
        post_migrate.connect(search.restore_triggers, sender=self)
