"""The page cache as visitors and outsiders meet it: what a cached page is keyed by, what
can fill the cache, and what Last-Modified tells the world (articles/page_cache.py,
articles/invalidation.py)."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.http import http_date

from articles import editorial, page_cache, versions
from articles.models import Article, Status
from tests.factories import ArticleFactory, PersonFactory, PlaceFactory

pytestmark = pytest.mark.django_db


class TestKeyedByScheme:
    """Behind a TLS proxy (SECURE_PROXY_SSL_HEADER) one address is asked for over both."""

    @pytest.mark.parametrize(
        "url", ["/", "/people/", "/places/ganja/", SEED := "seed", "/sitemap.xml", "/feed/atom/"]
    )
    def test_http_and_https_pages_are_kept_apart(self, client, seed, url):
        if url == self.SEED:
            url = Article.objects.get().get_absolute_url()
        https = client.get(url, HTTP_HOST="testserver", HTTP_X_FORWARDED_PROTO="https").content
        http = client.get(url, HTTP_HOST="testserver").content
        assert b"https://testserver/" in https and b"http://testserver/" not in https
        assert b"http://testserver/" in http and b"https://testserver/" not in http


class TestOnlyTheQueryAPageReads:
    def test_junk_query_strings_share_one_entry(
        self, client, stored_pages, django_assert_num_queries
    ):
        ArticleFactory.create_batch(3, public=True)
        assert client.get("/", {"utm_source": "first"}).status_code == 200
        with django_assert_num_queries(0):
            for n in range(20):
                response = client.get("/", {"utm_source": f"junk{n}", "fbclid": n})
                assert response.status_code == 200
        assert len(stored_pages) == 1
        assert "junk" not in response.text and "utm_source" not in response.text

    def test_the_view_never_sees_the_junk(self, client):
        ArticleFactory.create_batch(25, public=True)
        page = client.get("/", {"utm_source": "<evil>", "page": "1"}).text
        assert 'rel="next" href="?page=2"' in page
        assert "evil" not in page
        assert '<link rel="canonical" href="http://testserver/?page=1">' in page

    @pytest.mark.parametrize(
        ("first", "second", "shared"),
        [
            ("/?page=2", "/?page=2&utm=x", True),
            ("/?page=2", "/", False),
            ("/search/?q=story&page=1", "/search/?page=1&q=story&ref=x", True),
            ("/search/?q=story", "/search/?q=other", False),
            ("/search/?q=story", "/search/?q=story&place=ganja", False),
            ("/search/?q=story", "/search/?q=story&person=someone", False),
            ("/places/ganja/?page=1", "/places/ganja/?page=1&x=1", True),
            ("/sitemap-articles.xml?p=1", "/sitemap-articles.xml?p=1&x=1", True),
            ("/feed/", "/feed/?page=7", True),
        ],
    )
    def test_the_parameters_each_page_declares_make_their_own_entries(
        self, client, stored_pages, first, second, shared
    ):
        ArticleFactory.create_batch(
            25, public=True, places=[PlaceFactory(name="Ganja")], people=[PersonFactory()]
        )
        assert client.get(first).status_code == 200
        assert client.get(second).status_code == 200
        keys = {key for key, _ in stored_pages}
        assert len(keys) == (1 if shared else 2)


class TestLastModified:
    """Last-Modified moves when what readers can see changes, and only then: the desk's
    work on a story out of public view is not announced to the world."""

    @staticmethod
    def last_change_an_hour_ago():
        """Pages rendered from now on say the newsroom last changed an hour ago, so a
        move would show; returns that Last-Modified."""
        versions.move(page_cache.GENERATION_KEY)  # no page cached with a later one
        changed_at = time.time() - 3600
        cache.set(page_cache.CHANGED_AT_KEY, changed_at, timeout=None)
        return http_date(changed_at)

    @pytest.mark.parametrize(
        "state",
        [
            {"status": Status.DRAFT},
            {"status": Status.REVIEW},
            {"status": Status.ARCHIVED, "published_at": timezone.now() - timedelta(days=1)},
        ],
        ids=["draft", "review", "archived"],
    )
    def test_a_story_out_of_view_changes_nothing_public(
        self, client, editor, django_assert_num_queries, state
    ):
        ArticleFactory(public=True, headline="A public story")
        story = Article.objects.get(pk=ArticleFactory(**state).pk)
        place = PlaceFactory()
        an_hour_ago = self.last_change_an_hour_ago()
        before = client.get("/")
        assert before["Last-Modified"] == an_hour_ago

        editorial.edit(
            story, by=editor, expected_version=story.version, changes={"headline": "Busy desk"}
        )
        story.places.add(place)
        ArticleFactory(**state, source=story.source)  # a new one, from a known agency
        Article.objects.get(pk=story.pk).delete()

        with django_assert_num_queries(0):  # the cached page stands
            after = client.get("/")
        assert after["Last-Modified"] == before["Last-Modified"]
        assert after.content == before.content

    def test_publishing_unpublishing_and_editing_in_public_move_it(self, client, editor):
        story = Article.objects.get(pk=ArticleFactory().pk)
        seen = []
        for act in (
            lambda: editorial.publish(story, by=editor),
            lambda: editorial.edit(
                story, by=editor, expected_version=story.version, changes={"headline": "New"}
            ),
            lambda: editorial.correct(story, "A correction.", by=editor),
            lambda: editorial.unpublish(story, by=editor),
        ):
            an_hour_ago = self.last_change_an_hour_ago()
            assert client.get("/")["Last-Modified"] == an_hour_ago
            act()
            seen.append(client.get("/")["Last-Modified"] != an_hour_ago)
        assert seen == [True, True, True, True]

    def test_scheduling_makes_pages_expire_at_the_publication_time(
        self, client, editor, stored_pages
    ):
        story = Article.objects.get(pk=ArticleFactory().pk)
        client.get("/")
        editorial.publish(story, by=editor, at=timezone.now() + timedelta(seconds=30))
        response = client.get("/")  # a new page: the old one was kept for 300 s
        assert response.status_code == 200
        assert len(stored_pages) == 2 and 0 < stored_pages[-1][1] <= 31

        story = Article.objects.get(pk=story.pk)
        editorial.edit(
            story,
            by=editor,
            expected_version=story.version,
            changes={"published_at": timezone.now() + timedelta(seconds=10)},
        )
        client.get("/")  # rescheduled sooner: the page is kept until then only
        assert len(stored_pages) == 3 and 0 < stored_pages[-1][1] <= 11

    def test_a_copy_that_never_read_the_row_counts(self, client):
        """loaddata, or a bare instance saved over a published story: it may unpublish it."""
        story = ArticleFactory(public=True, headline="Soon gone")
        assert "Soon gone" in client.get("/").text
        blind = Article.objects.get(pk=story.pk)
        del blind._loaded
        blind.status = Status.DRAFT
        blind.save()
        assert "Soon gone" not in client.get("/").text
