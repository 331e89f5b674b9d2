"""Pictures as readers get them: on pages, in share tags, structured data, feeds and sitemaps.

Pages are read as a browser parses them (html.parser), feeds as feed readers do
(feedparser, and the XML with its namespaces), JSON-LD as JSON.
"""

import io
import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import feedparser
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles import editorial, imaging, kinds, page_cache, pictures, reader_html, responsive
from articles.models import Article, Image
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    PersonFactory,
    PlaceFactory,
    SectionFactory,
    SourceFactory,
)
from tests.pictures import photo, upload

pytestmark = pytest.mark.django_db

HOST = "news.example.org"
MEDIA_RSS = "{http://search.yahoo.com/mrss/}"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE_SITEMAP = "{http://www.google.com/schemas/sitemap-image/1.1}"
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture(autouse=True)
def hosts(settings):
    settings.ALLOWED_HOSTS = [HOST, "testserver"]


class Elements(HTMLParser):
    """Every element of a page with its attributes, and the text inside each figcaption."""

    def __init__(self):
        super().__init__()
        self.elements = []
        self.captions = []
        self._caption = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "figcaption":
            self._caption = []

    def handle_endtag(self, tag):
        if tag == "figcaption" and self._caption is not None:
            self.captions.append(" ".join("".join(self._caption).split()))
            self._caption = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)


def parse(response):
    assert response.status_code == 200
    parser = Elements()
    parser.feed(response.content.decode())
    return parser


def of(parsed, tag, **attrs):
    return [
        a for t, a in parsed.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())
    ]


def meta(parsed):
    """{property or name: content} of the page's <meta> tags."""
    return {a.get("property") or a.get("name"): a.get("content") for a in of(parsed, "meta")}


def jsonld_of(response):
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    return json.loads(block.group(1))


def story(image=None, **fields):
    return ArticleFactory(public=True, lead_image=image, **fields)


def with_figures(*images, caption=""):
    """A published story whose body shows ``images``, rendered as a save renders it."""
    figures = "".join(
        f'<figure data-image="{image.pk}">'
        + (f"<figcaption>{caption}</figcaption>" if caption else "")
        + "</figure>"
        for image in images
    )
    article = ArticleFactory(public=True, body=f"<p>Before.</p>{figures}<p>After.</p>")
    reader_html.render(article)
    return article


def srcset_widths(srcset):
    return [int(entry.rsplit(" ", 1)[1][:-1]) for entry in srcset.split(", ")]


class TestArticleLeadImage:
    def test_the_lead_image_as_a_picture_with_caption_and_credit(self, client):
        image = ImageFactory(credit="Jane Doe", source=SourceFactory(name="Trend"))
        article = story(image)

        page = parse(client.get(article.get_absolute_url()))

        sources = of(page, "source")
        assert [s["type"] for s in sources[:2]] == ["image/avif", "image/webp"]
        (img,) = [a for a in of(page, "img") if a.get("fetchpriority")]
        assert img["fetchpriority"] == "high"
        assert "loading" not in img  # the page's main picture is never lazy
        assert srcset_widths(img["srcset"]) == [320, 640, 1024, 1600, 2048]
        assert all(".jpeg" in entry for entry in img["srcset"].split(", "))
        assert "w1024" in img["src"]
        # The widest rendition's shape: 3000 x 2000 shown 2048 wide.
        assert (img["width"], img["height"]) == ("2048", "1365")
        assert img["alt"] == image.alt_text
        assert img["sizes"] == responsive.COLUMN
        assert "Residents gather in the central square. Jane Doe / Trend" in page.captions

    def test_a_story_without_a_picture_shows_no_picture(self, client):
        page = parse(client.get(story().get_absolute_url()))
        assert of(page, "picture") == [] and of(page, "img") == []

    def test_hostile_description_is_text(self, client):
        image = ImageFactory(alt_text=HOSTILE, caption=HOSTILE, credit=HOSTILE)
        response = client.get(story(image).get_absolute_url())
        assert "<script>alert(1)" not in response.text
        page = parse(response)
        assert of(page, "img", alt=HOSTILE)
        assert not [a for _, a in page.elements if "onerror" in a]

    def test_a_deleted_lead_image_leaves_the_story(self, client):
        image = ImageFactory()
        article = story(image)
        image.delete()
        page = parse(client.get(article.get_absolute_url()))
        assert of(page, "img") == []


