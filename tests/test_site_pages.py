"""The site's own pages (About, Contact...): their addresses, the footer, the sitemap, the
admin, and what a change to one makes stale."""

import re
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path, reverse
from django.utils.http import http_date

from articles import page_cache, versions
from articles.models import SitePage
from articles.models.site_pages import reserved_slugs
from tests.factories import ImageFactory, PersonFactory, SitePageFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_sitepage_add")
CHANGELIST = reverse("admin:articles_sitepage_changelist")
HOSTILE = (
    '<p onclick="steal()">Hello<img src=x onerror=alert(1)></p>'
    "<script>alert(document.cookie)</script>"
    '<p><a href="javascript:alert(1)">click</a> <a href="/corrections/">ours</a></p>'
    "<style>body{display:none}</style><iframe src=//evil.example></iframe>"
)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(page):
    return reverse("admin:articles_sitepage_change", args=[page.pk])


def form(**changes):
    """What the admin's form posts for a new page, with ``changes``."""
    return {
        **{"title": "About the newsroom", "slug": "", "description": ""},
        **{"body": "<p>Who we are.</p>", "footer_position": "1", "published": "on"},
        **changes,
    }


def footer_links(html):
    footer = re.search(
        r'<nav class="site-pages" aria-label="About the site">(.*?)</nav>', html, re.S
    )
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer.group(1)) if footer else []


