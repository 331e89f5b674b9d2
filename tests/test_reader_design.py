"""The reader site's design as a browser receives it: the front's lead, top stories,
section blocks and latest list; teasers; the story page's breadcrumb, times, share
links, related and "more about" blocks; the stylesheet's schemes; fixed queries."""

import json
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import page_cache, responsive
from articles.models import Article, Flag, FrontBlock, FrontPage, FrontPin
from articles.templatetags.newsroom import short_time
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    PersonFactory,
    PlaceFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"
VOID = {"img", "source", "meta", "link", "input", "br", "hr", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.content = [], []  # content: text and elements, in order

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    @property
    def text(self):
        parts = (part if isinstance(part, str) else part.text for part in self.content)
        return " ".join("".join(parts).split())

    def walk(self):
        for child in self.children:
            yield child
            yield from child.walk()

    def find_all(self, tag=None, cls=None, **attrs):
        return [
            node
            for node in self.walk()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.classes)
            and all(node.attrs.get(key) == value for key, value in attrs.items())
        ]

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'} class={cls!r} {attrs}>"
        return found[0]


class Tree(HTMLParser):
    """The page as a tree of elements, as a browser reads it."""

    def __init__(self):
        super().__init__()
        self.root = self.open = Node("#document", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.open)
        self.open.children.append(node)
        self.open.content.append(node)
        if tag not in VOID:
            self.open = node

    def handle_endtag(self, tag):
        node = self.open
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.open = node.parent

    def handle_data(self, data):
        self.open.content.append(data)


def page_of(response):
    assert response.status_code == 200
    tree = Tree()
    tree.feed(response.content.decode())
    return tree.root


def headlines(node):
    return [h.text for h in node.find_all(cls="headline")]


def story(headline, *, minutes_ago, picture=True, **fields):
    return ArticleFactory(
        public=True,
        headline=headline,
        published_at=timezone.now() - timedelta(minutes=minutes_ago),
        lead_image=ImageFactory() if picture else None,
        **fields,
    )


@pytest.fixture
def front():
    """A front with a pinned lead, one pinned top story, and an Economy block."""
    economy = SectionFactory(name="Economy")
    politics = SectionFactory(name="Politics")
    lead = story("Pinned lead", minutes_ago=300, section=politics, flag=Flag.BREAKING)
    pinned = story("Pinned top", minutes_ago=400, flag=Flag.DEVELOPING)
    newest = [story(f"Newest {n}", minutes_ago=n + 1) for n in range(8)]
    in_economy = [story(f"Economy {n}", minutes_ago=500 + n, section=economy) for n in range(5)]
    arrangement = FrontPage.current()
    arrangement.lead = lead
    arrangement.save()
    FrontPin.objects.create(front=arrangement, article=pinned, position=0)
    FrontBlock.objects.create(front=arrangement, section=economy, position=0)
    return {
        "economy": economy,
        "politics": politics,
        "newest": newest,
        "economy_stories": in_economy,
    }