class TestInlinePictures:
    def test_a_figure_is_the_picture_with_its_caption_and_credit(self, client):
        image = ImageFactory(caption="Ships in the bay.", credit="Ali Aliyev")
        article = with_figures(image)

        page = parse(client.get(article.get_absolute_url()))

        (img,) = of(page, "img")
        assert img["loading"] == "lazy" and "fetchpriority" not in img
        assert (img["width"], img["height"]) == ("2048", "1365")
        assert of(page, "figure", **{"class": "picture", "data-image": str(image.pk)})
        assert page.captions == ["Ships in the bay. Ali Aliyev"]

    def test_the_bodys_caption_wins_and_the_credit_is_not_repeated(self, client):
        image = ImageFactory(credit="Ali Aliyev")
        article = with_figures(image, caption="The port at dawn — Ali Aliyev")
        page = parse(client.get(article.get_absolute_url()))
        assert page.captions == ["The port at dawn — Ali Aliyev"]

    def test_an_unknown_picture_renders_nothing(self, client):
        image = ImageFactory()
        article = ArticleFactory(
            public=True,
            body=f'<p>Text.</p><figure data-image="{image.pk + 999}"><figcaption>Gone'
            "</figcaption></figure>",
        )
        reader_html.render(article)
        page = parse(client.get(article.get_absolute_url()))
        assert of(page, "figure") == [] and of(page, "img") == [] and page.captions == []

    def test_hostile_captions_and_alt_text_stay_text(self, client):
        image = ImageFactory(alt_text=HOSTILE, caption=HOSTILE, credit="<b>Jane</b> & co")
        article = with_figures(image)
        assert "<script>" not in article.body_html
        page = parse(client.get(article.get_absolute_url()))
        assert of(page, "img", alt=HOSTILE)
        assert not [a for _, a in page.elements if "onerror" in a]
        assert page.captions == [f"{HOSTILE} <b>Jane</b> & co"]

    def test_serving_asks_nothing_per_figure(self, client, django_assert_max_num_queries):
        article = with_figures(*ImageFactory.create_batch(12))
        client.get(article.get_absolute_url())  # warm what is per process
        with django_assert_max_num_queries(ARTICLE_QUERIES):
            page = parse(client.get(article.get_absolute_url(), HTTP_CACHE_CONTROL="no-cache"))
        assert len(of(page, "img")) == 12

    def test_a_save_through_the_desk_renders_the_figures(self, editor):
        image = ImageFactory()
        article = editorial.create(
            Article(
                headline="Ships", body=f'<p>Text.</p><figure data-image="{image.pk}"></figure>'
            ),
            by=editor,
        )
        assert '<img src="/media/renditions/' in article.body_html
        assert Article.objects.get(pk=article.pk).body_html == article.body_html