class TestPage:
    def test_it_renders_its_title_body_and_last_update(self, client):
        page = SitePageFactory(
            title="About the newsroom",
            slug="about",
            description="Who we are and what we publish.",
            body="<h2>Who we are</h2><p>A <strong>newsroom</strong> on wire copy.</p>",
        )
        response = client.get("/about/")
        assert response.status_code == 200
        html = response.text
        assert "<h1>About the newsroom</h1>" in html
        assert "<h2>Who we are</h2>\n<p>A <strong>newsroom</strong> on wire copy.</p>" in html
        assert re.search(
            rf'Last updated <time datetime="{page.updated_at:%Y-%m-%d}T[^"]+">[^<]+</time>', html
        )
        assert '<meta name="description" content="Who we are and what we publish.">' in html
        assert '<link rel="canonical" href="http://testserver/about/">' in html
        assert "<title>About the newsroom · Newsroom</title>" in html

    def test_its_description_defaults_to_its_title(self, client):
        SitePageFactory(title="Terms of use", slug="terms", description="")
        assert '<meta name="description" content="Terms of use">' in client.get("/terms/").text

    def test_an_editors_link_to_a_person_follows_their_address(self, client):
        person = PersonFactory(name="Zakir Hasanov")
        SitePageFactory(
            slug="about",
            body=f'<p>Ask <a data-link="person:{person.pk}" href="/old/">the minister</a>.</p>',
        )
        person.slug = "zakir-hasanov-2"
        person.save()
        html = client.get("/about/").text
        assert f'<a href="/people/zakir-hasanov-2/" data-link="person:{person.pk}">' in html

    def test_names_in_the_text_are_not_linked(self, client):
        # The gazetteer links mentions in stories; the site's own pages say what editors wrote.
        PersonFactory(name="Zakir Hasanov")
        SitePageFactory(slug="about", body="<p>Zakir Hasanov is not on our staff.</p>")
        assert "<p>Zakir Hasanov is not on our staff.</p>" in client.get("/about/").text

    def test_a_picture_in_the_body_is_shown(self, client):
        image = ImageFactory(alt_text="The desk at night")
        SitePageFactory(slug="about", body=f'<p>Our desk.</p><figure data-image="{image.pk}">')
        html = client.get("/about/").text
        assert f'<figure class="picture" data-image="{image.pk}"><picture' in html
        assert 'alt="The desk at night"' in html

    def test_an_unpublished_page_is_not_found(self, client):
        SitePageFactory(slug="contact", published=False)
        assert client.get("/contact/").status_code == 404

    def test_an_unknown_slug_is_not_found(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "<h1>Page not found</h1>" in response.text

    def test_a_renamed_page_moves_for_good(self, client):
        page = SitePageFactory(slug="about")
        page.slug = "about-us"
        page.save()
        response = client.get("/about/")
        assert response.status_code == 301
        assert response["Location"] == "/about-us/"
        assert client.get("/about-us/").status_code == 200

    def test_a_renamed_hidden_page_is_still_not_found(self, client):
        page = SitePageFactory(slug="about", published=False)
        page.slug = "about-us"
        page.save()
        assert client.get("/about/").status_code == 404

    def test_the_site_pages_address_shadows_no_other(self, client):
        # Routed last: even a page saved past the form's check (loaddata, the shell) with
        # a slug of the site's own leaves that address to the site.
        for slug in ("search", "corrections", "people"):
            SitePageFactory(slug=slug, title=f"Not {slug}")
        assert client.get("/search/").templates[0].name == "articles/search.html"
        assert client.get("/corrections/").templates[0].name == "articles/correction_list.html"
        assert client.get("/people/").templates[0].name == "articles/entity_index.html"


class TestReservedSlugs:
    SITE_SEGMENTS = [
        *("admin", "api", "articles", "people", "places", "sources", "authors", "sections"),
        *("search", "corrections", "feed", "media", "static", "sitemap", "news-sitemap"),
        *("robots", "healthz", "favicon"),
    ]

    @pytest.mark.parametrize("slug", SITE_SEGMENTS)
    def test_the_sites_own_first_segments_are_refused(self, slug):
        page = SitePage(title="A page", slug=slug, body="<p>Text.</p>")
        with pytest.raises(ValidationError) as refused:
            page.full_clean()
        assert refused.value.message_dict["slug"] == [
            f"“{slug}” is the address of a part of the site; choose another slug for this page."
        ]

    def test_every_first_segment_of_the_urlconf_is_reserved(self):
        # Addresses the site serves, one per top-level pattern of newsroom/urls.py and
        # articles/urls.py: each one's first segment is no site page's slug.
        served = [
            reverse("admin:index"),
            reverse("api-schema"),
            reverse("api-docs"),
            reverse("sitemap"),
            reverse("sitemap-section", args=["articles"]),
            reverse("news-sitemap"),
            reverse("robots"),
            reverse("healthz"),
            reverse("media", args=["renditions/ab/x.jpg"]),
            "/favicon.ico",
            reverse("articles:detail", args=["a-story"]),
            reverse("articles:search"),
            reverse("articles:corrections"),
            reverse("articles:feed"),
            *(reverse(f"articles:{plural}") for plural in ("people", "places", "sources")),
            *(reverse(f"articles:{plural}") for plural in ("authors", "sections")),
        ]
        reserved = reserved_slugs()
        for address in served:
            segment = address.split("/")[1]  # "sitemap-articles.xml": "sitemap" reserves it
            assert any(re.fullmatch(rf"{slug}(?:[-.].*)?", segment) for slug in reserved), address
        assert set(self.SITE_SEGMENTS) <= reserved_slugs()

    @override_settings(ROOT_URLCONF=__name__)
    def test_a_new_address_reserves_its_name(self):
        assert "newsletter" in reserved_slugs()
        with pytest.raises(ValidationError):
            SitePage(title="Newsletter", slug="newsletter").full_clean()

    def test_a_different_case_is_refused_too(self):
        with pytest.raises(ValidationError):
            SitePage(title="Admin", slug="Admin").full_clean()

    def test_a_slug_made_from_the_title_steps_aside(self):
        assert SitePageFactory(title="Search", slug="").slug == "search-2"
        assert SitePageFactory(title="About", slug="").slug == "about"

    def test_the_admin_form_says_why(self, editor):
        response = client_for(editor).post(ADD, form(slug="corrections"))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["slug"] == [
            "“corrections” is the address of a part of the site; choose another slug for this page."
        ]
        assert not SitePage.objects.exists()


# A URLconf with one address more, for test_a_new_address_reserves_its_name.
urlpatterns = [path("newsletter/", lambda request: None), path("", include("newsroom.urls"))]


class TestBadInput:
    def test_hostile_html_never_survives(self, client):
        page = SitePageFactory(slug="about", body=HOSTILE)
        stored = SitePage.objects.get(pk=page.pk).body
        html = client.get("/about/").text
        for text in (stored, html):
            for hostile in ("<script", "onerror", "onclick", "javascript:", "<style", "<iframe"):
                assert hostile not in text
        # The javascript: link loses its address and with it its tag; its text stays.
        assert stored == '<p>Hello</p>\n<p>click <a href="/corrections/">ours</a></p>'
        assert '<a href="/corrections/">ours</a>' in html

    def test_hostile_html_through_the_admin_is_cleaned(self, editor):
        response = client_for(editor).post(ADD, form(body=HOSTILE, title="<b>About</b>"))
        assert response.status_code == 302
        page = SitePage.objects.get()
        assert "<script" not in page.body and "onerror" not in page.body
        assert "Hello" in page.body

    def test_a_title_stays_text(self, client):
        SitePageFactory(slug="about", title='<script>alert("x")</script>')
        for url in ("/about/", "/"):
            html = client.get(url).text
            assert "<script>alert" not in html
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html

    def test_a_huge_title_is_refused_clearly(self, editor):
        response = client_for(editor).post(ADD, form(title="A" * 201))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["title"] == [
            "Ensure this value has at most 200 characters (it has 201)."
        ]
        assert not SitePage.objects.exists()

    def test_an_empty_title_is_refused(self, editor):
        response = client_for(editor).post(ADD, form(title="   "))
        assert response.context["adminform"].form.errors["title"] == ["This field is required."]
        assert not SitePage.objects.exists()

    def test_a_malformed_slug_is_refused(self, editor):
        response = client_for(editor).post(ADD, form(slug="about us/../admin"))
        assert "slug" in response.context["adminform"].form.errors
        assert not SitePage.objects.exists()

    def test_a_huge_body_is_kept_whole(self, client, editor):
        body = "".join(f"<p>Paragraph {n} of the terms.</p>" for n in range(5000))
        response = client_for(editor).post(ADD, form(slug="terms", body=body))
        assert response.status_code == 302
        assert SitePage.objects.get().body.count("<p>") == 5000
        assert "Paragraph 4999 of the terms." in client.get("/terms/").text

    def test_sql_in_a_title_is_only_text(self, client):
        title = "About'; DROP TABLE articles_sitepage; --"
        SitePageFactory(slug="about", title=title)
        assert SitePage.objects.get().title == title
        assert "About&#x27;; DROP TABLE articles_sitepage; --" in client.get("/about/").text

    def test_a_hostile_address_is_not_found(self, client):
        for url in ("/%00/", "/about%00/", "/' OR 1=1 --/", "/" + "a" * 5000 + "/"):
            assert client.get(url).status_code == 404


class TestFooter:
    def test_it_lists_the_published_pages_in_their_order(self, client):
        SitePageFactory(title="Terms", slug="terms", footer_position=4)
        SitePageFactory(title="About", slug="about", footer_position=1)
        SitePageFactory(title="Draft page", slug="draft", footer_position=2, published=False)
        SitePageFactory(title="Contact", slug="contact", footer_position=2)
        expected = [("/about/", "About"), ("/contact/", "Contact"), ("/terms/", "Terms")]
        for url in ("/", "/corrections/", "/about/", "/no-such-page/"):
            assert footer_links(client.get(url).text) == expected, url

    def test_no_pages_no_footer_list(self, client):
        assert '<nav class="site-pages"' not in client.get("/").text

    def test_it_costs_one_query_on_a_cold_cache_and_none_after(self, django_assert_num_queries):
        SitePageFactory.create_batch(4)
        with django_assert_num_queries(1):
            assert len(page_cache.footer_site_pages()) == 4
        with django_assert_num_queries(0):
            assert len(page_cache.footer_site_pages()) == 4

    @pytest.mark.parametrize("n", [2, 20])
    def test_a_page_costs_no_query_for_a_kept_footer(self, client, settings, n):
        settings.PAGE_CACHE_SECONDS = 0
        page_cache.navigation_sections()
        page_cache.footer_site_pages()
        with CaptureQueriesContext(connection) as without_pages:
            client.get("/corrections/")
        SitePageFactory.create_batch(n)
        page_cache.footer_site_pages()  # kept since an earlier page
        with CaptureQueriesContext(connection) as with_pages:
            assert len(footer_links(client.get("/corrections/").text)) == n
        assert len(with_pages) == len(without_pages)


class TestSitemap:
    def test_it_lists_the_published_pages_only(self, client):
        SitePageFactory(slug="about")
        SitePageFactory(slug="terms")
        SitePageFactory(slug="hidden", published=False)
        xml = client.get("/sitemap-site-pages.xml").content.decode()
        assert re.findall(r"<loc>([^<]+)</loc>", xml) == [
            "http://testserver/about/",
            "http://testserver/terms/",
        ]
        assert "<lastmod>" in xml
        assert "http://testserver/sitemap-site-pages.xml" in client.get("/sitemap.xml").text

    @pytest.mark.parametrize("n", [2, 20])
    def test_it_costs_the_same_queries_whatever_the_rows(
        self, client, settings, django_assert_max_num_queries, n
    ):
        settings.PAGE_CACHE_SECONDS = 0
        SitePageFactory.create_batch(n)
        with django_assert_max_num_queries(2):  # the pages, and their count for the index
            xml = client.get("/sitemap-site-pages.xml").content.decode()
        assert xml.count("<loc>") == n


@pytest.mark.parametrize("n", [2, 20])
def test_a_site_page_costs_the_same_queries_whatever_the_rows(
    client, settings, django_assert_max_num_queries, n
):
    settings.PAGE_CACHE_SECONDS = 0
    person = PersonFactory()
    images = [ImageFactory() for _ in range(2)]
    figures = "".join(f'<figure data-image="{image.pk}"></figure>' for image in images)
    SitePageFactory.create_batch(n)
    page = SitePageFactory(
        body=f'<p><a data-link="person:{person.pk}" href="/">A person</a></p>{figures}'
    )
    page_cache.navigation_sections()  # kept since an earlier page
    page_cache.footer_site_pages()
    # The page, the addresses its links name, its pictures and their renditions.
    with django_assert_max_num_queries(4):
        response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    assert len(footer_links(response.text)) == n + 1


class TestStale:
    @staticmethod
    def last_change_an_hour_ago():
        versions.move(page_cache.GENERATION_KEY)
        changed_at = time.time() - 3600
        page_cache.cache.set(page_cache.CHANGED_AT_KEY, changed_at, timeout=None)
        return http_date(changed_at)

    def test_a_change_shows_at_once_on_every_cached_page(self, client):
        assert footer_links(client.get("/").text) == []
        page = SitePageFactory(title="About", slug="about")
        assert footer_links(client.get("/").text) == [("/about/", "About")]
        assert "<h1>About</h1>" in client.get("/about/").text

        page.title = "About us"
        page.body = "<p>New text.</p>"
        page.save()
        assert footer_links(client.get("/").text) == [("/about/", "About us")]
        assert "<p>New text.</p>" in client.get("/about/").text

        page.published = False
        page.save()
        assert footer_links(client.get("/").text) == []
        assert client.get("/about/").status_code == 404

        page.published = True
        page.save()
        assert client.get("/about/").status_code == 200
        page.delete()
        assert footer_links(client.get("/").text) == []
        assert client.get("/about/").status_code == 404

    def test_a_hidden_page_edited_changes_nothing_public(self, client, django_assert_num_queries):
        page = SitePageFactory(slug="draft", published=False)
        an_hour_ago = self.last_change_an_hour_ago()
        before = client.get("/")
        assert before["Last-Modified"] == an_hour_ago
        page = SitePage.objects.get(pk=page.pk)
        page.title = "Still a draft"
        page.save()
        SitePageFactory(published=False)
        page.delete()
        with django_assert_num_queries(0):  # the cached page stands
            after = client.get("/")
        assert after["Last-Modified"] == an_hour_ago

    def test_a_copy_that_never_read_the_row_counts(self, client):
        page = SitePageFactory(title="About", slug="about")
        client.get("/")
        copy = SitePage(pk=page.pk, title="About us", slug="about", published=False)
        copy.created_at = page.created_at
        copy.save()
        assert footer_links(client.get("/").text) == []

    def test_a_picture_described_again_shows_on_the_page(self, client):
        image = ImageFactory(alt_text="The old desk")
        SitePageFactory(slug="about", body=f'<figure data-image="{image.pk}"></figure>')
        assert 'alt="The old desk"' in client.get("/about/").text
        image.alt_text = "The new desk"
        image.save()
        assert 'alt="The new desk"' in client.get("/about/").text


class TestAdmin:
    def test_an_editor_adds_a_page(self, client, editor):
        response = client_for(editor).post(
            ADD, form(title="Contact", body="Write to desk@example.org.\r\n\r\nOr call.")
        )
        assert response.status_code == 302
        page = SitePage.objects.get()
        assert (page.slug, page.published) == ("contact", True)
        assert page.body == "<p>Write to desk@example.org.</p>\n<p>Or call.</p>"
        assert footer_links(client.get("/").text) == [("/contact/", "Contact")]

    def test_an_editor_changes_a_page(self, client, editor):
        page = SitePageFactory(title="About", slug="about")
        response = client_for(editor).post(
            change_url(page), form(title="About us", slug="about-us", body="<p>Changed.</p>")
        )
        assert response.status_code == 302
        page.refresh_from_db()
        assert (page.title, page.slug, page.body) == ("About us", "about-us", "<p>Changed.</p>")
        assert client.get("/about/")["Location"] == "/about-us/"

    def test_the_form_edits_the_body_in_the_story_editor(self, editor):
        page = SitePageFactory(slug="about")
        html = client_for(editor).get(change_url(page)).text
        assert re.search(r'<textarea[^>]+name="body"[^>]+data-body-editor=', html)
        assert "desk/editor/editor.js" in html
        view_on_site = rf'<a href="/admin/r/\d+/{page.pk}/" class="viewsitelink">View on site</a>'
        assert re.search(view_on_site, html)

    def test_the_list_is_in_footer_order_with_each_address(self, editor):
        terms = SitePageFactory(title="Terms", slug="terms", footer_position=2)
        about = SitePageFactory(title="About", slug="about", footer_position=1)
        response = client_for(editor).get(CHANGELIST)
        assert list(response.context["cl"].result_list) == [about, terms]
        assert '<a href="/about/">/about/</a>' in response.text
        for column in ("title", "address", "footer_position", "published", "updated_at"):
            assert f"column-{column}" in response.text

    def test_the_footer_order_is_edited_in_the_list(self, client, editor):
        about = SitePageFactory(title="About", slug="about", footer_position=1)
        terms = SitePageFactory(title="Terms", slug="terms", footer_position=2)
        client.get("/")
        response = client_for(editor).post(
            CHANGELIST,
            {
                **{"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "_save": "Save"},
                **{"form-0-id": str(about.pk), "form-0-footer_position": "3"},
                **{"form-1-id": str(terms.pk), "form-1-footer_position": "2"},
            },
        )
        assert response.status_code == 302
        assert [title for _, title in footer_links(client.get("/").text)] == ["Terms", "About"]

    def test_editors_maintain_pages_and_reporters_do_not(self, editor, reporter):
        assert client_for(reporter).get(ADD).status_code == 403
        assert client_for(reporter).get(CHANGELIST).status_code == 403
        assert client_for(editor).get(ADD).status_code == 200
        assert editor.has_perms(
            [f"articles.{action}_sitepage" for action in ("add", "change", "delete", "view")]
        )


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_editors_site_pages_and_takes_them_back():
    def codenames(apps, group):
        permissions = apps.get_model("auth", "Group").objects.get(name=group).permissions
        return set(
            permissions.filter(codename__endswith="_sitepage").values_list("codename", flat=True)
        )

    def migrate(target):
        executor = MigrationExecutor(connection)
        executor.migrate(target)
        return executor.loader.project_state(target).apps

    try:
        old = migrate([("articles", "0024_section_rules")])
        for group in ("Editor", "Reporter"):  # as 0004 made them (transactional tests empty tables)
            old.get_model("auth", "Group").objects.get_or_create(name=group)
        new = migrate([("articles", "0025_site_pages")])
        assert codenames(new, "Editor") == {
            *("add_sitepage", "change_sitepage", "delete_sitepage", "view_sitepage")
        }
        assert codenames(new, "Reporter") == set()
        undone = migrate([("articles", "0024_section_rules")])
        assert codenames(undone, "Editor") == set()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
