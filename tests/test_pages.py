"""The reader site: every public address, what it shows, and what it never shows."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from articles import editorial, kinds, page_cache
from articles.models import Article, Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PersonFactory,
    PlaceFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SEED_URL = "/articles/azerbaijans-defense-minister-warns-of-retaliation-if-armenia-fires-iskander/"


def jsonld_of(response):
    block = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.text, re.DOTALL
    )
    return json.loads(block.group(1))


class TestHome:
    def test_shows_the_seed_article(self, client, seed):
        response = client.get("/")
        assert response.status_code == 200
        assert "Azerbaijan’s defense minister warns" in response.text

    def test_twenty_a_page_newest_first(self, client):
        now = timezone.now()
        for n in range(45):
            ArticleFactory(
                headline=f"Story {n:02d}", public=True, published_at=now - timedelta(minutes=n)
            )
        first = client.get("/")
        headlines = [a.headline for a in first.context["articles"]]
        assert headlines[:2] == ["Story 00", "Story 01"] and len(headlines) == 20
        assert 'rel="next" href="?page=2"' in first.text
        third = client.get("/", {"page": 3})
        assert [a.headline for a in third.context["articles"]] == [
            f"Story {n}" for n in range(40, 45)
        ]
        assert 'rel="next"' not in third.text

    @pytest.mark.parametrize("page", ["4", "0", "-1", "two", "99999999999"])
    def test_a_page_out_of_range_is_404(self, client, page):
        ArticleFactory.create_batch(3, public=True)
        assert client.get("/", {"page": page}).status_code == 404


class TestArticlePage:
    def test_the_story_with_its_facts(self, client, seed):
        response = client.get(SEED_URL)
        assert response.status_code == 200
        text = response.text
        assert '<time datetime="2020-10-06T08:00:00+00:00">' in text
        assert "By Trend" in text
        assert 'href="/sources/trend/"' in text
        assert 'href="/places/baku/"' in text  # the dateline
        assert 'href="/people/zakir-hasanov/"' in text
        assert f'<link rel="canonical" href="http://testserver{SEED_URL}">' in text
        assert '<meta property="og:title"' in text and 'name="twitter:card"' in text

    def test_the_first_mention_of_each_linked_entity_is_a_link(self, client, seed):
        from articles.models import Article

        article = Article.objects.get()
        editorial.render(article)
        body = client.get(SEED_URL).context["article"].body_html
        assert body.count('href="/places/ganja/"') == 1
        assert '<a href="/people/zakir-hasanov/" class="mention">Zakir Hasanov</a>' in body
        assert '<a href="/places/azerbaijan/" class="mention">Azerbaijani</a>' in body
        assert body.count("<p>") == 10

    def test_structured_data(self, client, seed, editor):
        from articles.models import Article

        editorial.correct(Article.objects.get(), "The meeting was on October 6.", by=editor)
        data = jsonld_of(client.get(SEED_URL))
        assert data["@type"] == "NewsArticle"
        assert data["headline"].startswith("Azerbaijan’s defense minister")
        assert data["datePublished"] == "2020-10-06T08:00:00+00:00"
        assert data["dateModified"] > data["datePublished"]
        stored = Article.objects.get()
        assert data["wordCount"] == len(stored.body_text.split()) == 284
        assert f"{stored.reading_minutes} min read" in client.get(SEED_URL).text
        assert data["author"] == [
            {
                "@type": "Organization",
                "name": "Trend News Agency",
                "url": "http://testserver/sources/trend/",
                "sameAs": ["https://en.trend.az/"],
            }
        ]
        assert data["publisher"] == {
            "@type": "NewsMediaOrganization",
            "name": "Newsroom",
            "url": "http://testserver/",
            "logo": {
                "@type": "ImageObject",
                "url": "http://testserver/static/logo.png",
                "width": 192,
                "height": 192,
            },
        }
        about = {thing["name"]: thing for thing in data["about"]}
        assert set(about) == {"Zakir Hasanov"}
        mentions = {thing["name"]: thing for thing in data["mentions"]}
        assert mentions["Azerbaijan"]["sameAs"] == ["https://www.wikidata.org/wiki/Q227"]
        assert "sameAs" not in mentions["Ganja"]
        assert data["correction"][0]["text"] == "The meeting was on October 6."

    def test_the_publishers_logo_is_served_at_its_size(self, client):
        import struct

        data = jsonld_of(client.get(ArticleFactory(public=True, source=None).get_absolute_url()))
        assert data["author"] == [data["publisher"]]  # no agency: the newsroom wrote it
        logo = data["publisher"]["logo"]
        response = client.get(logo["url"])
        assert (response.status_code, response["Content-Type"]) == (200, "image/png")
        png = b"".join(response.streaming_content)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert struct.unpack(">II", png[16:24]) == (logo["width"], logo["height"])
        assert logo["width"] >= 112  # the smallest logo Google's guidelines take

    def test_structured_data_cannot_be_broken_out_of(self, client):
        article = ArticleFactory(public=True, summary="</script><script>alert(1)</script>")
        response = client.get(article.get_absolute_url())
        assert "</script><script>alert(1)" not in response.text
        assert jsonld_of(response)["description"] == "</script><script>alert(1)</script>"

    def test_related_stories_share_a_person_or_place(self, client):
        ganja, hasanov = PlaceFactory(name="Ganja"), PersonFactory(name="Zakir Hasanov")
        article = ArticleFactory(public=True, places=[ganja])
        by_place = ArticleFactory(public=True, headline="Also Ganja", places=[ganja])
        by_person = ArticleFactory(public=True, headline="Also Hasanov", people=[hasanov])
        article.people.add(hasanov)
        ArticleFactory(public=True, headline="Unrelated")
        ArticleFactory(headline="Draft about Ganja", places=[ganja])
        related = list(client.get(article.get_absolute_url()).context["related"])
        assert set(related) == {by_place, by_person}

    def test_a_renamed_story_answers_301_at_its_old_address(self, client):
        article = ArticleFactory(public=True, headline="Old headline")
        old_url = article.get_absolute_url()
        article.slug = "new-headline"
        article.save()
        response = client.get(old_url)
        assert response.status_code == 301
        assert response["Location"] == "/articles/new-headline/"
        assert client.get("/articles/new-headline/").status_code == 200

    def test_a_renamed_draft_is_the_same_404(self, client):
        article = ArticleFactory(headline="Secret")
        old = article.get_absolute_url()
        article.slug = "still-secret"
        article.save()
        assert client.get(old).status_code == 404

    def test_a_slug_taken_back_is_no_longer_redirected(self, client):
        first = ArticleFactory(public=True, slug="first")
        first.slug = "renamed"
        first.save()
        ArticleFactory(public=True, slug="first", headline="A new first")
        response = client.get("/articles/first/")
        assert response.status_code == 200
        assert response.context["article"].headline == "A new first"


class TestEntityPages:
    def test_a_place_with_its_parent_chain_and_stories(self, client, seed):
        response = client.get("/places/ganja/")
        assert response.status_code == 200
        assert 'href="/places/azerbaijan/"' in response.text
        assert 'href="/places/south-caucasus/"' in response.text
        assert "40.6828, 46.3606" in response.text
        assert SEED_URL in response.text
        assert 'href="/places/ganja/feed/"' in response.text

    def test_a_person_and_a_source(self, client, seed):
        person = client.get("/people/zakir-hasanov/")
        assert "Colonel-General, Minister of Defense of Azerbaijan" in person.text
        assert SEED_URL in person.text
        source = client.get("/sources/trend/")
        assert "News agency" in source.text and "https://en.trend.az/" in source.text
        assert SEED_URL in source.text

    def test_a_source_page_lists_stories_it_supplied_or_is_named_in(self, client):
        ministry = SourceFactory(name="Ministry of Defense")
        supplied = ArticleFactory(public=True, source=ministry, headline="Supplied")
        named = ArticleFactory(public=True, headline="Named")
        named.mentioned_sources.add(ministry)
        articles = client.get(ministry.get_absolute_url()).context["articles"]
        assert set(articles) == {supplied, named}

    def test_the_seed_story_is_about_the_place_it_was_filed_from(self, client, seed):
        import feedparser

        assert SEED_URL in client.get("/places/baku/").text
        counts = {e.name: e.story_count for e in client.get("/places/").context["entities"]}
        assert counts["Baku"] == 1
        feed = feedparser.parse(client.get("/places/baku/feed/").content)
        assert [entry.link.endswith(SEED_URL) for entry in feed.entries] == [True]
        found = client.get("/search/", {"q": "Iskander", "place": "baku"}).context["articles"]
        assert [article.get_absolute_url() for article in found] == [SEED_URL]
        api_results = client.get("/api/v1/articles/", {"place": "baku"}).json()["results"]
        assert [story["url"] for story in api_results] == [f"http://testserver{SEED_URL}"]

    def test_a_story_filed_from_a_place_it_also_names_counts_once(self, client):
        baku = PlaceFactory(name="Baku")
        filed = ArticleFactory(public=True, dateline=baku, headline="Filed from Baku")
        both = ArticleFactory(public=True, dateline=baku, places=[baku], headline="Both")
        ArticleFactory(dateline=baku, headline="A draft filed from Baku")
        assert set(client.get("/places/baku/").context["articles"]) == {filed, both}
        counts = {e.name: e.story_count for e in client.get("/places/").context["entities"]}
        assert counts["Baku"] == 2

    @pytest.mark.parametrize("url", ["/people/", "/places/", "/sources/"])
    def test_indexes_are_alphabetical_with_counts(self, client, seed, url):
        response = client.get(url)
        names = [entity.name for entity in response.context["entities"]]
        assert names == sorted(names)
        assert "1 story" in response.text

    def test_index_counts_are_public_stories_only(self, client):
        ganja = PlaceFactory(name="Ganja")
        ArticleFactory.create_batch(2, public=True, places=[ganja])
        ArticleFactory(places=[ganja])
        response = client.get("/places/")
        assert {e.name: e.story_count for e in response.context["entities"]}["Ganja"] == 2

    def test_indexes_and_sitemaps_list_only_entities_with_a_public_story(self, client, editor):
        """A source made from a draft's byline says nothing about the desk's work."""
        from articles import intake

        draft = intake.take_in("By Jane Doe, Quiet Wire\n\nTalks went on.", by=editor).article
        assert draft.source.name == "Quiet Wire"
        assert "Quiet Wire" not in client.get("/sources/").text
        assert "/sources/quiet-wire/" not in client.get("/sitemap-sources.xml").text
        editorial.publish(draft, by=editor)
        assert "Quiet Wire" in client.get("/sources/").text
        assert "/sources/quiet-wire/" in client.get("/sitemap-sources.xml").text

    def test_a_renamed_place_answers_301(self, client):
        place = PlaceFactory(name="Ganja")
        place.slug = "ganja-city"
        place.save()
        response = client.get("/places/ganja/")
        assert (response.status_code, response["Location"]) == (301, "/places/ganja-city/")

    def test_an_unknown_entity_is_404(self, client):
        assert client.get("/people/nobody/").status_code == 404


class TestAuthors:
    """The newsroom's writers: their pages, their feeds, and the stories that credit them."""

    @pytest.fixture
    def newsroom(self):
        trend = SourceFactory(name="Trend News Agency", short_name="Trend")
        jane = AuthorFactory(name="Jane Doe", title="Baku correspondent", bio="Covers energy.")
        john = AuthorFactory(name="John Roe", title="")
        story = ArticleFactory(
            public=True,
            headline="Gas exports rise",
            byline="",
            authors=[jane, john],
            source=trend,
            dateline=PlaceFactory(name="Baku"),
            published_at=timezone.now() - timedelta(hours=2),
        )
        alone = ArticleFactory(public=True, headline="Jane alone", byline="", authors=[jane])
        draft = ArticleFactory(headline="Jane's draft", authors=[jane])
        return {"jane": jane, "john": john, "story": story, "alone": alone, "draft": draft}

    def test_an_author_page_lists_their_public_stories(self, client, newsroom):
        response = client.get("/authors/jane-doe/")
        assert response.status_code == 200
        assert set(response.context["articles"]) == {newsroom["story"], newsroom["alone"]}
        text = response.text
        assert "<h1>Jane Doe</h1>" in text and "Baku correspondent" in text
        assert "Covers energy." in text
        assert 'href="/authors/jane-doe/feed/"' in text
        assert '<meta name="description" content="Stories by Jane Doe from Newsroom.">' in text

    def test_the_index_counts_public_stories(self, client, newsroom):
        AuthorFactory(name="Nobody Yet")  # no public story: not listed
        response = client.get("/authors/")
        counts = {e.name: e.story_count for e in response.context["entities"]}
        assert counts == {"Jane Doe": 2, "John Roe": 1}
        assert "2 stories" in response.text and "1 story" in response.text
        assert 'href="/authors/"' in client.get("/").text  # in the site's navigation

    def test_an_author_feed(self, client, newsroom):
        import feedparser

        feed = feedparser.parse(client.get("/authors/jane-doe/feed/").content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.description == "The latest stories by Jane Doe."
        assert [entry.title for entry in feed.entries] == ["Jane alone", "Gas exports rise"]
        assert feed.entries[1].author == "Jane Doe and John Roe"

    def test_the_story_credits_its_authors_with_links(self, client, newsroom):
        story = newsroom["story"]
        page = client.get(story.get_absolute_url()).text
        meta = re.search(r'<p class="meta">(.*?)</p>', page, re.DOTALL)[1]
        assert (
            '<span class="byline">By <a href="/authors/jane-doe/" rel="author">Jane Doe</a> and '
            '<a href="/authors/john-roe/" rel="author">John Roe</a>, Trend</span>'
        ) in meta
        assert "Written by" in page
        assert '<a href="/authors/jane-doe/" rel="author">Jane Doe</a>, Baku correspondent' in page

    def test_a_typed_byline_wins_and_the_authors_are_still_linked(self, client, newsroom):
        story = newsroom["story"]
        Article.objects.filter(pk=story.pk).update(byline="By our energy desk")
        page = client.get(story.get_absolute_url()).text
        assert '<span class="byline">By our energy desk</span>' in page
        assert '<a href="/authors/john-roe/" rel="author">John Roe</a>' in page

    def test_teasers_credit_the_authors(self, client, newsroom):
        page = client.get("/").text
        assert (
            '<span class="byline">By <a href="/authors/jane-doe/" rel="author">Jane Doe</a> and '
            '<a href="/authors/john-roe/" rel="author">John Roe</a></span>'
        ) in page

    def test_structured_data_names_the_authors_then_the_agency(self, client, newsroom):
        data = jsonld_of(client.get(newsroom["story"].get_absolute_url()))
        assert data["author"] == [
            {
                "@type": "Person",
                "name": "Jane Doe",
                "url": "http://testserver/authors/jane-doe/",
                "jobTitle": "Baku correspondent",
            },
            {"@type": "Person", "name": "John Roe", "url": "http://testserver/authors/john-roe/"},
            {
                "@type": "Organization",
                "name": "Trend News Agency",
                "url": "http://testserver/sources/trend-news-agency/",
            },
        ]
        alone = jsonld_of(client.get(newsroom["alone"].get_absolute_url()))
        assert [thing["@type"] for thing in alone["author"]] == ["Person", "Organization"]

    def test_search_narrows_to_an_author(self, client, newsroom):
        found = client.get("/search/", {"q": "story OR gas OR jane", "author": "john-roe"})
        assert list(found.context["articles"]) == [newsroom["story"]]

    def test_a_renamed_author_answers_301(self, client, newsroom):
        jane = newsroom["jane"]
        jane.slug = "jane-doe-baku"
        jane.save()
        response = client.get("/authors/jane-doe/")
        assert (response.status_code, response["Location"]) == (301, "/authors/jane-doe-baku/")


class TestCanonicalAddresses:
    def canonical(self, response):
        return re.findall(r'<link rel="canonical" href="([^"]*)">', response.text)

    @pytest.mark.parametrize(
        "url",
        [
            *("/", "/people/", "/places/", "/sources/", "/authors/", "/corrections/"),
            *("/places/ganja/", SEED_URL),
        ],
    )
    def test_every_indexable_page_names_its_own(self, client, seed, url):
        assert self.canonical(client.get(url)) == [f"http://testserver{url}"]

    @pytest.mark.parametrize("url", ["/", "/people/", "/places/ganja/"])
    def test_a_later_page_keeps_its_number_and_drops_the_rest(self, client, url):
        ganja, people = PlaceFactory(name="Ganja"), PersonFactory.create_batch(101)
        ArticleFactory.create_batch(21, public=True, places=[ganja], people=people)
        response = client.get(url, {"page": 2, "utm_source": "newsletter"})
        assert self.canonical(response) == [f"http://testserver{url}?page=2"]

    def test_search_has_none_as_it_is_not_indexed(self, client, seed):
        response = client.get("/search/", {"q": "Iskander"})
        assert self.canonical(response) == []
        assert '<meta name="robots" content="noindex">' in response.text

    def test_a_preview_has_none(self, client, editor):
        client.force_login(editor)
        response = client.get(reverse("admin:articles_article_preview", args=[ArticleFactory().pk]))
        assert self.canonical(response) == []


class TestHostileAddresses:
    """Whatever a visitor types into an address is a friendly page, never a 500 (both databases)."""

    # Past a 64-bit OFFSET at 20, 50 or 100 a page; a digit int() refuses; more digits than int()
    # reads.
    IMPOSSIBLE_PAGES = ["99999999999999999999", "461168601842738791", "²", "1" * 5000]

    @pytest.mark.parametrize("page", IMPOSSIBLE_PAGES)
    @pytest.mark.parametrize(
        ("path", "query"),
        [
            ("/", {}),
            ("/people/", {}),
            ("/places/ganja/", {}),
            ("/corrections/", {}),
            ("/search/", {"q": "story"}),
        ],
    )
    def test_a_page_that_cannot_exist_is_404(self, path, query, page):
        ArticleFactory(public=True, headline="A story", places=[PlaceFactory(name="Ganja")])
        response = Client(raise_request_exception=False).get(path, {**query, "page": page})
        assert response.status_code == 404

    @pytest.mark.parametrize("name", [kind.name for kind in kinds.KINDS])
    def test_a_nul_byte_in_a_filter_is_an_empty_result(self, name):
        ArticleFactory(public=True, headline="A story")
        response = Client(raise_request_exception=False).get(
            "/search/", {"q": "story", name: "\x00"}
        )
        assert response.status_code == 200
        assert list(response.context["articles"]) == []

    def test_a_nul_byte_in_the_query_is_a_space(self):
        wanted = ArticleFactory(public=True, headline="A story")
        response = Client(raise_request_exception=False).get("/search/", {"q": "story\x00"})
        assert response.status_code == 200
        assert list(response.context["articles"]) == [wanted]

    def test_a_filter_naming_no_slug_asks_the_database_nothing(
        self, client, django_assert_num_queries, settings
    ):
        settings.PAGE_CACHE_SECONDS = 0
        page_cache.navigation_sections()  # kept from an earlier page, as on a running site
        page_cache.footer_site_pages()
        with django_assert_num_queries(0):
            response = client.get("/search/", {"q": "story", "place": "not a slug"})
        assert list(response.context["articles"]) == []


NON_PUBLIC = [
    {"status": Status.DRAFT},
    {"status": Status.REVIEW},
    {"status": Status.ARCHIVED, "published_at": timezone.now() - timedelta(days=1)},
    {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
]


@pytest.mark.parametrize("attributes", NON_PUBLIC, ids=["draft", "review", "archived", "scheduled"])
def test_a_non_public_story_reaches_no_page_feed_sitemap_or_search(client, attributes):
    place, person, source, author = (
        PlaceFactory(),
        PersonFactory(),
        SourceFactory(),
        AuthorFactory(),
    )
    # An author of the secret story alone is on no index or sitemap either.
    unseen = AuthorFactory(name="Unseen Zebrawriter")
    # A section is listed in the navigation whatever its stories: its pages and feeds
    # still show the public ones only.
    section, quiet = SectionFactory(), SectionFactory(name="Quiet zebra desk")
    secret = ArticleFactory(
        headline="Secretive zebra story",
        places=[place],
        people=[person],
        authors=[author, unseen],
        source=source,
        section=section,
        **attributes,
    )
    secret.mentioned_sources.add(source)
    ArticleFactory(headline="Secretive zebra aside", section=quiet, **attributes)
    visible = ArticleFactory(
        public=True,
        places=[place],
        people=[person],
        authors=[author],
        source=source,
        section=section,
    )
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert (
        client.get(secret.get_absolute_url()).content
        == client.get("/articles/never-existed/").content
    )
    for url in [
        "/",
        place.get_absolute_url(),
        person.get_absolute_url(),
        source.get_absolute_url(),
        "/search/?q=zebra",
        "/feed/",
        "/feed/atom/",
        f"/places/{place.slug}/feed/",
        f"/people/{person.slug}/feed/",
        f"/sources/{source.slug}/feed/",
        author.get_absolute_url(),
        f"/authors/{author.slug}/feed/",
        unseen.get_absolute_url(),
        f"/authors/{unseen.slug}/feed/",
        "/authors/",
        "/sitemap-authors.xml",
        section.get_absolute_url(),
        f"/sections/{section.slug}/feed/",
        f"/sections/{section.slug}/feed/atom/",
        quiet.get_absolute_url(),
        f"/sections/{quiet.slug}/feed/",
        f"/sections/{quiet.slug}/feed/atom/",
        "/sections/",
        "/sitemap-sections.xml",
        "/sitemap-articles.xml",
        "/news-sitemap.xml",
        "/corrections/",
        visible.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "secretive" not in response.content.decode().lower(), url
        assert secret.slug not in response.content.decode(), url
    for listing in ["/authors/", "/sitemap-authors.xml"]:
        assert unseen.slug not in client.get(listing).content.decode(), listing
    # A section with no public story is on no index or sitemap (the navigation has them all).
    index = client.get("/sections/").text.split('class="entity-index"', 1)[1]
    assert section.slug in index and quiet.slug not in index
    assert quiet.slug not in client.get("/sitemap-sections.xml").content.decode()


class TestFeeds:
    def test_rss(self, client, seed):
        import feedparser

        feed = feedparser.parse(client.get("/feed/").content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == "rss20"
        entry = feed.entries[0]
        assert entry.title.startswith("Azerbaijan’s defense minister")
        assert entry.link.endswith(SEED_URL)
        assert entry.published_parsed[:3] == (2020, 10, 6)
        assert {tag.term for tag in entry.tags} >= {"Ganja", "Zakir Hasanov"}

    def test_atom(self, client, seed):
        import feedparser

        feed = feedparser.parse(client.get("/feed/atom/").content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == "atom10"
        assert feed.entries[0].author == "Trend News Agency"

    @pytest.mark.parametrize("url", ["/places/ganja/feed/", "/people/zakir-hasanov/feed/"])
    def test_entity_feeds(self, client, seed, url):
        import feedparser

        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo
        assert [entry.link.endswith(SEED_URL) for entry in feed.entries] == [True]

    def test_an_unknown_entity_feed_is_404(self, client):
        assert client.get("/places/nowhere/feed/").status_code == 404


class TestSitemaps:
    NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

    def test_the_index_lists_every_section(self, client, seed):
        root = ElementTree.fromstring(client.get("/sitemap.xml").content)
        locations = [loc.text for loc in root.findall("s:sitemap/s:loc", self.NS)]
        assert {url.rsplit("/", 1)[1] for url in locations} == {
            f"sitemap-{section}.xml"
            for section in [
                *("pages", "site-pages", "articles"),
                *("people", "places", "sources", "authors", "sections"),
            ]
        }

    def test_the_articles_section(self, client, seed):
        root = ElementTree.fromstring(client.get("/sitemap-articles.xml").content)
        urls = [loc.text for loc in root.findall("s:url/s:loc", self.NS)]
        assert urls == [f"http://testserver{SEED_URL}"]
        assert root.find("s:url/s:lastmod", self.NS) is not None

    def test_the_news_sitemap_has_the_last_two_days(self, client):
        now = timezone.now()
        fresh = ArticleFactory(public=True, headline="Fresh <news> & more")
        ArticleFactory(status=Status.PUBLISHED, published_at=now - timedelta(hours=49))
        response = client.get("/news-sitemap.xml")
        assert response["Content-Type"].startswith("application/xml")
        root = ElementTree.fromstring(response.content)
        news = {"s": self.NS["s"], "n": "http://www.google.com/schemas/sitemap-news/0.9"}
        urls = root.findall("s:url", news)
        assert [u.find("s:loc", news).text for u in urls] == [
            f"http://testserver{fresh.get_absolute_url()}"
        ]
        assert urls[0].find("n:news/n:title", news).text == "Fresh <news> & more"
        assert urls[0].find("n:news/n:publication/n:name", news).text == "Newsroom"


class TestSearchPage:
    def test_finds_and_highlights(self, client, seed):
        response = client.get("/search/", {"q": "Iskander"})
        assert response.status_code == 200
        assert SEED_URL in response.text
        assert "<mark>Iskander</mark>" in response.text

    def test_filters_by_entity(self, client):
        ganja, other = PlaceFactory(name="Ganja"), PlaceFactory(name="Khizi")
        wanted = ArticleFactory(public=True, headline="Shelling report", places=[ganja])
        ArticleFactory(public=True, headline="Shelling elsewhere", places=[other])
        response = client.get("/search/", {"q": "shelling", "place": ganja.slug})
        assert list(response.context["articles"]) == [wanted]
        assert (
            client.get("/search/", {"q": "shelling", "place": "nowhere"}).context["articles"] == []
        )

    @pytest.mark.parametrize(
        "query",
        [
            "",
            "!!! ???",
            '"unbalanced',
            "x" * 5000,
            "'; DROP TABLE articles_article;--",
            "NEAR(",
            "-",
        ],
    )
    def test_hostile_queries_get_a_friendly_empty_page(self, client, seed, query):
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert list(response.context["articles"]) == []


class TestCorrectionsPage:
    def test_lists_latest_corrections_first(self, client, editor):
        first = ArticleFactory(public=True, headline="First story")
        second = ArticleFactory(public=True, headline="Second story")
        editorial.correct(first, "Old correction.", by=editor)
        editorial.correct(Article.objects.get(pk=second.pk), "New correction.", by=editor)
        text = client.get("/corrections/").text
        assert text.index("New correction.") < text.index("Old correction.")


class TestPlumbing:
    def test_robots(self, client):
        response = client.get("/robots.txt")
        assert response["Content-Type"].startswith("text/plain")
        assert "Disallow: /admin/" in response.text
        assert "Sitemap: http://testserver/sitemap.xml" in response.text

    def test_favicon(self, client):
        response = client.get("/favicon.ico")
        assert (response.status_code, response["Location"]) == (301, "/static/favicon.svg")

    def test_healthz(self, client):
        response = client.get("/healthz")
        assert (response.status_code, response.json()["database"]) == (200, "ok")

    def test_healthz_says_503_when_the_database_does_not_answer(self, client, monkeypatch):
        from django.db.backends.utils import CursorWrapper
        from django.db.utils import OperationalError

        def refuse(*args, **kwargs):
            raise OperationalError("connection refused")

        monkeypatch.setattr(CursorWrapper, "execute", refuse)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "database": "OperationalError"}


class TestConditionalGetAndCache:
    def test_etag_and_last_modified_give_304(self, client, seed):
        first = client.get(SEED_URL)
        assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
        assert client.get(SEED_URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        later = client.get(SEED_URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert later.status_code == 304

    def test_feeds_are_conditional_too(self, client, seed):
        first = client.get("/feed/")
        assert client.get("/feed/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    def test_an_edit_shows_at_once(self, client, editor):
        article = ArticleFactory(public=True, headline="Before the edit")
        assert "Before the edit" in client.get("/").text
        etag = client.get("/")["ETag"]
        article.headline = "After the edit"
        article.save()
        response = client.get("/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert "After the edit" in response.text

    def test_unpublishing_shows_at_once(self, client, editor):
        article = ArticleFactory(public=True, headline="Soon withdrawn")
        assert "Soon withdrawn" in client.get("/").text
        editorial.unpublish(Article.objects.get(pk=article.pk), by=editor)
        assert "Soon withdrawn" not in client.get("/").text

    def test_pages_come_from_the_cache(self, client, django_assert_num_queries):
        ArticleFactory.create_batch(3, public=True)
        client.get("/")
        with django_assert_num_queries(0):
            assert client.get("/").status_code == 200

    def test_a_cached_page_is_one_cache_call(self, client, monkeypatch):
        from django.core.cache import cache

        from articles import page_cache

        ArticleFactory(public=True)
        client.get("/")
        client.get("/")  # this process has now seen the current generation
        calls = []

        class Recording:
            def __getattr__(self, name):
                calls.append(name)
                return getattr(cache, name)

        monkeypatch.setattr(page_cache, "cache", Recording())
        assert client.get("/").status_code == 200
        assert calls == ["get_many"]

    def test_a_change_elsewhere_is_seen_at_once(self, client, django_assert_num_queries):
        from articles import page_cache

        article = ArticleFactory(public=True, headline="First telling")
        client.get("/")
        with django_assert_num_queries(0):  # the page is cached, so the bump is what shows it
            assert "First telling" in client.get("/").text
        Article.objects.filter(pk=article.pk).update(headline="Second telling")
        page_cache._bump()  # as another process's save would
        assert "Second telling" in client.get("/").text

    def test_a_lost_generation_never_brings_back_old_pages(self, client, django_assert_num_queries):
        from django.core.cache import cache

        from articles import page_cache

        article = ArticleFactory(public=True, headline="First telling")
        cache.delete(page_cache.GENERATION_KEY)  # as Redis evicting or restarting would
        assert "First telling" in client.get("/").text
        with django_assert_num_queries(0):  # cached under a new generation
            assert "First telling" in client.get("/").text
        Article.objects.filter(pk=article.pk).update(headline="Second telling")
        cache.delete(page_cache.GENERATION_KEY)
        page_cache._bump()  # the next change starts the number again
        assert "Second telling" in client.get("/").text

    def test_a_cached_page_expires_when_a_scheduled_story_is_due(self, client, stored_pages):
        ArticleFactory(status=Status.PUBLISHED, published_at=timezone.now() + timedelta(seconds=30))
        client.get("/")
        assert stored_pages and 0 < max(timeout for _, timeout in stored_pages) <= 31

    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_the_cache_can_be_turned_off(self, client, django_assert_max_num_queries):
        ArticleFactory(public=True)
        client.get("/")
        with django_assert_max_num_queries(7):  # the front's, made afresh (TestFixedQueries)
            client.get("/")


@pytest.mark.parametrize("others", [3, 30])
def test_an_entity_page_reads_one_entity_not_the_table(
    client, django_assert_max_num_queries, others
):
    place = PlaceFactory()
    ArticleFactory(public=True, places=[place])
    PlaceFactory.create_batch(others)
    page_cache.navigation_sections()  # kept from an earlier page
    page_cache.footer_site_pages()
    # Built per request and cut to the one slug: however many places there are,
    # the page reads one (then its stories, their authors, and when the next story is due).
    with django_assert_max_num_queries(4):
        assert client.get(place.get_absolute_url()).status_code == 200


class TestFixedQueries:
    """Each page costs the same number of queries with 1 or 50 stories, each with links."""

    @pytest.fixture(params=[1, 50])
    def stories(self, request):
        places = PlaceFactory.create_batch(3)
        people = PersonFactory.create_batch(3)
        authors = AuthorFactory.create_batch(2)
        source = SourceFactory()
        section = SectionFactory()
        SectionFactory.create_batch(4)  # the navigation lists them all, in no more queries
        for _ in range(request.param):
            ArticleFactory(
                public=True,
                section=section,
                places=places,
                people=people,
                authors=authors,
                source=source,
                dateline=places[1],
                byline="",  # credited to its authors, as the pages print them
            )
        return {
            **{"place": places[0], "person": people[0], "source": source},
            **{"author": authors[0], "section": section},
        }

    @pytest.fixture(autouse=True)
    def no_page_cache(self, settings):
        settings.PAGE_CACHE_SECONDS = 0

    @pytest.fixture(autouse=True)
    def navigation_kept(self, stories):
        # Kept since an earlier page: a cold cache costs the one query once
        # (TestNavigation), and the footer's site pages likewise.
        page_cache.navigation_sections()
        page_cache.footer_site_pages()

    # Lists of stories read their authors in one query more; the front reads its lead,
    # pins, blocks and their stories (with authors) besides the latest; the sitemap index
    # counts two per kind of entity and two for the site pages; the articles' sitemap
    # reads the pictures its stories show.
    @pytest.mark.parametrize(
        ("url", "queries"),
        [
            ("/", 7),
            ("/feed/", 4),
            ("/feed/atom/", 4),
            ("/people/", 1),
            ("/places/", 1),
            ("/sources/", 1),
            ("/authors/", 1),
            ("/sections/", 1),
            ("/corrections/", 1),
            ("/search/?q=story", 3),
            ("/sitemap.xml", 14),
            ("/sitemap-articles.xml", 3),
            ("/sitemap-authors.xml", 2),
            ("/sitemap-sections.xml", 2),
            ("/news-sitemap.xml", 1),
        ],
    )
    def test_site_pages(self, client, django_assert_max_num_queries, stories, url, queries):
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200

    @pytest.mark.parametrize("kind", [kind.name for kind in kinds.KINDS])
    def test_entity_pages_and_feeds(self, client, django_assert_max_num_queries, stories, kind):
        entity = stories[kind]
        with django_assert_max_num_queries(3):
            assert client.get(entity.get_absolute_url()).status_code == 200
        with django_assert_max_num_queries(5):
            assert client.get(f"{entity.get_absolute_url()}feed/").status_code == 200
        with django_assert_max_num_queries(5):
            assert client.get(f"{entity.get_absolute_url()}feed/atom/").status_code == 200

    def test_article_page(self, client, django_assert_max_num_queries, stories):
        article = Article.objects.public().first()
        # The story, its authors, people, places, corrections, related stories, and the
        # latest about its main person and its main place.
        with django_assert_max_num_queries(8):
            assert client.get(article.get_absolute_url()).status_code == 200


class TestSections:
    def test_a_section_page_lists_its_public_stories_newest_first(self, client):
        politics = SectionFactory(name="Politics", description="Parliament and the ministries.")
        older = ArticleFactory(public=True, section=politics, headline="Older vote")
        newer = ArticleFactory(
            public=True,
            section=politics,
            headline="Newer vote",
            published_at=older.published_at + timedelta(minutes=5),
        )
        ArticleFactory(public=True, section=SectionFactory(), headline="Elsewhere")
        ArticleFactory(public=True, headline="Filed nowhere")
        response = client.get("/sections/politics/")
        assert response.status_code == 200
        assert list(response.context["articles"]) == [newer, older]
        assert "Parliament and the ministries." in response.text
        assert 'href="/sections/politics/feed/atom/"' in response.text

    def test_a_section_page_is_paged_like_the_home_page(self, client):
        section = SectionFactory()
        ArticleFactory.create_batch(21, public=True, section=section)
        first = client.get(section.get_absolute_url())
        assert len(first.context["articles"]) == 20
        assert len(client.get(f"{section.get_absolute_url()}?page=2").context["articles"]) == 1

    def test_an_unknown_section_is_not_found(self, client):
        assert client.get("/sections/no-such-section/").status_code == 404
        assert client.get("/sections/no-such-section/feed/").status_code == 404
        assert client.get("/sections/no-such-section/feed/atom/").status_code == 404

    def test_teasers_and_the_story_name_its_section(self, client):
        economy = SectionFactory(name="Economy")
        article = ArticleFactory(public=True, section=economy)
        label = '<p class="section-label"><a href="/sections/economy/">Economy</a></p>'
        assert label in client.get("/").text
        assert label in client.get(article.get_absolute_url()).text

    def test_the_navigation_lists_the_sections_in_their_order(self, client):
        SectionFactory(name="World", position=4)
        SectionFactory(name="Politics", position=1)
        SectionFactory(name="Economy", position=2)
        nav = re.search(r'<nav aria-label="Sections">(.*?)</nav>', client.get("/").text, re.S)
        names = re.findall(r'<a href="/sections/[^"]+/">([^<]+)</a>', nav.group(1))
        assert names == ["Politics", "Economy", "World"]

    def test_hostile_names_stay_text(self, client):
        section = SectionFactory(
            name='<script>alert("x")</script>', description="<img src=x onerror=alert(1)>"
        )
        ArticleFactory(public=True, section=section)
        for url in ["/", section.get_absolute_url(), "/sections/"]:
            body = client.get(url).text
            assert "<script>alert" not in body, url
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body, url
        assert "<img src=x" not in client.get(section.get_absolute_url()).text
        feed = client.get(f"{section.get_absolute_url()}feed/").content.decode()
        assert "<script>" not in feed


class TestNavigation:
    def test_it_costs_one_query_on_a_cold_cache_and_none_after(
        self, client, django_assert_num_queries, settings
    ):
        settings.PAGE_CACHE_SECONDS = 0
        SectionFactory.create_batch(5)
        with django_assert_num_queries(1):
            assert len(page_cache.navigation_sections()) == 5
        with django_assert_num_queries(0):
            assert len(page_cache.navigation_sections()) == 5

    def test_a_changed_section_shows_at_once(self, client):
        section = SectionFactory(name="Regions")
        assert "Regions" in client.get("/corrections/").text
        section.name = "Region"
        section.save()
        assert ">Region</a>" in client.get("/corrections/").text
        section.delete()
        assert ">Region</a>" not in client.get("/corrections/").text