class TestAPictureChanged:
    def test_a_new_alt_text_reaches_the_stories_showing_it(
        self, client, editor, django_capture_on_commit_callbacks
    ):
        image = ImageFactory(alt_text="Old words")
        article = with_figures(image)
        client.get(article.get_absolute_url())  # cached

        with django_capture_on_commit_callbacks(execute=True):
            pictures.describe(image, by=editor, alt_text="Tankers at the Baku oil terminal")

        assert "Tankers at the Baku oil terminal" in Article.objects.get(pk=article.pk).body_html
        page = parse(client.get(article.get_absolute_url()))
        assert of(page, "img", alt="Tankers at the Baku oil terminal")

    def test_a_new_focal_point_shows_the_new_crops(
        self, client, editor, django_capture_on_commit_callbacks
    ):
        image = upload(photo((400, 300)), alt_text="A street")
        article = with_figures(image)
        before = set(Image.objects.get(pk=image.pk).renditions.values_list("file", flat=True))
        image = Image.objects.get(pk=image.pk)

        with django_capture_on_commit_callbacks(execute=True):
            pictures.set_focal_point(image, 0.1, 0.9, by=editor)

        stored = Article.objects.get(pk=article.pk).body_html
        after = set(image.renditions.values_list("file", flat=True))
        assert after != before
        for name in re.findall(r"/media/(renditions/[^ \"]+)", stored):
            assert name in after  # no address of a removed rendition
            assert default_storage.exists(name)

    def test_a_deleted_picture_leaves_its_stories_whole(
        self, client, django_capture_on_commit_callbacks
    ):
        image = ImageFactory()
        article = with_figures(image)
        client.get(article.get_absolute_url())

        with django_capture_on_commit_callbacks(execute=True):
            image.delete()

        stored = Article.objects.get(pk=article.pk).body_html
        assert "<figure" not in stored and "<p>Before.</p>" in stored
        assert of(parse(client.get(article.get_absolute_url())), "img") == []

    def test_a_picture_only_drafts_show_leaves_public_pages(
        self, editor, django_capture_on_commit_callbacks
    ):
        image = ImageFactory(alt_text="Old words")
        draft = ArticleFactory(body=f'<figure data-image="{image.pk}"></figure>')
        draft.show_pictures()
        before = page_cache.generation()

        with django_capture_on_commit_callbacks(execute=True):
            pictures.describe(image, by=editor, alt_text="New words")

        assert page_cache.generation() == before
        assert 'alt="New words"' in Article.objects.get(pk=draft.pk).body_html

    def test_a_new_upload_touches_no_story(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            ImageFactory()
        assert callbacks == []


class TestTeasers:
    def test_list_thumbnails_are_16x9_crops_the_first_eager(self, client):
        section = SectionFactory()
        story(section=section)  # one without: no thumbnail, no empty box
        for _ in range(3):
            story(ImageFactory(), section=section)

        page = parse(client.get(section.get_absolute_url()))

        imgs = of(page, "img")
        assert len(imgs) == 3
        assert "loading" not in imgs[0] and [i.get("loading") for i in imgs[1:]] == ["lazy"] * 2
        assert all(srcset_widths(i["srcset"]) == [400, 800] for i in imgs)
        assert all("16x9-" in i["src"] for i in imgs)
        assert all((i["width"], i["height"]) == ("800", "450") for i in imgs)
        assert not any(i.get("fetchpriority") for i in imgs)
        assert len(of(page, "article", **{"class": "teaser has-picture"})) == 3

    def test_the_front_leads_with_its_picture_and_lazy_loads_the_latest(self, client):
        story()
        for _ in range(3):
            story(ImageFactory())

        page = parse(client.get("/"))

        # The lead, two top stories, then the same three in the latest list.
        lead, *others = of(page, "img")
        assert lead["fetchpriority"] == "high" and "loading" not in lead
        assert srcset_widths(lead["srcset"]) == [400, 800, 1200]
        assert [i["sizes"] for i in others] == [responsive.FRONT_TOP.sizes] * 2 + [
            responsive.TEASER.sizes
        ] * 3
        assert all(i.get("loading") == "lazy" and "16x9-" in i["src"] for i in others)
        assert len(of(page, "article", **{"class": "teaser has-picture"})) == 3

    def test_entity_pages_show_the_entity_and_thumbnails(self, client):
        portrait = ImageFactory(alt_text="Zakir Hasanov at a briefing")
        person = PersonFactory(name="Zakir Hasanov", image=portrait)
        ArticleFactory(public=True, people=[person], lead_image=ImageFactory())

        page = parse(client.get(person.get_absolute_url()))

        square = of(page, "img", alt="Zakir Hasanov at a briefing")[0]
        assert srcset_widths(square["srcset"]) == [400, 800]
        assert (square["width"], square["height"]) == ("800", "800")
        assert len(of(page, "img")) == 2

    def test_search_and_corrections_show_thumbnails(self, client, editor):
        article = story(ImageFactory(), headline="Pipeline opens in Ganja")
        editorial.correct(article, "The pipeline is 40 km long.", by=editor)
        assert len(of(parse(client.get("/search/?q=pipeline")), "img")) == 1
        assert len(of(parse(client.get("/corrections/")), "img")) == 1


# Whatever the number of stories and pictures: the rows, their links, their pictures'
# renditions (one prefetch each), and the page cache's bookkeeping; a story's page
# also reads its related stories and "More about" its main place.
ARTICLE_QUERIES = 9
LIST_QUERIES = 6
# The front above the latest: its arrangement and pins, its stories and the latest, one
# query for all their authors and one for all their renditions, the navigation and the
# footer (tests/test_reader_design.py counts a front with section blocks).
HOME_QUERIES = 10


def stories_with_pictures(n, **links):
    return [ArticleFactory(public=True, lead_image=ImageFactory(), **links) for _ in range(n)]


@pytest.mark.parametrize("n", [3, 30])
class TestQueriesAreFixed:
    def test_home(self, client, django_assert_max_num_queries, n):
        stories_with_pictures(n)
        with django_assert_max_num_queries(HOME_QUERIES):
            page = parse(client.get("/"))
        # The lead and top stories, then the page of latest.
        assert len(of(page, "img")) == min(n, 7) + min(n, 20)

    @pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda kind: kind.name)
    def test_entity_pages(self, client, django_assert_max_num_queries, n, kind):
        factory = {"person": PersonFactory, "place": PlaceFactory}.get(kind.name)
        factory = (
            factory
            or {
                "source": SourceFactory,
                "author": AuthorFactory,
                "section": SectionFactory,
            }[kind.name]
        )
        entity = factory(image=ImageFactory())
        # A source's stories are those it supplied (and those naming it); a section's,
        # those filed in it.
        links = {"source": entity} if kind.name == "source" else {kind.link_field: [entity]}
        if kind.name == "section":
            links = {"section": entity}
        stories_with_pictures(n, **links)
        page_cache.navigation_sections()  # kept since an earlier page, as on a running site
        page_cache.footer_site_pages()
        with django_assert_max_num_queries(LIST_QUERIES):
            page = parse(client.get(entity.get_absolute_url()))
        assert len(of(page, "img")) == min(n, 20) + 1

    def test_search(self, client, django_assert_max_num_queries, n):
        stories_with_pictures(n)
        page_cache.navigation_sections()  # kept since an earlier page, as on a running site
        page_cache.footer_site_pages()
        with django_assert_max_num_queries(LIST_QUERIES):
            page = parse(client.get("/search/?q=story"))
        assert len(of(page, "img")) == min(n, 20)

    def test_corrections(self, client, editor, django_assert_max_num_queries, n):
        for article in stories_with_pictures(n):
            editorial.correct(article, "A date was wrong.", by=editor)
        with django_assert_max_num_queries(LIST_QUERIES):
            page = parse(client.get("/corrections/"))
        assert len(of(page, "img")) == n

    def test_article_page(self, client, django_assert_max_num_queries, n):
        place = PlaceFactory()
        stories_with_pictures(n, places=[place])
        article = with_figures(*ImageFactory.create_batch(n))
        article.lead_image = ImageFactory()
        article.save()
        article.places.add(place)
        page_cache.navigation_sections()  # kept since an earlier page
        page_cache.footer_site_pages()
        with django_assert_max_num_queries(ARTICLE_QUERIES):
            page = parse(client.get(article.get_absolute_url()))
        assert len(of(page, "img")) == n + 1

    def test_feeds_and_sitemap(self, client, django_assert_max_num_queries, n):
        stories_with_pictures(n)
        for url in ("/feed/", "/feed/atom/", "/sitemap-articles.xml"):
            with django_assert_max_num_queries(LIST_QUERIES):
                assert client.get(url).status_code == 200