class TestFront:
    def test_the_lead_with_its_large_picture_labels_and_credit(self, client, front):
        page = page_of(client.get("/"))

        assert page.find("h1").text == "Newsroom: front page"
        assert "visually-hidden" in page.find("h1").classes
        lead = page.find("article", cls="lead-story")
        assert headlines(lead) == ["Pinned lead"]
        (img,) = lead.find_all("img")
        assert img.attrs["sizes"] == responsive.FRONT_LEAD.sizes
        assert img.attrs["fetchpriority"] == "high" and "loading" not in img.attrs
        assert (img.attrs["width"], img.attrs["height"]) == ("1200", "675")
        assert lead.find("p", cls="flag").text == "Breaking"
        assert "flag-breaking" in lead.find("p", cls="flag").classes
        assert lead.find("p", cls="section-label").find("a").attrs["href"] == "/sections/politics/"
        assert lead.find("p", cls="summary").text == "What happened, in a sentence."
        meta = lead.find("p", cls="meta")
        assert meta.text.startswith("Agency ") and meta.find("time").attrs["datetime"]

    def test_the_top_stories_pinned_first_then_the_newest_with_thumbnails(self, client, front):
        page = page_of(client.get("/"))

        top = page.find(cls="top-stories")
        assert headlines(top) == ["Pinned top", *(f"Newest {n}" for n in range(5))]
        imgs = top.find_all("img")
        assert len(imgs) == 6
        assert {img.attrs["sizes"] for img in imgs} == {responsive.FRONT_TOP.sizes}
        assert top.find("p", cls="flag").text == "Developing"
        assert "flag-developing" in top.find("p", cls="flag").classes

    def test_a_section_block_links_its_section_and_shows_its_latest(self, client, front):
        page = page_of(client.get("/"))

        (block,) = page.find_all("section", cls="front-block")
        heading = block.find("h2")
        assert heading.text == "Economy"
        assert heading.find("a").attrs["href"] == "/sections/economy/"
        assert block.attrs["aria-labelledby"] == heading.attrs["id"]
        assert headlines(block) == [f"Economy {n}" for n in range(4)]
        assert {img.attrs["sizes"] for img in block.find_all("img")} == {
            responsive.FRONT_BLOCK.sizes
        }

    def test_a_block_with_no_stories_left_is_not_shown(self, client, front):
        FrontBlock.objects.create(front=FrontPage.current(), section=SectionFactory(), position=1)
        page = page_of(client.get("/"))
        assert len(page.find_all("section", cls="front-block")) == 1

    def test_the_latest_below_with_a_link_to_older_pages(self, client, front):
        ArticleFactory.create_batch(
            10, public=True, published_at=timezone.now() - timedelta(days=2)
        )
        page = page_of(client.get("/"))

        latest = page.find("section", cls="front-latest")
        assert latest.find("h2").text == "Latest"
        teasers = latest.find_all("article", cls="teaser")
        assert len(teasers) == 20
        assert [t.find("h3").text for t in teasers[:2]] == ["Newest 0", "Newest 1"]
        # Below the front: no thumbnail there is loaded before it is scrolled to.
        assert {img.attrs.get("loading") for img in latest.find_all("img")} == {"lazy"}
        assert latest.find("a", rel="next").attrs["href"] == "?page=2"

    def test_later_pages_are_the_latest_alone(self, client, front):
        ArticleFactory.create_batch(
            10, public=True, published_at=timezone.now() - timedelta(days=2)
        )
        page = page_of(client.get("/?page=2"))

        assert page.find("h1").text == "Latest news, page 2"
        assert not page.find_all(cls="lead-story") and not page.find_all(cls="front-block")
        assert len(page.find_all("article", cls="teaser")) == 5  # 25 stories, 20 a page

    def test_an_empty_front_says_so(self, client):
        page = page_of(client.get("/"))
        assert not page.find_all(cls="lead-story")
        assert page.find("p", cls="empty").text == "No stories yet."

    def test_hostile_text_stays_text(self, client):
        hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
        story(hostile, minutes_ago=1, summary=hostile, section=SectionFactory(name=hostile))
        text = client.get("/").text
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text


class TestTeasers:
    def test_an_updated_story_says_updated_at_its_time(self, client):
        published = timezone.now() - timedelta(days=3)
        revised = timezone.now() - timedelta(days=1)
        updated = story("Revised", minutes_ago=0, picture=False)
        Article.objects.filter(pk=updated.pk).update(published_at=published, revised_at=revised)
        section = SectionFactory()
        Article.objects.filter(pk=updated.pk).update(section=section)

        meta = page_of(client.get(section.get_absolute_url())).find("p", cls="meta")

        time = meta.find("time")
        assert meta.text.endswith(f"Updated {short_time(revised)}")
        assert time.attrs["datetime"] == revised.astimezone(UTC).isoformat(timespec="seconds")

    def test_a_story_not_updated_shows_its_publication_time(self, client):
        at = datetime(2020, 10, 6, 8, 0, tzinfo=UTC)
        ArticleFactory(public=True, published_at=at, byline="", source=SourceFactory(name="Trend"))

        meta = page_of(client.get("/?page=1")).find("p", cls="meta")

        assert meta.text == "Trend · 6 Oct 2020"
        assert meta.find("time").attrs == {
            "datetime": "2020-10-06T08:00:00+00:00",
            "title": "6 October 2020, 08:00 UTC",
        }

    def test_the_authors_are_credited_before_the_source(self, client):
        jane = AuthorFactory(name="Jane Doe")
        ArticleFactory(public=True, byline="", authors=[jane], source=SourceFactory(name="Trend"))
        meta = page_of(client.get("/")).find(cls="front-latest").find("p", cls="meta")
        assert meta.text.startswith("By Jane Doe ·") and "Trend" not in meta.text
        assert meta.find("a").attrs == {"href": "/authors/jane-doe/", "rel": "author"}


