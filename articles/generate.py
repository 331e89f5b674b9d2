"""A synthetic newsroom of any size, written fast: for benchmarks and load tests.

Deterministic for a seed and an anchor time: sources, a hierarchy of places,
people, and articles over twenty years with realistic lengths, a few per cent
drafts, stories in review, scheduled and archived, each linked to several
people and places and rendered to reader HTML. Rows go in with PostgreSQL's
COPY (or batched inserts on SQLite) with their ids assigned here, so links
need no round trip; the search index is filled by the database's triggers.
"""

import json
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from articles import bodies, linking, page_cache, synthetic
from articles.models import Article, Person, Place, PlaceKind, Source, SourceKind, Status
from articles.slugs import slugify_text

YEARS = 20
# Of every 1,000 stories: what the desk holds besides the published archive.
STATUS_MIX = [
    (Status.DRAFT, 20),
    (Status.REVIEW, 10),
    ("scheduled", 15),
    (Status.ARCHIVED, 15),
    (Status.PUBLISHED, 940),
]
BATCH = 5_000


@dataclass(frozen=True)
class Counts:
    articles: int
    people: int
    places: int
    sources: int


class TableWriter:
    """Rows into one table: COPY on PostgreSQL, batched INSERT elsewhere."""

    def __init__(self, model, columns=None):
        self.table = model._meta.db_table
        self.columns = columns or [field.column for field in model._meta.concrete_fields]

    def write(self, rows):
        if not rows:
            return
        quoted = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {self.table} ({quoted}) VALUES ({marks})", rows)


def next_id(model):
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def generate_newsroom(counts, *, seed, anchor=None, progress=None):
    """Write the newsroom; returns the number of articles written."""
    rng = random.Random(seed)
    anchor = anchor or timezone.now().replace(microsecond=0)
    tag = f"g{seed}"
    if Article.objects.filter(slug__endswith=f"-{tag}-1").exists():
        raise ValueError(f"A newsroom with seed {seed} is already here; choose another seed.")
    with transaction.atomic():
        sources = _sources(rng, counts.sources, tag, anchor)
        places = _places(rng, counts.places, tag, anchor)
        people = _people(rng, counts.people, tag, anchor)
    tables = [Article, Article.people.through, Article.places.through]
    tables.append(Article.mentioned_sources.through)
    with bulk_load(tables):
        _articles(rng, counts.articles, tag, anchor, sources, places, people, progress)
    _finish()
    return counts.articles


@contextmanager
def bulk_load(models):
    """On PostgreSQL, load without secondary indexes and build them afterwards.

    Maintaining a dozen indexes (a GIN full-text index above all) row by row
    costs several times the load itself; building each once at the end is far
    cheaper. Primary keys and unique constraints stay, so nothing invalid can
    get in. The generated rows can be generated again, so commits need not
    wait for the disk.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i"
            " JOIN pg_class c ON c.relname = i.indexname"
            " JOIN pg_index x ON x.indexrelid = c.oid"
            " WHERE i.tablename = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary",
            [tables],
        )
        secondary = cursor.fetchall()
        for index, _definition in secondary:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(index)}")
        cursor.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _index, definition in secondary:
                cursor.execute(definition)
            cursor.execute("RESET synchronous_commit")
            cursor.execute("RESET maintenance_work_mem")


def _entity_row(model, pk, entity_name, tag, anchor, **fields):
    """A row in ``model``'s column order; slugs carry the seed so runs never collide."""
    slug = f"{slugify_text(entity_name, max_length=60) or model._meta.model_name}-{tag}-{pk}"
    row = {
        "id": pk,
        "slug": slug,
        "name": entity_name,
        "aliases": json.dumps([]),
        "never_link": json.dumps([]),
        "ambiguous": False,
        "created_at": anchor,
        "updated_at": anchor,
        "image_id": None,
        **fields,
    }
    return tuple(row[field.column] for field in model._meta.concrete_fields)


def _sources(rng, count, tag, anchor):
    start = next_id(Source)
    kinds = [SourceKind.AGENCY] * 3 + [SourceKind.OUTLET, SourceKind.GOVERNMENT]
    rows, made = [], []
    for offset in range(count):
        pk = start + offset
        source_name = (
            f"{synthetic.name(rng, 1)} {rng.choice(['News', 'Wire', 'Press', 'Ministry'])}"
        )
        source_name = f"{source_name} {pk}"
        rows.append(
            _entity_row(
                Source,
                pk,
                source_name,
                tag,
                anchor,
                kind=rng.choice(kinds),
                short_name="",
                url="",
                description="",
                needs_review=False,
            )
        )
        made.append((pk, source_name, rows[-1][1]))
    TableWriter(Source).write(rows)
    return made