class TestShareTags:
    def test_the_lead_images_social_rendition(self, client):
        image = ImageFactory(alt_text="Tankers at the terminal")
        article = story(image)

        tags = meta(parse(client.get(article.get_absolute_url(), HTTP_HOST=HOST)))

        social = image.renditions.get(spec="social", format="jpeg")
        assert tags["og:image"] == f"http://{HOST}/media/{social.file.name}"
        assert tags["og:image:type"] == "image/jpeg"
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        assert tags["og:image:alt"] == "Tankers at the terminal"
        assert tags["twitter:card"] == "summary_large_image"
        assert tags["twitter:image"] == tags["og:image"]

    def test_a_story_without_a_picture_shares_its_card(self, client):
        article = story(headline="Talks resume in Vienna")
        url, width, height = pictures.share_card(article, site_name="Newsroom")

        tags = meta(parse(client.get(article.get_absolute_url(), HTTP_HOST=HOST)))

        assert tags["og:image"] == f"http://{HOST}{url}"
        assert (tags["og:image:width"], tags["og:image:height"]) == (str(width), str(height))
        assert tags["og:image:alt"] == "Talks resume in Vienna"
        assert tags["twitter:card"] == "summary_large_image"
        assert client.get(url).status_code == 200

    def test_a_page_never_draws_or_stores(self, client, monkeypatch):
        article = story()

        def refuse(*args, **kwargs):
            raise AssertionError("a page drew or stored a picture")

        monkeypatch.setattr(imaging, "share_card", refuse)
        monkeypatch.setattr(default_storage, "exists", refuse)
        monkeypatch.setattr(default_storage, "save", refuse)
        assert client.get(article.get_absolute_url()).status_code == 200

    def test_publishing_draws_the_card_once_committed(
        self, editor, django_capture_on_commit_callbacks
    ):
        article = editorial.create(Article(headline="Ceasefire holds"), by=editor)
        with django_capture_on_commit_callbacks(execute=True):
            editorial.publish(article, by=editor, expected_version=article.version)
        url, _, _ = pictures.share_card_address(article, site_name="Newsroom")
        assert default_storage.exists(url.removeprefix("/media/"))

    def test_a_new_headline_is_a_new_card(self):
        article = story(headline="First words")
        before = pictures.share_card_address(article, site_name="Newsroom")
        article.headline = "Better words"
        assert pictures.share_card_address(article, site_name="Newsroom") != before

    def test_the_seed_story_gets_its_card(self, seed, client):
        article = Article.objects.get()
        tags = meta(parse(client.get(article.get_absolute_url())))
        assert "/media/cards/" in tags["og:image"]
        assert client.get(tags["og:image"].removeprefix("http://testserver")).status_code == 200

    def test_relink_render_draws_missing_cards(self):
        article = story()
        url, _, _ = pictures.share_card_address(article, site_name="Newsroom")
        out = io.StringIO()
        call_command("relink", "--render", "--no-progress", stdout=out)
        assert default_storage.exists(url.removeprefix("/media/"))
        assert "1 share cards drawn" in out.getvalue()


