"""What the reader site says about a story besides its text: the meta line under a
headline or teaser, the preview banner, and every time it shows, to readers and to machines."""

import html
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction, Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SEED_URL = "/articles/azerbaijans-defense-minister-warns-of-retaliation-if-armenia-fires-iskander/"

# HTML's "valid global date and time string": at most three digits of a second, and a zone.
GLOBAL_DATE_TIME = re.compile(
    r"\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]([01]\d|2[0-3]):[0-5]\d"
    r"(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)"
)
# What a reader sees for a zone: its abbreviation, or its offset from UTC.
ZONE_NAMES = {"UTC": {"UTC"}, "Europe/London": {"GMT", "BST"}, "Asia/Baku": {"UTC+04"}}


class TimeElements(HTMLParser):
    """Every <time> on a page: (its datetime attribute, its text, its title attribute)."""

    def __init__(self):
        super().__init__()
        self.found, self.open = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "time":
            self.open = [dict(attrs).get("datetime"), "", dict(attrs).get("title")]

    def handle_data(self, data):
        if self.open is not None:
            self.open[1] += data

    def handle_endtag(self, tag):
        if tag == "time" and self.open is not None:
            self.found.append(tuple(self.open))
            self.open = None


def times_on(page):
    parser = TimeElements()
    parser.feed(page)
    return parser.found


def text_of(page, css_class, tag="p"):
    """The text of the first ``<tag class="css_class">``, tags dropped, spaces collapsed."""
    inner = re.search(rf'<{tag} class="{css_class}"[^>]*>(.*?)</{tag}>', page, re.DOTALL)[1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", inner)).split())


def desk_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


class TestMetaLine:
    """Separators stand between the parts a story has, never beside a missing one."""

    @pytest.mark.parametrize(
        ("byline", "dateline", "source", "line"),
        [
            ("By Trend", "Baku", "Trend News Agency", "By Trend · Baku · Trend News Agency"),
            ("", "Baku", "Trend News Agency", "Baku · Trend News Agency"),
            ("By Trend", "", "Trend News Agency", "By Trend · Trend News Agency"),
            ("By Trend", "Baku", "", "By Trend · Baku"),
            ("", "", "", ""),
        ],
    )
    def test_the_preview_of_an_undated_draft(self, editor, byline, dateline, source, line):
        draft = ArticleFactory(
            byline=byline,
            dateline=PlaceFactory(name=dateline) if dateline else None,
            source=SourceFactory(name=source) if source else None,
        )
        assert draft.published_at is None
        page = desk_client(editor).get(preview_url(draft)).text
        assert text_of(page, "meta") == line

    def test_a_public_story_shows_who_and_where_then_when(self, client):
        story = ArticleFactory(
            public=True,
            byline="By Trend",
            dateline=PlaceFactory(name="Baku"),
            source=SourceFactory(name="Trend News Agency"),
            published_at=datetime(2020, 10, 6, 8, 0, tzinfo=UTC),
        )
        page = client.get(story.get_absolute_url()).text
        assert text_of(page, "meta") == "By Trend · Baku · Trend News Agency"
        assert text_of(page, "dates") == "Published 6 October 2020, 08:00 UTC · 1 min read"

    def test_a_credit_made_from_authors_and_source_names_the_source_once(self, client):
        story = ArticleFactory(
            public=True,
            byline="",
            authors=[AuthorFactory(name="Jane Doe")],
            dateline=PlaceFactory(name="Baku"),
            source=SourceFactory(name="Trend News Agency", short_name="Trend"),
        )
        page = client.get(story.get_absolute_url()).text
        assert text_of(page, "meta") == "By Jane Doe, Trend · Baku"

    # A teaser credits its source (no staff authors here), then the dateline and time.
    @pytest.mark.parametrize(
        ("dateline", "source", "line"),
        [
            ("Baku", "Trend News Agency", "Trend News Agency · Baku · 6 Oct 2020"),
            ("", "Trend News Agency", "Trend News Agency · 6 Oct 2020"),
            ("Baku", "", "Baku · 6 Oct 2020"),
            ("", "", "6 Oct 2020"),
        ],
    )
    def test_a_teaser(self, client, dateline, source, line):
        ArticleFactory(
            public=True,
            dateline=PlaceFactory(name=dateline) if dateline else None,
            source=SourceFactory(name=source) if source else None,
            published_at=datetime(2020, 10, 6, 8, 0, tzinfo=UTC),
        )
        assert text_of(client.get("/").text, "meta") == line


class TestPreviewBanner:
    @pytest.mark.parametrize(
        ("state", "banner"),
        [
            ({"status": Status.DRAFT}, "a draft; readers cannot see it yet."),
            ({"status": Status.REVIEW}, "in review; readers cannot see it yet."),
            (
                {"status": Status.ARCHIVED, "published_at": datetime(2020, 10, 6, 8, tzinfo=UTC)},
                "archived; readers can no longer see it.",
            ),
            (
                {"status": Status.PUBLISHED, "published_at": datetime(2030, 10, 6, 8, tzinfo=UTC)},
                "scheduled for 6 October 2030, 08:00 UTC; readers cannot see it until then.",
            ),
            ({"public": True}, "published."),
        ],
        ids=["draft", "review", "archived", "scheduled", "public"],
    )
    def test_says_what_state_the_story_is_in(self, editor, state, banner):
        article = ArticleFactory(**state)
        page = desk_client(editor).get(preview_url(article)).text
        assert text_of(page, "preview-banner") == f"Preview: this story is {banner}"


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("UTC", "6 October 2020, 08:00 UTC"),
        ("Europe/London", "6 October 2020, 09:00 BST"),
        ("Asia/Baku", "6 October 2020, 12:00 UTC+04"),
    ],
)
def test_a_time_states_the_newsrooms_zone(client, seed, settings, zone, shown):
    settings.TIME_ZONE = zone
    found = [(machine, text) for machine, text, _ in times_on(client.get(SEED_URL).text)]
    assert ("2020-10-06T08:00:00+00:00", shown) in found