class TestShortTime:
    def test_today_by_the_clock(self, settings):
        settings.TIME_ZONE = "Asia/Baku"
        moment = timezone.localtime().replace(hour=0, minute=5)
        assert short_time(moment) == "00:05"

    def test_an_earlier_day_by_its_date(self):
        assert short_time(datetime(2020, 10, 6, 8, 0, tzinfo=UTC)) == "6 Oct 2020"

    def test_the_day_is_the_newsrooms(self, settings):
        # UTC+04: half past midnight there is the evening before in UTC, and still today.
        settings.TIME_ZONE = "Asia/Baku"
        midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        assert short_time((midnight + timedelta(minutes=30)).astimezone(UTC)) == "00:30"
        yesterday = midnight - timedelta(minutes=30)
        assert short_time(yesterday.astimezone(UTC)) == f"{yesterday:%-d %b %Y}"

    def test_no_time_is_nothing(self):
        assert short_time(None) == ""


@pytest.fixture
def reported(settings):
    """A story in a section, by a staff author for an agency, with a person and a place
    that other stories are about too."""
    settings.ALLOWED_HOSTS = ["news.example.org", "testserver"]
    settings.TIME_ZONE = "Asia/Baku"
    politics = SectionFactory(name="Politics")
    hasanov, ganja = PersonFactory(name="Zakir Hasanov"), PlaceFactory(name="Ganja")
    article = ArticleFactory(
        public=True,
        headline='Talks "resume" in Ganja & Baku — ümid',
        body="Zakir Hasanov spoke in Ganja.\n\nA second paragraph.",
        byline="",
        authors=[AuthorFactory(name="Jane Doe")],
        source=SourceFactory(name="Trend"),
        section=politics,
        people=[hasanov],
        places=[ganja],
        flag=Flag.BREAKING,
        published_at=datetime(2020, 10, 6, 8, 0, tzinfo=UTC),
        lead_image=ImageFactory(),
    )
    Article.objects.filter(pk=article.pk).update(
        revised_at=datetime(2020, 10, 6, 10, 5, tzinfo=UTC)
    )
    related = story("In the same section", minutes_ago=10, section=politics, picture=False)
    about_him = story("Hasanov speaks again", minutes_ago=20, people=[hasanov], picture=False)
    about_ganja = story("Ganja story", minutes_ago=30, places=[ganja], picture=False)
    return {
        "article": article,
        "url": article.get_absolute_url(),
        "related": related,
        "hasanov": hasanov,
        "ganja": ganja,
        "about_him": about_him,
        "about_ganja": about_ganja,
    }