class TestStructuredData:
    def test_three_aspect_ratios_at_1200(self, client):
        article = story(ImageFactory())
        data = jsonld_of(client.get(article.get_absolute_url(), HTTP_HOST=HOST))
        assert [(i["@type"], i["width"], i["height"]) for i in data["image"]] == [
            ("ImageObject", 1200, 675),
            ("ImageObject", 1200, 900),
            ("ImageObject", 1200, 1200),
        ]
        assert all(i["url"].startswith(f"http://{HOST}/media/renditions/") for i in data["image"])
        assert [i["url"].split("/")[-1].split(".")[0] for i in data["image"]] == [
            "16x9-1200",
            "4x3-1200",
            "1x1-1200",
        ]

    def test_the_share_card_without_a_picture(self, client):
        article = story()
        url, width, height = pictures.share_card_address(article, site_name="Newsroom")
        data = jsonld_of(client.get(article.get_absolute_url()))
        assert data["image"] == [
            {
                "@type": "ImageObject",
                "url": f"http://testserver{url}",
                "width": width,
                "height": height,
            }
        ]

    def test_absolute_media_addresses_stay_as_they_are(self, client, settings):
        settings.MEDIA_URL = "https://media.example.net/"
        article = story(ImageFactory())
        data = jsonld_of(client.get(article.get_absolute_url()))
        assert all(
            i["url"].startswith("https://media.example.net/renditions/") for i in data["image"]
        )


