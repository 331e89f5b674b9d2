from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles import pictures
from articles.models import Article, Place

DEFAULT_FIXTURE = "fixtures/newsroom.json"
# The newsroom's own pictures (drawn by fixtures/draw_baku.py), each the picture of a
# seed place. The seed story has none: its share card is generated.
SEED_PICTURES = [
    (
        "fixtures/pictures/baku.jpg",
        "baku",
        {
            "alt_text": (
                "A drawing of Baku at dusk: the three Flame Towers above the city and the "
                "Maiden Tower by the Caspian shore, the sun setting over the sea."
            ),
            "caption": "Baku at dusk, drawn for the newsroom.",
            "credit": "Newsroom",
            "copyright": "© Newsroom",
        },
    ),
]


class Command(BaseCommand):
    help = (
        "Load the seed newsroom: create the sources, people, places, sections, stories and "
        "site pages of the fixture that are missing, found by their slugs, and never change "
        "one that exists. Safe to run again: an editor's changes to seed data stay. Draws "
        "the share card of each published story without a picture."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "fixture", nargs="?", default=DEFAULT_FIXTURE, help=f"(default: {DEFAULT_FIXTURE})"
        )

    def handle(self, *args, fixture, **options):
        path = Path(fixture)
        if not path.is_file():
            raise CommandError(f"No fixture at {path}")
        created = kept = 0
        stories = []
        with transaction.atomic():
            # Natural keys (slugs): an object already there deserialises with its
            # primary key, one that is missing without.
            for stored in serializers.deserialize(
                "json", path.read_text(encoding="utf-8"), handle_forward_references=True
            ):
                if stored.object.pk is not None:
                    kept += 1
                else:
                    stored.save()
                    created += 1
                if isinstance(stored.object, Article):
                    stories.append(stored.object.pk)
        # After the load commits: a card is a file, and a rolled-back load leaves none.
        # Content-addressed, so a second run draws nothing new.
        for article in Article.objects.filter(pk__in=stories).shared_with_a_card():
            pictures.share_card(article, site_name=settings.SITE_NAME)
        self.stdout.write(
            self.style.SUCCESS(f"Seed newsroom: {created} created, {kept} already there.")
        )
        added, held = load_pictures(SEED_PICTURES)
        self.stdout.write(self.style.SUCCESS(f"Seed pictures: {added} added, {held} already held."))


def load_pictures(seed_pictures):
    """Upload each picture (one already held is found by its hash, not stored again) and
    make it its place's picture unless the place has one: (added, already held)."""
    added = held = 0
    for path, place_slug, description in seed_pictures:
        image, new = pictures.upload(
            Path(path).read_bytes(), by=None, name=Path(path).name, **description
        )
        added, held = added + new, held + (not new)
        place = Place.objects.filter(slug=place_slug, image__isnull=True).first()
        if place is not None:
            place.image = image
            place.save(update_fields=["image"])
    return added, held
