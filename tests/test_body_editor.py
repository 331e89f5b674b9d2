"""The body editor's server side: its widget in the change form, the link dialog's search
(``ArticleAdmin.link_targets``), the format every way into a body ends in, and the editor's
built files. The editor itself is tested in a browser (tests/browser/test_body_editor.py)."""

import html
import json
import os
import re
import shutil
import subprocess

import factory
import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from rest_framework import status

from articles import bodies, kinds
from articles.admin.widgets import FORMAT
from articles.models import Person
from tests.factories import ArticleFactory, PersonFactory, PlaceFactory, SourceFactory, UserFactory
from tests.helpers import ROOT, XSS_CORPUS, assert_body_in_the_format

ADD_ARTICLE = reverse("admin:articles_article_add")
LINK_TARGETS = reverse("admin:articles_article_link_targets")
NODE_MODULES = ROOT / "node_modules"


def factory_name(prefix):
    return factory.Sequence(lambda n: f"{prefix} {n}")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def search(client, term):
    return client.get(LINK_TARGETS, {"term": term})


def found(response):
    assert response.status_code == status.HTTP_200_OK, response.content
    return [(result["kind"], result["name"]) for result in response.json()["results"]]


class TestTheWidget:
    def test_the_body_is_a_textarea_with_what_the_editor_needs(self, editor):
        page = client_for(editor).get(ADD_ARTICLE).content.decode()

        textarea = re.search(r'<textarea name="body"[^>]*>', page).group(0)
        assert f'data-link-targets="{LINK_TARGETS}"' in textarea
        format_ = json.loads(html.unescape(re.search(r'data-body-editor="([^"]*)"', textarea)[1]))
        assert format_ == FORMAT
        assert re.search(r'<script src="/static/desk/editor/editor\.js"[^>]* defer>', page)
        assert '<link href="/static/desk/editor/editor.css"' in page


class TestLinkTargets:
    def test_each_kind_by_name_or_alias_and_stories_by_headline(self, reporter, seed):
        client = client_for(reporter)
        hasanov = Person.objects.get(slug="zakir-hasanov")

        response = search(client, "hasanov")

        assert response.json() == {
            "results": [
                {
                    "kind": "person",
                    "id": hasanov.pk,
                    "name": "Zakir Hasanov",
                    "label": "person",
                    "url": "/people/zakir-hasanov/",
                }
            ]
        }
        assert found(search(client, "Gəncə")) == [("place", "Ganja")]  # an alias
        assert found(search(client, "Trend.az")) == [("source", "Trend News Agency")]
        assert found(search(client, "iskander")) == [
            (
                "article",
                "Azerbaijan’s defense minister warns of retaliation if Armenia fires "
                "Iskander missiles",
            )
        ]

    def test_names_that_start_with_the_term_come_first(self, reporter):
        PersonFactory(name="Zakir Hasanov")
        PersonFactory(name="Hasan Aliyev")
        PersonFactory(name="Aliyev Hasan")

        assert found(search(client_for(reporter), "hasan")) == [
            ("person", "Hasan Aliyev"),
            ("person", "Aliyev Hasan"),
            ("person", "Zakir Hasanov"),
        ]

    def test_ten_of_each_kind_at_most(self, reporter):
        PersonFactory.create_batch(12, name=factory_name("Aliyev"))
        PlaceFactory.create_batch(3, name=factory_name("Aliyev street"))
        ArticleFactory.create_batch(11, headline=factory_name("Aliyev visits"))

        kinds = [kind for kind, _ in found(search(client_for(reporter), "aliyev"))]

        assert kinds == ["person"] * 10 + ["place"] * 3 + ["article"] * 10

    def test_the_desk_finds_drafts_too(self, reporter):
        ArticleFactory(headline="Bridge reopens", public=True)
        ArticleFactory(headline="Bridge still shut")
        PersonFactory(name="Bridget Jones")

        assert sorted(found(search(client_for(reporter), "bridge"))) == [
            ("article", "Bridge reopens"),
            ("article", "Bridge still shut"),
            ("person", "Bridget Jones"),
        ]

    def test_who_may_write_but_not_read_the_desk_finds_public_stories_only(self, db):
        ArticleFactory(headline="Bridge reopens", public=True)
        ArticleFactory(headline="Bridge still shut")
        PersonFactory(name="Bridget Jones")
        writer = UserFactory(username="writer", is_staff=True)
        writer.user_permissions.add(Permission.objects.get(codename="add_article"))

        assert found(search(client_for(writer), "bridge")) == [("article", "Bridge reopens")]

    def test_staff_who_write_no_stories_are_refused(self, db):
        staff = UserFactory(username="staff", is_staff=True)

        assert search(client_for(staff), "Ganja").status_code == status.HTTP_403_FORBIDDEN

    def test_only_for_the_desk(self, client, db):
        outsider = client_for(UserFactory(username="reader"))

        for visitor in (client, outsider):
            response = search(visitor, "Ganja")
            assert response.status_code == status.HTTP_302_FOUND
            assert response["Location"].startswith(reverse("admin:login"))

    @pytest.mark.parametrize("n", [3, 30])
    def test_queries(self, reporter, django_assert_max_num_queries, n):
        for model_factory in (PersonFactory, PlaceFactory, SourceFactory):
            model_factory.create_batch(n, name=factory_name("Match"))
        ArticleFactory.create_batch(n, headline=factory_name("Match"))
        client = client_for(reporter)

        # The session, the user and their permissions, then one query per kind and stories.
        with django_assert_max_num_queries(4 + len(kinds.KINDS) + 1):
            response = search(client, "match")

        assert len(found(response)) == 4 * min(n, 10)

    @pytest.mark.parametrize(
        "term",
        ["' OR 1=1 --", '"; DROP TABLE articles_person; --', "%", "_", "\\", "*", "Ga%ja"],
    )
    def test_a_term_is_text_not_a_query(self, reporter, seed, term):
        assert found(search(client_for(reporter), term)) == []
        assert Person.objects.exists()

    @pytest.mark.parametrize("term", ["\x00", "Gan\x00ja", "x" * 301, "Ganja " * 10_000])
    def test_a_term_no_name_can_match_is_a_400(self, reporter, term):
        response = search(client_for(reporter), term)

        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert list(response.json()["errors"]) == ["term"]

    @pytest.mark.parametrize("term", ["", "   "])
    def test_no_term_no_search(self, reporter, django_assert_max_num_queries, term):
        client = client_for(reporter)

        # The session, the user and their permissions: nothing is searched.
        with django_assert_max_num_queries(4):
            assert found(search(client, term)) == []


@pytest.mark.parametrize("markup", XSS_CORPUS)
def test_hostile_markup_leaves_only_the_format(markup):
    # Every way into a body ends in bodies.clean: the form, the editor's paste and restore
    # (sent through the form), the API and the wire desk.
    body = bodies.clean(markup)

    assert_body_in_the_format(body)
    assert "alert" not in body
    assert bodies.clean(body) == body


def test_the_built_editor_is_what_its_sources_build():
    """static/desk/editor/editor.js, editor.css and LICENSES.txt, rebuilt by
    `npm run build:editor` from static/desk/editor/src/ and package-lock.json."""
    if shutil.which("node") is None or not (NODE_MODULES / "esbuild").exists():
        reason = "node or esbuild missing (apt-get install nodejs npm; npm ci)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)

    built = subprocess.run(
        ["node", "static/desk/editor/src/build.mjs", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert built.returncode == 0, built.stderr
