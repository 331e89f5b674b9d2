"""The feeds as a feed reader and a validator read them: the exact bytes, parsed."""

import html
import threading
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import pytest
from django.test import RequestFactory

from articles import editorial, feeds
from articles.models import Article
from tests.factories import ArticleFactory, PlaceFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
HOST = "news.example.org"
HOSTILE_LEAD = 'Read <a href="https://evil.example/">this</a> & <b>that</b>'


@pytest.fixture(autouse=True)
def hosts(settings):
    settings.ALLOWED_HOSTS = [HOST, "other.example.org", "testserver"]


def feed_xml(client, url):
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def atom_ids(client, url="/feed/atom/"):
    return [entry.find(f"{ATOM}id").text for entry in feed_xml(client, url).iter(f"{ATOM}entry")]


def rss_guids(client, url="/feed/"):
    return [guid.text for guid in feed_xml(client, url).iter("guid")]


def expected_id(article, host=HOST):
    return f"tag:{host},{article.created_at:%Y-%m-%d}:articles/{article.pk}"


class Tags(HTMLParser):
    """The elements an HTML reading of some text would create."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def tags_in(text):
    parser = Tags()
    parser.feed(text)
    return parser.tags


class TestIds:
    def test_atom_entry_ids_are_absolute_iris(self, client):
        stories = ArticleFactory.create_batch(3, public=True)
        ids = atom_ids(client)
        assert sorted(ids) == sorted(expected_id(story) for story in stories)
        assert all(urlsplit(entry_id).scheme == "tag" for entry_id in ids)

    def test_rss_guids_are_the_same_ids(self, client):
        story = ArticleFactory(public=True)
        guid = feed_xml(client, "/feed/").find("channel/item/guid")
        assert (guid.text, guid.get("isPermaLink")) == (expected_id(story), "false")

    def test_entity_feeds_too(self, client):
        story = ArticleFactory(public=True, places=[PlaceFactory(name="Ganja")])
        assert rss_guids(client, "/places/ganja/feed/") == [expected_id(story)]

    def test_an_edit_keeps_the_id(self, client):
        story = ArticleFactory(public=True, headline="First headline")
        before = atom_ids(client), rss_guids(client)
        story.headline, story.slug = "Second headline", "second-headline"
        story.published_at -= timedelta(minutes=30)
        story.save()
        assert (atom_ids(client), rss_guids(client)) == before

    def test_a_port_is_not_part_of_the_id(self, client):
        story = ArticleFactory(public=True)
        response = client.get("/feed/atom/", HTTP_HOST=f"{HOST}:8443")
        assert expected_id(story).encode() in response.content

    def test_the_validators_read_them(self, client, seed):
        for url in ("/feed/", "/feed/atom/"):
            parsed = feedparser.parse(client.get(url, HTTP_HOST=HOST).content)
            assert not parsed.bozo, parsed.bozo_exception
            assert parsed.entries[0].id.startswith(f"tag:{HOST},")

    def test_concurrent_requests_each_get_their_own_host(self, monkeypatch):
        """The feed is one shared instance: two requests at once must not see each other's."""
        ArticleFactory.create_batch(2, public=True)
        stories = list(Article.objects.public().for_feed())
        both_inside = threading.Barrier(2, timeout=10)

        def items_when_both_are_inside(self, obj=None):
            both_inside.wait()
            return stories

        monkeypatch.setattr(feeds.LatestArticlesAtomFeed, "items", items_when_both_are_inside)
        shared = feeds.LatestArticlesAtomFeed()
        answers = {}

        def read(host):
            answers[host] = shared(RequestFactory().get("/feed/atom/", HTTP_HOST=host)).content

        threads = [
            threading.Thread(target=read, args=(host,)) for host in (HOST, "other.example.org")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for host, content in answers.items():
            ids = [
                e.find(f"{ATOM}id").text
                for e in ElementTree.fromstring(content).iter(f"{ATOM}entry")
            ]
            assert ids == [expected_id(story, host) for story in stories]
        assert not hasattr(shared, "request")


class TestTextAndHtml:
    """A lead is text: what a reader shows is its characters. The body is the reader HTML."""

    @pytest.fixture
    def story(self):
        article = ArticleFactory(
            public=True,
            summary=HOSTILE_LEAD,
            body='First, <script>alert(1)</script> in Ganja.\n\nThen <a href="x">more</a>.',
        )
        editorial.render(article)
        article.refresh_from_db()
        assert "<p>" in article.body_html and "<script>" not in article.body_html
        return article

    def test_atom_summary_is_text_and_content_is_the_sanitised_body(self, client, story):
        entry = next(feed_xml(client, "/feed/atom/").iter(f"{ATOM}entry"))
        summary, content = entry.find(f"{ATOM}summary"), entry.find(f"{ATOM}content")
        assert (summary.get("type"), summary.text) == ("text", HOSTILE_LEAD)
        assert (content.get("type"), content.text) == ("html", story.body_html)

    @pytest.mark.parametrize("url", ["/feed/", "/places/ganja/feed/"])
    def test_rss_description_shows_as_text_to_a_reader_reading_html(self, client, story, url):
        story.places.add(PlaceFactory(name="Ganja"))
        item = feed_xml(client, url).find("channel/item")
        description = item.find("description").text
        assert tags_in(description) == []  # nothing a reader would turn into markup
        assert html.unescape(description) == HOSTILE_LEAD  # but every character it typed
        assert item.find(CONTENT).text == story.body_html

    def test_a_feed_reader_shows_the_lead_as_typed(self, client, story):
        for url in ("/feed/", "/feed/atom/"):
            entry = feedparser.parse(client.get(url, HTTP_HOST=HOST).content).entries[0]
            shown = entry.summary if entry.summary_detail.type == "text/plain" else None
            if shown is None:  # HTML: what a reader renders is its text
                assert "a" not in tags_in(entry.summary)
                shown = html.unescape(entry.summary)
            assert shown == HOSTILE_LEAD, url
            body = entry.content[0].value  # the reader HTML: paragraphs, the rest text
            assert set(tags_in(body)) == {"p"}, url
            assert "<script>alert(1)</script>" in html.unescape(body), url

    def test_a_story_without_a_summary_leads_with_its_first_paragraph_as_text(self, client):
        ArticleFactory(public=True, summary="", body="Tanks <b>near</b> Ganja.\n\nMore.")
        entry = next(feed_xml(client, "/feed/atom/").iter(f"{ATOM}entry"))
        assert entry.find(f"{ATOM}summary").text == "Tanks <b>near</b> Ganja."
        assert entry.find(f"{ATOM}content") is None  # no reader HTML rendered yet