class TestStoryPage:
    def test_the_breadcrumb_names_home_and_the_section(self, client, reported):
        page = page_of(client.get(reported["url"]))
        crumbs = page.find("nav", **{"aria-label": "Breadcrumb"})
        assert [(a.text, a.attrs["href"]) for a in crumbs.find_all("a")] == [
            ("Home", "/"),
            ("Politics", "/sections/politics/"),
        ]

    def test_the_breadcrumb_as_structured_data(self, client, reported):
        page = page_of(client.get(reported["url"]))
        scripts = page.find_all("script", type="application/ld+json")
        trail = json.loads("".join(scripts[1].content))
        assert trail["@type"] == "BreadcrumbList"
        assert [(i["position"], i["name"], i["item"]) for i in trail["itemListElement"]] == [
            (1, "Newsroom", "http://testserver/"),
            (2, "Politics", "http://testserver/sections/politics/"),
        ]

    def test_the_flag_headline_standfirst_and_credit(self, client, reported):
        header = page_of(client.get(reported["url"])).find("header", cls="story-header")
        assert header.find("p", cls="flag").text == "Breaking"
        assert header.find("h1").text == 'Talks "resume" in Ganja & Baku — ümid'
        assert header.find("p", cls="standfirst").text == "What happened, in a sentence."
        byline = header.find("span", cls="byline")
        assert byline.text == "By Jane Doe, Trend"
        assert byline.find("a").attrs["href"] == "/authors/jane-doe/"

    def test_published_and_updated_times_name_the_zone(self, client, reported):
        dates = page_of(client.get(reported["url"])).find("p", cls="dates")
        assert dates.text == (
            "Published 6 October 2020, 12:00 UTC+04 · Updated 6 October 2020, 14:05 UTC+04"
            " · 1 min read"
        )
        assert [t.attrs["datetime"] for t in dates.find_all("time")] == [
            "2020-10-06T08:00:00+00:00",
            "2020-10-06T10:05:00+00:00",
        ]

    def test_a_story_never_updated_shows_no_updated_time(self, client, reported):
        Article.objects.filter(pk=reported["article"].pk).update(revised_at=None)
        dates = page_of(client.get(reported["url"])).find("p", cls="dates")
        assert "Updated" not in dates.text and len(dates.find_all("time")) == 1

    def test_the_lead_picture_with_caption_and_credit(self, client, reported):
        figure = page_of(client.get(reported["url"])).find("figure", cls="lead-picture")
        assert figure.find("img").attrs["sizes"] == responsive.COLUMN
        assert figure.find("figcaption").text.startswith("Residents gather in the central square.")
        assert "Jane Doe" in figure.find("span", cls="credit").text

    def test_share_links_are_plain_encoded_links(self, client, reported):
        page = page_of(client.get(reported["url"]))

        share = page.find("section", cls="share")
        url = quote(f"http://testserver{reported['url']}", safe="")
        title = quote('Talks "resume" in Ganja & Baku — ümid', safe="")
        assert [(a.attrs["aria-label"], a.attrs["href"]) for a in share.find_all("a")] == [
            ("Share by e-mail", f"mailto:?subject={title}&body={url}"),
            ("Share on X", f"https://twitter.com/intent/tweet?url={url}&text={title}"),
            ("Share on Facebook", f"https://www.facebook.com/sharer/sharer.php?u={url}"),
            ("Share on LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={url}"),
            ("Share on WhatsApp", f"https://wa.me/?text={title}%20{url}"),
            ("Share on Telegram", f"https://t.me/share/url?url={url}&text={title}"),
        ]
        assert "%22resume%22%20in%20Ganja%20%26%20Baku%20%E2%80%94%20%C3%BCmid" in title

    def test_share_links_use_the_canonical_address(self, client, reported):
        page = page_of(client.get(f"{reported['url']}?utm_source=x", HTTP_HOST="news.example.org"))
        href = page.find("a", **{"aria-label": "Share on Facebook"}).attrs["href"]
        expected = quote(f"http://news.example.org{reported['url']}", safe="")
        assert href == f"https://www.facebook.com/sharer/sharer.php?u={expected}"

    def test_the_preview_shares_nothing(self, client, editor, reported):
        client.force_login(editor)
        preview = client.get(
            reverse("admin:articles_article_preview", args=[reported["article"].pk])
        )
        assert not page_of(preview).find_all("section", cls="share")

    def test_related_stories(self, client, reported):
        related = page_of(client.get(reported["url"])).find("aside", cls="related")
        links = [(a.text, a.attrs["href"]) for a in related.find_all("a")]
        assert ("In the same section", reported["related"].get_absolute_url()) in links

    def test_more_about_the_main_person_and_place(self, client, reported):
        # The related list takes up to five: push these two out of it with newer ones.
        for n in range(5):
            story(f"Newer in section {n}", minutes_ago=n, section=reported["article"].section)
        page = page_of(client.get(reported["url"]))

        blocks = page.find_all("aside", cls="more-about")
        assert [b.find("h2").text for b in blocks] == [
            "More about Zakir Hasanov",
            "More about Ganja",
        ]
        person, place = blocks
        assert person.find("h2").find("a").attrs["href"] == reported["hasanov"].get_absolute_url()
        assert "Hasanov speaks again" in headlines_in(person)
        assert place.find("h2").find("a").attrs["href"] == reported["ganja"].get_absolute_url()
        assert "Ganja story" in headlines_in(place)
        assert [b.attrs["aria-labelledby"] for b in blocks] == [
            b.find("h2").attrs["id"] for b in blocks
        ]


def headlines_in(block):
    return [a.text for a in block.find("ul").find_all("a")]


