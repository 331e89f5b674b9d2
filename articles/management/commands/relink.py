import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from articles import editorial, kinds, linking, pictures
from articles.models import Article, EditConflict


class Command(BaseCommand):
    help = (
        "Link existing articles to the people, places and sources their text mentions, "
        "after names or aliases changed, and render reader HTML that is missing (after "
        "loading fixtures, say). Only adds links; links editors removed stay removed. "
        "--render also draws the share card of every published story without a picture."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would change, change nothing"
        )
        parser.add_argument(
            "--render",
            action="store_true",
            help=(
                "render every story's reader HTML again (not only the missing ones), and "
                "draw missing share cards"
            ),
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, dry_run, render, no_progress, **options):
        linking.forget_gazetteer()
        articles = Article.objects.only("pk", "headline", "summary", "body", "body_html")
        linked = rendered = 0
        progress = tqdm(
            total=articles.count(),
            desc="Relinking",
            unit="article",
            file=sys.stderr,
            disable=True if no_progress else None,
        )
        for batch in articles.batches(500):
            for article in batch:
                additions = {
                    kind: ids for kind, ids in linking.links_to_add(article).items() if ids
                }
                if additions:
                    linked += 1
                    with tqdm.external_write_mode():
                        self.stdout.write(f"{article.headline}: {self.describe(additions)}")
                    if not dry_run:
                        self.relink(article)
                elif render or (article.body and not article.body_html):
                    rendered += 1
                    if not dry_run:
                        editorial.render(article)
            progress.update(len(batch))
        progress.close()
        cards = 0
        if render and not dry_run:
            for batch in Article.objects.shared_with_a_card().batches(500):
                for article in batch:
                    pictures.share_card(article, site_name=settings.SITE_NAME)
                    cards += 1
        verb = "would change" if dry_run else "changed"
        summary = f"Done: {linked} articles {verb}, {rendered} bodies rendered."
        if cards:
            summary += f" {cards} share cards drawn."
        self.stdout.write(self.style.SUCCESS(summary))

    def relink(self, article):
        # Saved through the version check, so an editor's concurrent save is
        # never overwritten; the editor's form is told the links moved instead.
        for _attempt in range(3):
            current = Article.objects.get(pk=article.pk)
            try:
                with transaction.atomic():
                    editorial.relink(current)
                return
            except EditConflict:
                continue
        raise CommandError(f"{article.headline}: kept changing while relinking; run again")

    def describe(self, additions):
        names = []
        for kind, ids in sorted(additions.items()):
            found = (
                kinds.BY_NAME[kind].model.objects.filter(pk__in=ids).values_list("name", flat=True)
            )
            names += [f"+{kind} {name}" for name in found]
        return ", ".join(names)