class TestFeeds:
    def test_rss_media_content_and_enclosure(self, client):
        image = ImageFactory(caption="Ships in the bay.", credit="Ali Aliyev")
        article = story(image)
        story()  # without a picture: neither

        response = client.get("/feed/", HTTP_HOST=HOST)
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.bozo_exception
        (item,) = [e for e in parsed.entries if e.title == article.headline]
        w1024 = image.renditions.get(spec="w1024", format="jpeg")
        url = f"http://{HOST}/media/{w1024.file.name}"
        assert item.media_content == [
            {"url": url, "type": "image/jpeg", "width": "1024", "height": "683", "medium": "image"}
        ]
        assert [dict(e) for e in item.enclosures] == [
            {"href": url, "length": "10000", "type": "image/jpeg"}
        ]
        assert item.media_credit[0]["content"] == "Ali Aliyev"

        root = ElementTree.fromstring(response.content)
        items = {i.findtext("title"): i for i in root.iter("item")}
        content = items[article.headline].find(f"{MEDIA_RSS}content")
        assert content.get("url") == url and content.get("medium") == "image"
        assert content.findtext(f"{MEDIA_RSS}description") == "Ships in the bay."
        assert content.find(f"{MEDIA_RSS}description").get("type") == "plain"
        assert content.findtext(f"{MEDIA_RSS}credit") == "Ali Aliyev"
        assert len(items[article.headline].findall("enclosure")) == 1
        others = [i for title, i in items.items() if title != article.headline]
        assert all(
            i.find("enclosure") is None and i.find(f"{MEDIA_RSS}content") is None for i in others
        )

    def test_atom_link_enclosure(self, client):
        image = ImageFactory()
        article = story(image)
        response = client.get("/feed/atom/", HTTP_HOST=HOST)
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.bozo_exception
        (entry,) = parsed.entries
        assert entry.title == article.headline
        (enclosure,) = entry.enclosures
        assert enclosure["href"].startswith(f"http://{HOST}/media/renditions/")
        assert enclosure["type"] == "image/jpeg" and enclosure["length"] == "10000"
        root = ElementTree.fromstring(response.content)
        links = root.find(f"{ATOM}entry").findall(f"{ATOM}link[@rel='enclosure']")
        assert len(links) == 1

    def test_hostile_captions_are_text_in_the_feed(self, client):
        story(ImageFactory(caption=HOSTILE, credit=HOSTILE))
        root = ElementTree.fromstring(client.get("/feed/").content)
        content = next(root.iter(f"{MEDIA_RSS}content"))
        assert content.findtext(f"{MEDIA_RSS}description") == HOSTILE


class TestImageSitemap:
    def test_every_picture_a_story_shows(self, client):
        lead, inline = ImageFactory(), ImageFactory(width=800, height=600)
        article = with_figures(inline)
        article.lead_image = lead
        article.save()
        article.show_pictures()
        story()

        root = ElementTree.fromstring(client.get("/sitemap-articles.xml", HTTP_HOST=HOST).content)

        urls = {u.findtext(f"{SITEMAP}loc"): u for u in root.iter(f"{SITEMAP}url")}
        pictured = urls[f"http://{HOST}{article.get_absolute_url()}"]
        locs = [i.findtext(f"{IMAGE_SITEMAP}loc") for i in pictured.iter(f"{IMAGE_SITEMAP}image")]
        assert sorted(locs) == sorted(
            f"http://{HOST}/media/{image.renditions.get(spec=spec, format='jpeg').file.name}"
            for image, spec in ((lead, "w2048"), (inline, "w800"))
        )
        others = [u for loc, u in urls.items() if u is not pictured]
        assert all(not list(u.iter(f"{IMAGE_SITEMAP}image")) for u in others)
