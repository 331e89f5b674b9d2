"""Worker for `bench/run.py api_list`: run with DATABASE_URL pointing at a scratch database.

The API's article list (100 articles with their people, places, sources and
corrections) against two baselines over the same page: the bare floor, one
`.values()` query serialised with orjson; and a plain DRF ModelSerializer
viewset, the way most projects write it.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

import orjson  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from measure import timings  # noqa: E402
from rest_framework import serializers, viewsets  # noqa: E402
from rest_framework.test import APIRequestFactory  # noqa: E402

from articles import synthetic  # noqa: E402
from articles.models import Article, Person, Place, Source, Status  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_API_ARTICLES", "2000"))
ROUNDS = 30


def populate():
    rng = synthetic.generator(3)
    source = Source.objects.create(name="Trend News Agency", kind="agency")
    places = Place.objects.bulk_create(
        [Place(name=synthetic.name(rng, 1) + f" {n}", slug=f"place-{n}") for n in range(200)]
    )
    people = Person.objects.bulk_create(
        [Person(name=synthetic.name(rng) + f" {n}", slug=f"person-{n}") for n in range(200)]
    )
    now = timezone.now()
    articles = Article.objects.bulk_create(
        [
            Article(
                headline=f"Story {n} " + synthetic.sentence(rng)[:80],
                slug=f"story-{n}",
                summary=synthetic.sentence(rng),
                body="\n\n".join(synthetic.paragraphs(rng, word_count=400)),
                byline="By Trend",
                source=source,
                status=Status.PUBLISHED,
                published_at=now - timezone.timedelta(minutes=n),
            )
            for n in range(ARTICLES)
        ]
    )
    Article.places.through.objects.bulk_create(
        [
            Article.places.through(article_id=a.pk, place_id=places[(a.pk * k) % 200].pk)
            for a in articles
            for k in (1, 7, 13)
        ],
        ignore_conflicts=True,
    )
    Article.people.through.objects.bulk_create(
        [
            Article.people.through(article_id=a.pk, person_id=people[(a.pk * k) % 200].pk)
            for a in articles
            for k in (3, 11)
        ],
        ignore_conflicts=True,
    )


class PlainArticleSerializer(serializers.ModelSerializer):
    """What a typical project writes: nested serializers, no prefetching."""

    class SourceSerializer(serializers.ModelSerializer):
        class Meta:
            model = Source
            fields = ["id", "slug", "name"]

    class PlaceSerializer(serializers.ModelSerializer):
        class Meta:
            model = Place
            fields = ["id", "slug", "name", "kind"]

    class PersonSerializer(serializers.ModelSerializer):
        class Meta:
            model = Person
            fields = ["id", "slug", "name"]

    source = SourceSerializer()
    places = PlaceSerializer(many=True)
    people = PersonSerializer(many=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "slug",
            "headline",
            "summary",
            "body",
            "body_html",
            "byline",
            "source",
            "people",
            "places",
            "status",
            "published_at",
            "updated_at",
            "version",
        ]


class PlainViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Article.objects.filter(status=Status.PUBLISHED).order_by("-published_at")
    serializer_class = PlainArticleSerializer
    pagination_class = None
    filter_backends = []
    throttle_classes = []

    def get_queryset(self):
        return super().get_queryset()[:100]


def main():
    call_command("migrate", verbosity=0)
    populate()
    client = Client()
    page = "/api/v1/articles/?page_size=100"

    def newsroom():
        response = client.get(page)
        assert response.status_code == 200, response.content[:300]

    def floor():
        rows = list(
            Article.objects.public()
            .order_by("-published_at", "-id")
            .values("id", "slug", "headline", "summary", "body", "byline", "published_at")[:100]
        )
        return orjson.dumps(rows)

    factory = APIRequestFactory()
    plain_view = PlainViewSet.as_view({"get": "list"})

    def plain():
        response = plain_view(factory.get("/plain/"))
        response.render()

    results = {}
    for name, function in [("newsroom", newsroom), ("values_floor", floor), ("plain_drf", plain)]:
        median, p95 = timings(function, ROUNDS)
        results[name] = {"median_ms": round(median * 1000, 2), "p95_ms": round(p95 * 1000, 2)}
    # A file, not stdout: the request log writes its JSON lines there.
    Path(sys.argv[1]).write_text(json.dumps(results))


if __name__ == "__main__":
    main()