class TestEveryTimeOnEveryPage:
    """Times saved live carry microseconds: every <time> on every page is still valid HTML,
    and says the same instant to readers, in the newsroom's zone, in one format (a
    teaser's short form, "14:05" today or "6 Oct 2020", with the full one as its title)."""

    @pytest.fixture
    def live_times(self, editor):
        def live(**offset):
            return (timezone.now() + timedelta(**offset)).replace(microsecond=123456)

        ganja, hasanov, trend = PlaceFactory(name="Ganja"), PersonFactory(), SourceFactory()
        links = {"places": [ganja], "people": [hasanov], "source": trend}
        story = ArticleFactory(public=True, published_at=live(hours=-2), headline="Story", **links)
        ArticleFactory(public=True, published_at=live(hours=-3), headline="Related", **links)
        Correction.objects.create(article=story, text="A correction.", created_at=live(hours=-1))
        scheduled = ArticleFactory(status=Status.PUBLISHED, published_at=live(days=2), **links)
        story.refresh_from_db()
        assert story.updated_at.microsecond  # saved live
        return {
            "/": 2,
            story.get_absolute_url(): 3,  # its time, its correction's, a related story's
            ganja.get_absolute_url(): 2,
            hasanov.get_absolute_url(): 2,
            trend.get_absolute_url(): 2,
            "/search/?q=story": 1,
            "/corrections/": 1,
            preview_url(scheduled): 2,  # the banner's time and the story's
        }

    @pytest.mark.parametrize("zone", ZONE_NAMES)
    def test_valid_and_stating_the_zone(self, editor, settings, live_times, zone):
        settings.TIME_ZONE = zone
        client = desk_client(editor)
        for url, expected in live_times.items():
            found = times_on(client.get(url).text)
            assert len(found) >= expected, url
            for machine, shown, title in found:
                assert GLOBAL_DATE_TIME.fullmatch(machine), f"{url}: datetime={machine!r}"
                local = datetime.fromisoformat(machine).astimezone(ZoneInfo(zone))
                if title is not None:
                    today = local.date() == timezone.localdate(timezone=ZoneInfo(zone))
                    short = f"{local:%H:%M}" if today else f"{local.day} {local:%b %Y}"
                    assert shown == short, url
                    shown = title
                when, name = shown.rsplit(" ", 1)
                assert when == f"{local.day} {local:%B %Y, %H:%M}", url
                assert name in ZONE_NAMES[zone], url