def _places(rng, count, tag, anchor):
    """Regions, their countries, and cities and districts in those."""
    start = next_id(Place)
    rows, made = [], []
    regions = max(1, count // 200)
    countries = max(1, count // 20)
    for offset in range(count):
        pk = start + offset
        if offset < regions:
            kind, parent = PlaceKind.REGION, None
        elif offset < regions + countries:
            kind, parent = PlaceKind.COUNTRY, start + rng.randrange(regions)
        else:
            kind = rng.choice([PlaceKind.CITY, PlaceKind.CITY, PlaceKind.DISTRICT])
            parent = start + regions + rng.randrange(countries)
        place_name = f"{synthetic.name(rng, 1)}"
        latitude = round(rng.uniform(-60, 70), 6)
        longitude = round(rng.uniform(-180, 180), 6)
        rows.append(
            _entity_row(
                Place,
                pk,
                place_name,
                tag,
                anchor,
                kind=kind,
                parent_id=parent,
                latitude=latitude,
                longitude=longitude,
                wikidata_id="",
                geonames_id="",
            )
        )
        made.append((pk, place_name, rows[-1][1], kind))
    TableWriter(Place).write(rows)
    return made


def _people(rng, count, tag, anchor):
    start = next_id(Person)
    rows, made = [], []
    for offset in range(count):
        pk = start + offset
        person_name = synthetic.name(rng)
        rows.append(
            _entity_row(
                Person,
                pk,
                person_name,
                tag,
                anchor,
                title=rng.choice(synthetic.TITLES),
                honorific="",
                bio="",
                wikidata_id="",
            )
        )
        made.append((pk, person_name, rows[-1][1]))
    TableWriter(Person).write(rows)
    return made


def _status(rng, anchor):
    """A status and a publication time, as the mix says."""
    statuses, weights = zip(*STATUS_MIX, strict=True)
    status = rng.choices(statuses, weights=weights)[0]
    past = anchor - timedelta(seconds=rng.randrange(YEARS * 365 * 86400))
    if status == "scheduled":
        return Status.PUBLISHED, anchor + timedelta(seconds=rng.randrange(60, 30 * 86400))
    if status in (Status.DRAFT, Status.REVIEW):
        return status, None
    return status, past


def _articles(rng, count, tag, anchor, sources, places, people, progress):
    writer = synthetic.StoryWriter(rng)
    articles = TableWriter(Article)
    links = {
        "people": TableWriter(Article.people.through, ["article_id", "person_id"]),
        "places": TableWriter(Article.places.through, ["article_id", "place_id"]),
        "sources": TableWriter(Article.mentioned_sources.through, ["article_id", "source_id"]),
    }
    columns = [field.column for field in Article._meta.concrete_fields]
    cities = [place for place in places if place[3] != PlaceKind.REGION] or places
    start = next_id(Article)
    for batch_start in range(0, count, BATCH):
        rows, people_rows, place_rows, source_rows = [], [], [], []
        for offset in range(batch_start, min(count, batch_start + BATCH)):
            pk = start + offset
            status, published_at = _status(rng, anchor)
            source = sources[rng.randrange(len(sources))]
            chosen_places = rng.sample(cities, k=min(len(cities), rng.randint(2, 4)))
            chosen_people = rng.sample(people, k=min(len(people), rng.randint(1, 3)))
            mentions = [(p[1], f"/places/{p[2]}/") for p in chosen_places]
            mentions += [(p[1], f"/people/{p[2]}/") for p in chosen_people]
            headline, summary, body, body_html = writer.story(
                word_count=rng.randint(150, 600), mentions=mentions
            )
            created = (published_at or anchor) - timedelta(minutes=rng.randint(5, 600))
            updated = max(created, min(published_at or created, anchor))
            row = {
                "id": pk,
                "slug": f"{slugify_text(headline, max_length=60)}-{tag}-{offset + 1}",
                "headline": headline,
                "headline_needs_review": False,
                "summary": summary,
                "body": bodies.from_plain_text(body),
                "body_text": body,
                "body_html": body_html,
                "byline": f"By {source[1]}",
                "source_id": source[0],
                "lead_image_id": None,
                "section_id": None,  # sections are the desk's few, not generated
                "dateline_id": chosen_places[0][0],
                "status": status,
                "flag": "",
                "published_at": published_at,
                "created_at": created,
                "updated_at": updated,
                "revised_at": None,
                "created_by_id": None,
                "updated_by_id": None,
                "submitted_by_id": None,
                "submitted_at": updated if status == Status.REVIEW else None,
                "version": 1,
                "original_text": "",
            }
            rows.append(tuple(row[column] for column in columns))
            people_rows += [(pk, person[0]) for person in chosen_people]
            place_rows += [(pk, place[0]) for place in chosen_places]
            if rng.random() < 0.3:
                source_rows.append((pk, sources[rng.randrange(len(sources))][0]))
        with transaction.atomic():
            articles.write(rows)
            links["people"].write(people_rows)
            links["places"].write(place_rows)
            links["sources"].write(source_rows)
        if progress is not None:
            progress(len(rows))


def _finish():
    """Sequences past the ids written, fresh planner statistics, no stale caches."""
    models = [Source, Person, Place, Article]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            links = [Article.people.through, Article.places.through]
            for model in [*models, *links, Article.mentioned_sources.through]:
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        else:
            cursor.execute("ANALYZE")
    # Rows went in by COPY, past the ORM and its signals (invalidation.py).
    linking.bump_gazetteer_version()
    page_cache.newsroom_changed()