def test_no_reader_page_loads_a_script(client, reported, editor):
    """Nothing to read needs a script, and no third party's runs on our pages: the one
    script element is the story's structured data, which is not run."""
    urls = [
        "/",
        "/?page=1",
        reported["url"],
        "/sections/politics/",
        reported["hasanov"].get_absolute_url(),
        reported["ganja"].get_absolute_url(),
        "/search/?q=Ganja",
        "/corrections/",
        "/authors/",
    ]
    for url in urls:
        page = page_of(client.get(url))
        scripts = page.find_all("script")
        assert all("src" not in s.attrs for s in scripts), url
        assert {s.attrs.get("type") for s in scripts} <= {"application/ld+json"}, url
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "<script" not in missing.text


class TestStylesheet:
    css = STYLESHEET.read_text()

    def test_a_dark_scheme(self):
        assert "color-scheme: light dark" in self.css
        dark = self.css.split("@media (prefers-color-scheme: dark)", 1)[1]
        for colour in ("--ink", "--paper", "--muted", "--accent", "--focus", "--mark", "--banner"):
            assert colour in dark.split("}", 2)[0] + dark.split("}", 2)[1], colour

    def test_a_print_stylesheet_for_stories(self):
        printed = self.css.split("@media print", 1)[1]
        for clutter in (".site-header nav", ".site-search", ".share", ".site-footer"):
            assert clutter in printed, clutter
        assert 'a[href^="http"]::after' in printed

    def test_nothing_remote_no_webfonts(self):
        assert "@import" not in self.css and "@font-face" not in self.css
        assert "url(" not in self.css

    def test_fluid_type_and_a_readable_measure(self):
        assert "clamp(" in self.css and "max-width: 70ch" in self.css


# The front: its arrangement and its pins (two small queries), the lead and top stories,
# the blocks and their stories, the page of latest, the authors and the renditions of
# all of them (one query each for every list), and the page cache's next publication.
FRONT_QUERIES = 9
SECTION_QUERIES = 6
# A story with its links and pictures, the related list, and one query for each of the
# two "More about" blocks.
ARTICLE_QUERIES = 10


@pytest.mark.parametrize("n", [3, 30])
class TestQueriesAreFixed:
    def test_the_front(self, client, django_assert_max_num_queries, n):
        sections = [SectionFactory(), SectionFactory()]
        for index in range(n):
            story(f"Story {index}", minutes_ago=index, section=sections[index % 2])
        arrangement = FrontPage.current()
        arrangement.lead = Article.objects.last()
        arrangement.save()
        FrontPin.objects.create(front=arrangement, article=Article.objects.first(), position=0)
        for position, section in enumerate(sections):
            FrontBlock.objects.create(front=arrangement, section=section, position=position)
        page_cache.navigation_sections()  # kept since an earlier page, as on a running site
        page_cache.footer_site_pages()

        with django_assert_max_num_queries(FRONT_QUERIES):
            page = page_of(client.get("/"))

        shown = min(n, 7) + min(max(n - 7, 0), 8) + min(n, 20)  # front, blocks, latest
        assert len(page.find_all("img")) == shown

    def test_a_section(self, client, django_assert_max_num_queries, n):
        section = SectionFactory(image=ImageFactory())
        for index in range(n):
            story(f"Story {index}", minutes_ago=index, section=section)
        page_cache.navigation_sections()
        page_cache.footer_site_pages()

        with django_assert_max_num_queries(SECTION_QUERIES):
            page = page_of(client.get(section.get_absolute_url()))

        assert len(page.find_all("img")) == min(n, 20) + 1

    def test_a_story(self, client, django_assert_max_num_queries, n):
        section, person, place = SectionFactory(), PersonFactory(), PlaceFactory()
        links = {"section": section, "people": [person], "places": [place]}
        for index in range(n):
            story(f"Story {index}", minutes_ago=index + 1, **links)
        article = story("The story", minutes_ago=0, body=f"{person.name} in {place.name}.", **links)
        page_cache.navigation_sections()
        page_cache.footer_site_pages()

        with django_assert_max_num_queries(ARTICLE_QUERIES):
            page = page_of(client.get(article.get_absolute_url()))

        # Three stories all fit in the related list; thirty leave some for each block.
        assert len(page.find_all("aside", cls="more-about")) == (2 if n > 5 else 0)
        assert len(page.find_all("aside", cls="related")[0].find_all("li")) == min(n, 5)
        assert len(page.find_all("img")) == 1
