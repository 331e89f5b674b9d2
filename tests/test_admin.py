"""The editors' desk in the admin: list, roles, workflow, corrections, presence,
autosave, history, conflicts and bad input."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from reversion.models import Version

from articles import editorial, history, intake
from articles.admin import pagination
from articles.models import (
    Article,
    Author,
    Autosave,
    EditConflict,
    Person,
    Place,
    Presence,
    Section,
    Status,
    WireItem,
)
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PersonFactory,
    PlaceFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
    staff,
)
from tests.helpers import change_url

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(article, **changes):
    """What the change form posts for ``article`` as stored, with ``changes``."""
    article = Article.objects.get(pk=article.pk)
    data = {
        key: value
        for key, value in model_to_dict(article).items()
        if key in {"headline", "summary", "body", "byline", "status", "slug"}
    }
    local = timezone.localtime(article.published_at) if article.published_at else None
    data.update(
        authors=[a.pk for a in article.authors.all()],
        people=[p.pk for p in article.people.all()],
        places=[p.pk for p in article.places.all()],
        mentioned_sources=[s.pk for s in article.mentioned_sources.all()],
        source=article.source_id or "",
        section=article.section_id or "",
        dateline=article.dateline_id or "",
        published_at_0=f"{local:%Y-%m-%d}" if local else "",
        published_at_1=f"{local:%H:%M:%S}" if local else "",
        opened_version=article.version,
    )
    data.update(changes)
    return data


def add_data(**fields):
    return {
        "headline": "",
        "summary": "",
        "body": "",
        "byline": "",
        "status": Status.DRAFT,
        "slug": "",
        "published_at_0": "",
        "published_at_1": "",
        **fields,
    }


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


class TestChangelist:
    @pytest.mark.parametrize("rows", [5, 100])
    def test_queries_are_fixed_whatever_the_rows(self, editor, django_assert_max_num_queries, rows):
        source, updater = SourceFactory(), editor
        for _ in range(rows):
            ArticleFactory(source=source, updated_by=updater, public=True)
        client = client_for(editor)
        with django_assert_max_num_queries(14):
            response = client.get(CHANGELIST)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == rows

    def test_no_full_count_of_a_large_table(self, editor, monkeypatch):
        monkeypatch.setattr(pagination, "COUNT_CAP", 3)
        ArticleFactory.create_batch(5)
        response = client_for(editor).get(CHANGELIST)
        assert "More than 3 articles" in response.text
        assert response.context["cl"].paginator.count == 4

    def test_status_shows_scheduled_and_who_changed_it(self, editor):
        ArticleFactory(
            headline="Tomorrow's story",
            status=Status.PUBLISHED,
            published_at=timezone.now() + timedelta(days=1),
            updated_by=editor,
        )
        response = client_for(editor).get(CHANGELIST)
        assert "Scheduled" in response.text
        assert "by editor" in response.text

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("draft", {"draft"}),
            ("review", {"review"}),
            ("scheduled", {"scheduled"}),
            ("published", {"live"}),
            ("archived", {"archived"}),
        ],
    )
    def test_status_filter(self, editor, value, expected):
        now = timezone.now()
        ArticleFactory(headline="draft", status=Status.DRAFT)
        ArticleFactory(headline="review", status=Status.REVIEW)
        ArticleFactory(headline="live", status=Status.PUBLISHED, published_at=now)
        later = now + timedelta(hours=3)
        ArticleFactory(headline="scheduled", status=Status.PUBLISHED, published_at=later)
        ArticleFactory(headline="archived", status=Status.ARCHIVED, published_at=now)
        response = client_for(editor).get(CHANGELIST, {"status": value})
        assert {a.headline for a in response.context["cl"].result_list} == expected

    def test_entity_filters(self, editor):
        ganja, hasanov, trend = PlaceFactory(name="Ganja"), PersonFactory(), SourceFactory()
        wanted = ArticleFactory(places=[ganja], people=[hasanov], source=trend)
        ArticleFactory.create_batch(2)
        client = client_for(editor)
        for parameter, entity in [("place", ganja), ("person", hasanov), ("source", trend)]:
            response = client.get(CHANGELIST, {parameter: entity.pk})
            assert list(response.context["cl"].result_list) == [wanted], parameter
        response = client.get(CHANGELIST)
        assert "Ganja" in response.text  # the most linked places are offered

    def test_the_most_linked_are_counted_among_the_newest_stories(self, editor, monkeypatch):
        from django.core.cache import cache

        from articles.admin import filters

        monkeypatch.setattr(filters, "POPULAR_AMONG", 2)
        cache.clear()
        yesterday = timezone.now() - timedelta(days=1)
        old_news = PlaceFactory(name="Old News Town")
        for _ in range(3):
            article = ArticleFactory(places=[old_news])
            Article.objects.filter(pk=article.pk).update(created_at=yesterday)
        ArticleFactory.create_batch(2, places=[PlaceFactory(name="Today Town")])
        response = client_for(editor).get(CHANGELIST)
        assert "Today Town" in response.text
        assert "Old News Town" not in response.text

    def test_the_years_come_from_the_first_and_last_story(self, editor):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for year in (2019, 2022):
            moment = timezone.now().replace(year=year, month=6, day=1)
            ArticleFactory(status=Status.ARCHIVED, published_at=moment)
        client = client_for(editor)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CHANGELIST)
        page = response.text
        for year in ("2019", "2020", "2021", "2022"):
            assert f"?published_at__year={year}" in page
        # No scan of the whole archive for its distinct years.
        assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]
        drilled = client.get(CHANGELIST, {"published_at__year": 2019})
        assert "published_at__month=6" in drilled.text

    def test_search_reads_the_body(self, editor):
        ArticleFactory(headline="Quiet", body="Shelling near Tartar overnight.")
        ArticleFactory(headline="Other")
        response = client_for(editor).get(CHANGELIST, {"q": "Tartar"})
        assert [a.headline for a in response.context["cl"].result_list] == ["Quiet"]

    def test_newest_first_and_by_date(self, editor):
        old = ArticleFactory(headline="Old", public=True)
        new = ArticleFactory(headline="New", public=True)
        response = client_for(editor).get(CHANGELIST)
        assert list(response.context["cl"].result_list)[:2] == [new, old]
        year = timezone.localtime(new.published_at).year
        response = client_for(editor).get(CHANGELIST, {"published_at__year": year})
        assert response.status_code == 200


class TestEntities:
    @pytest.mark.parametrize("model", ["place", "person", "source", "author", "section"])
    @pytest.mark.parametrize("rows", [3, 40])
    def test_entity_lists_count_stories_in_fixed_queries(
        self, editor, django_assert_max_num_queries, model, rows
    ):
        for _ in range(rows):
            place, person = PlaceFactory(), PersonFactory()
            ArticleFactory(
                places=[place],
                people=[person],
                authors=[AuthorFactory()],
                section=SectionFactory(),
            )
        client = client_for(editor)
        with django_assert_max_num_queries(8):
            response = client.get(reverse(f"admin:articles_{model}_changelist"))
        assert response.status_code == 200

    def test_an_author_links_to_their_stories_and_the_list_filters_by_them(self, editor):
        jane = AuthorFactory(name="Jane Doe")
        stories = ArticleFactory.create_batch(2, authors=[jane])
        ArticleFactory()
        response = client_for(editor).get(reverse("admin:articles_author_changelist"))
        assert f'href="{CHANGELIST}?author={jane.pk}">2</a>' in response.text
        listed = client_for(editor).get(CHANGELIST, {"author": jane.pk})
        assert set(listed.context["cl"].result_list) == set(stories)

    def test_the_form_sets_authors_through_the_editorial_service(self, editor):
        jane = AuthorFactory(name="Jane Doe")
        article = ArticleFactory(created_by=editor)
        client = client_for(editor)
        form = client.get(change_url(article)).text
        assert 'name="authors"' in form and "admin-autocomplete" in form
        response = client.post(change_url(article), form_data(article, authors=[jane.pk]))
        assert response.status_code == 302
        assert list(Article.objects.get(pk=article.pk).authors.all()) == [jane]
        assert history.versions_of(article).first().revision.comment == "Changed authors."

    def test_a_reporter_reads_authors_and_an_editor_manages_them(self, editor, reporter):
        url = reverse("admin:articles_author_add")
        assert client_for(reporter).get(url).status_code == 403
        assert (
            client_for(reporter).get(reverse("admin:articles_author_changelist")).status_code == 200
        )
        response = client_for(editor).post(
            url, {"name": "Jane Doe", "slug": "", "aliases": '["J. Doe"]', "title": "", "bio": ""}
        )
        assert response.status_code == 302
        assert Author.objects.get().aliases == ["J. Doe"]

    def test_sections_are_listed_in_the_navigation_order_with_their_stories(self, editor):
        world = SectionFactory(name="World", position=5)
        politics = SectionFactory(name="Politics", position=1)
        stories = ArticleFactory.create_batch(2, section=politics)
        ArticleFactory(section=world)
        response = client_for(editor).get(reverse("admin:articles_section_changelist"))
        assert list(response.context["cl"].result_list) == [politics, world]
        assert f'href="{CHANGELIST}?section={politics.pk}">2</a>' in response.text
        listed = client_for(editor).get(CHANGELIST, {"section": politics.pk})
        assert set(listed.context["cl"].result_list) == set(stories)

    def test_the_form_files_a_story_in_a_section_beside_the_text(self, editor):
        economy = SectionFactory(name="Economy")
        article = ArticleFactory(created_by=editor)
        client = client_for(editor)
        form = client.get(change_url(article)).text
        side = form.split("desk-side", 1)[1]
        assert 'name="section"' in side
        response = client.post(change_url(article), form_data(article, section=economy.pk))
        assert response.status_code == 302
        assert Article.objects.get(pk=article.pk).section == economy
        assert history.versions_of(article).first().revision.comment == "Changed section."

    def test_a_section_with_stories_cannot_be_deleted(self, editor):
        from django.db.models import ProtectedError

        section = SectionFactory()
        ArticleFactory(section=section)
        with pytest.raises(ProtectedError):
            section.delete()

    def test_a_reporter_reads_sections_and_an_editor_manages_them(self, editor, reporter):
        url = reverse("admin:articles_section_add")
        assert client_for(reporter).get(url).status_code == 403
        changelist = reverse("admin:articles_section_changelist")
        assert client_for(reporter).get(changelist).status_code == 200
        response = client_for(editor).post(
            url,
            {
                **{"name": "Society", "slug": "", "position": "5"},
                **{"description": "People's lives.", "aliases": "[]", "image": ""},
                # Its rules (none yet), as the form's inline sends them.
                **{"rules-TOTAL_FORMS": "0", "rules-INITIAL_FORMS": "0"},
            },
        )
        assert response.status_code == 302
        assert Section.objects.get().slug == "society"

    def test_an_editor_teaches_a_never_link_phrase_beside_the_aliases(self, editor, seed):
        ganja = Place.objects.get(slug="ganja")
        url = reverse("admin:articles_place_change", args=[ganja.pk])
        page = client_for(editor).get(url)
        assert page.text.index('name="aliases"') < page.text.index('name="never_link"')
        data = {
            **model_to_dict(ganja, exclude=["id", "image", "parent"]),
            "parent": ganja.parent_id,
            "image": "",
            "latitude": ganja.latitude or "",
            "longitude": ganja.longitude or "",
        }
        data["aliases"] = json.dumps(ganja.aliases)
        data["never_link"] = '["Ganja Motors", " Ganja  Motors "]'
        assert client_for(editor).post(url, data).status_code == 302
        assert Place.objects.get(pk=ganja.pk).never_link == ["Ganja Motors"]
        article = intake.take_in("By Trend\n\nGanja Motors opened a plant in Baku.").article
        assert set(article.places.values_list("slug", flat=True)) == {"baku"}

        data["never_link"] = '"Ganja Motors"'
        response = client_for(editor).post(url, data)
        assert response.status_code == 200
        assert "Never-link phrases must be a list of names." in response.text
        assert Place.objects.get(pk=ganja.pk).never_link == ["Ganja Motors"]

    def test_a_place_links_to_its_stories(self, editor):
        ganja = PlaceFactory(name="Ganja")
        ArticleFactory.create_batch(2, places=[ganja])
        response = client_for(editor).get(reverse("admin:articles_place_changelist"))
        assert f'href="{CHANGELIST}?place={ganja.pk}">2</a>' in response.text

    def test_search_by_alias(self, editor, seed):
        response = client_for(editor).get(
            reverse("admin:articles_place_changelist"), {"q": "Gəncə"}
        )
        assert [p.slug for p in response.context["cl"].result_list] == ["ganja"]

    @pytest.mark.parametrize(
        ("field", "term", "expected"),
        [
            ("places", "Azerbaijani", "Azerbaijan"),
            ("places", "Gəncə", "Ganja"),
            ("dateline", "Bakı", "Baku"),
            ("people", "Hasanov", "Zakir Hasanov"),
            ("source", "Trend", "Trend News Agency"),
            ("authors", "J. Doe", "Jane Doe"),
        ],
    )
    def test_autocomplete_finds_names_and_aliases(self, editor, seed, field, term, expected):
        AuthorFactory(name="Jane Doe", aliases=["J. Doe"])
        response = client_for(editor).get(
            reverse("admin:autocomplete"),
            {"app_label": "articles", "model_name": "article", "field_name": field, "term": term},
        )
        assert expected in [result["text"] for result in response.json()["results"]]


class TestRoles:
    def test_a_reporter_writes_a_draft(self, reporter):
        client = client_for(reporter)
        response = client.post(
            reverse("admin:articles_article_add"),
            add_data(headline="Ganja calm", body="Ganja was calm on Tuesday."),
        )
        assert response.status_code == 302
        article = Article.objects.get(headline="Ganja calm")
        assert (article.created_by, article.status) == (reporter, Status.DRAFT)
        response = client.post(change_url(article), form_data(article, status=Status.REVIEW))
        assert response.status_code == 302
        assert Article.objects.get(pk=article.pk).status == Status.REVIEW

    def test_a_reporter_cannot_publish(self, reporter):
        article = ArticleFactory(created_by=reporter)
        client = client_for(reporter)
        page = client.get(change_url(article))
        assert [action.name for action in page.context["workflow_actions"]] == ["submit"]
        response = client.post(change_url(article), form_data(article, status=Status.PUBLISHED))
        assert response.status_code == 200
        errors = response.context["adminform"].form.non_field_errors()
        assert "Only editors can move a story that is draft to published." in errors
        assert Article.objects.get(pk=article.pk).status == Status.DRAFT

    def test_a_reporter_sees_no_publishing_actions(self, reporter):
        ArticleFactory(created_by=reporter)
        actions = client_for(reporter).get(CHANGELIST).context["action_form"].fields["action"]
        assert [value for value, _ in actions.choices if value] == ["submit_for_review"]

    def test_a_reporter_cannot_edit_others_or_submitted_stories(self, reporter, editor):
        client = client_for(reporter)
        theirs = ArticleFactory(created_by=editor, headline="Editor's story")
        response = client.post(change_url(theirs), form_data(theirs, headline="Changed"))
        assert response.status_code == 403
        own = ArticleFactory(created_by=reporter, status=Status.REVIEW)
        response = client.post(change_url(own), form_data(own, headline="Changed"))
        assert response.status_code == 403
        assert client.get(change_url(own)).status_code == 200  # may still read it
        assert Article.objects.get(pk=theirs.pk).headline == "Editor's story"

    def test_a_reporter_cannot_delete(self, reporter):
        own = ArticleFactory(created_by=reporter)
        url = reverse("admin:articles_article_delete", args=[own.pk])
        assert client_for(reporter).post(url, {"post": "yes"}).status_code == 403
        assert Article.objects.filter(pk=own.pk).exists()

    def test_an_editor_publishes_schedules_and_deletes(self, editor):
        client = client_for(editor)
        article = ArticleFactory()
        response = client.post(change_url(article), form_data(article, status=Status.PUBLISHED))
        assert response.status_code == 302
        assert Article.objects.get(pk=article.pk).is_public
        later = timezone.localtime() + timedelta(days=1)
        scheduled = ArticleFactory(status=Status.REVIEW)
        response = client.post(
            change_url(scheduled),
            form_data(
                scheduled,
                status=Status.PUBLISHED,
                published_at_0=f"{later:%Y-%m-%d}",
                published_at_1=f"{later:%H:%M:%S}",
            ),
        )
        assert response.status_code == 302
        assert Article.objects.get(pk=scheduled.pk).is_scheduled
        url = reverse("admin:articles_article_delete", args=[article.pk])
        assert client.post(url, {"post": "yes"}).status_code == 302
        assert not Article.objects.filter(pk=article.pk).exists()


class TestBulkActions:
    def test_publish_reports_what_moved_and_what_was_refused(self, editor):
        drafts = ArticleFactory.create_batch(2)
        archived = ArticleFactory(headline="Old news", status=Status.ARCHIVED)
        response = client_for(editor).post(
            CHANGELIST,
            {"action": "publish", "_selected_action": [a.pk for a in [*drafts, archived]]},
            follow=True,
        )
        notes = messages_of(response)
        assert "2 stories moved." in notes
        assert any("1 refused." in note and "“Old news”" in note for note in notes)
        assert Article.objects.public().count() == 2
        assert Article.objects.get(pk=archived.pk).status == Status.ARCHIVED

    @pytest.mark.parametrize(
        ("action", "start", "end"),
        [
            ("submit_for_review", Status.DRAFT, Status.REVIEW),
            ("unpublish", Status.PUBLISHED, Status.DRAFT),
            ("archive", Status.PUBLISHED, Status.ARCHIVED),
        ],
    )
    def test_each_action(self, editor, action, start, end):
        article = ArticleFactory(status=start, published_at=timezone.now())
        client_for(editor).post(CHANGELIST, {"action": action, "_selected_action": [article.pk]})
        assert Article.objects.get(pk=article.pk).status == end

    def test_a_reporter_submits_only_own_drafts(self, reporter, editor):
        own, theirs = ArticleFactory(created_by=reporter), ArticleFactory(created_by=editor)
        response = client_for(reporter).post(
            CHANGELIST,
            {"action": "submit_for_review", "_selected_action": [own.pk, theirs.pk]},
            follow=True,
        )
        assert "1 story moved." in messages_of(response)
        assert Article.objects.get(pk=theirs.pk).status == Status.DRAFT

    def test_a_bulk_delete_is_told_to_api_clients(self, editor):
        from articles.models import ArticleRemoval

        stories = ArticleFactory.create_batch(2, public=True)
        client_for(editor).post(
            CHANGELIST,
            {
                "action": "delete_selected",
                "_selected_action": [a.pk for a in stories],
                "post": "yes",
            },
        )
        assert not Article.objects.exists()
        assert sorted(ArticleRemoval.objects.values_list("article_id", flat=True)) == sorted(
            a.pk for a in stories
        )


class TestPreview:
    def test_an_editor_previews_a_draft(self, editor):
        article = ArticleFactory(headline="Not yet public", body="Ganja was calm.")
        url = reverse("admin:articles_article_preview", args=[article.pk])
        response = client_for(editor).get(url)
        assert response.status_code == 200
        assert "Not yet public" in response.text
        assert "readers cannot see it yet" in response.text
        assert 'href="' + url + '"' in client_for(editor).get(change_url(article)).text

    @pytest.mark.parametrize("visitor", ["anonymous", "reader"])
    def test_others_get_the_public_404(self, visitor):
        article = ArticleFactory()
        client = Client()
        if visitor == "reader":
            client.force_login(UserFactory(username="reader", is_staff=False))
        response = client.get(reverse("admin:articles_article_preview", args=[article.pk]))
        assert response.status_code == 404


class TestCorrections:
    def test_an_editor_corrects_a_published_story(self, editor, client):
        article = ArticleFactory(public=True, headline="Ganja shelled")
        url = reverse("admin:articles_article_add_correction", args=[article.pk])
        response = client_for(editor).post(
            url, {"text": "An earlier version misspelled <b>Mingachevir</b>."}, follow=True
        )
        assert "Correction published." in messages_of(response)
        page = client.get(article.get_absolute_url())
        assert "An earlier version misspelled &lt;b&gt;Mingachevir&lt;/b&gt;." in page.text
        listing = client.get("/corrections/")
        assert "Ganja shelled" in listing.text
        assert f"{article.get_absolute_url()}#corrections" in listing.text

    def test_corrections_of_non_public_stories_are_not_listed(self, editor, client):
        article = ArticleFactory(public=True, headline="Later withdrawn")
        editorial.correct(article, "Wrong figure.", by=editor)
        editorial.unpublish(Article.objects.get(pk=article.pk), by=editor)
        assert "Later withdrawn" not in client.get("/corrections/").text

    def test_a_draft_cannot_be_corrected(self, editor):
        article = ArticleFactory()
        url = reverse("admin:articles_article_add_correction", args=[article.pk])
        response = client_for(editor).post(url, {"text": "Wrong."}, follow=True)
        assert any("Only published stories" in note for note in messages_of(response))
        assert not article.corrections.exists()

    def test_a_reporter_cannot_correct(self, reporter):
        article = ArticleFactory(public=True)
        url = reverse("admin:articles_article_add_correction", args=[article.pk])
        assert client_for(reporter).post(url, {"text": "Wrong."}).status_code == 403

    def test_corrections_cannot_be_edited_in_the_admin(self, editor):
        article = ArticleFactory(public=True)
        editorial.correct(article, "Wrong.", by=editor)
        page = client_for(editor).get(change_url(article))
        assert "Wrong." in page.text
        assert "corrections-0-text" not in page.text


class TestPresence:
    def test_each_editor_sees_the_other(self, editor, reporter):
        article = ArticleFactory(created_by=reporter)
        url = reverse("admin:articles_article_presence", args=[article.pk])
        assert client_for(editor).post(url).json()["others"] == []
        others = client_for(reporter).post(url).json()["others"]
        assert [other["name"] for other in others] == ["editor"]
        page = client_for(reporter).get(change_url(article))
        assert "Also open by: editor" in page.text

    def test_an_editor_who_stops_beating_is_gone(self, editor, reporter, settings):
        article = ArticleFactory(created_by=reporter)
        url = reverse("admin:articles_article_presence", args=[article.pk])
        client_for(editor).post(url)
        Presence.objects.update(seen_at=timezone.now() - timedelta(seconds=60))
        assert client_for(reporter).post(url).json()["others"] == []

    def test_leaving_removes_presence(self, editor, reporter):
        article = ArticleFactory(created_by=reporter)
        client = client_for(editor)
        client.post(reverse("admin:articles_article_presence", args=[article.pk]))
        client.post(reverse("admin:articles_article_presence_leave", args=[article.pk]))
        assert not Presence.objects.exists()

    def test_the_heartbeat_reports_a_newer_version(self, editor):
        article = ArticleFactory()
        Article.objects.get(pk=article.pk).save()
        url = reverse("admin:articles_article_presence", args=[article.pk])
        assert client_for(editor).post(url).json()["version"] == 2

    def test_get_is_refused_and_anonymous_is_sent_to_log_in(self, editor):
        article = ArticleFactory()
        url = reverse("admin:articles_article_presence", args=[article.pk])
        assert client_for(editor).get(url).status_code == 405
        assert Client().post(url).status_code == 302


class TestAutosave:
    def test_autosave_is_offered_when_the_form_is_reopened(self, editor):
        article = ArticleFactory(headline="Saved headline")
        client = client_for(editor)
        url = reverse("admin:articles_article_autosave", args=[article.pk])
        response = client.post(url, {"headline": "Typed headline", "body": "Typed body."})
        assert response.status_code == 200
        assert Version.objects.get_for_object(article).count() == 0  # not a revision
        page = client.get(change_url(article))
        config = json.loads(
            page.context["desk"]
            and page.content.decode()
            .split('<script id="desk-config" type="application/json">')[1]
            .split("</script>")[0]
        )
        assert config["autosave"]["fields"]["headline"] == "Typed headline"
        assert Article.objects.get(pk=article.pk).headline == "Saved headline"
        assert client.get(article.get_absolute_url()).status_code == 404

    def test_saving_the_story_clears_the_autosave(self, editor):
        article = ArticleFactory()
        client = client_for(editor)
        client.post(
            reverse("admin:articles_article_autosave", args=[article.pk]), {"headline": "Typed"}
        )
        client.post(change_url(article), form_data(article, headline="Typed"))
        assert not Autosave.objects.exists()

    def test_an_autosave_older_than_the_story_is_not_offered(self, editor):
        article = ArticleFactory()
        client = client_for(editor)
        client.post(
            reverse("admin:articles_article_autosave", args=[article.pk]), {"headline": "Old"}
        )
        Article.objects.get(pk=article.pk).save()
        assert client.get(change_url(article)).context["desk"]["autosave"] is None

    def test_a_new_story_is_autosaved_too(self, editor):
        client = client_for(editor)
        client.post(reverse("admin:articles_article_autosave_new"), {"headline": "Breaking"})
        page = client.get(reverse("admin:articles_article_add"))
        assert page.context["desk"]["autosave"]["fields"]["headline"] == "Breaking"
        client.post(reverse("admin:articles_article_autosave_discard_new"))
        assert not Autosave.objects.exists()

    def test_each_editor_has_their_own(self, editor, reporter):
        article = ArticleFactory(created_by=reporter)
        url = reverse("admin:articles_article_autosave", args=[article.pk])
        client_for(editor).post(url, {"headline": "Editor's"})
        client_for(reporter).post(url, {"headline": "Reporter's"})
        assert Autosave.objects.count() == 2
        page = client_for(reporter).get(change_url(article))
        assert page.context["desk"]["autosave"]["fields"]["headline"] == "Reporter's"

    def test_limits_and_rights(self, editor, reporter):
        article = ArticleFactory(created_by=editor)
        url = reverse("admin:articles_article_autosave", args=[article.pk])
        assert client_for(editor).post(url, {"body": "x" * 1_300_000}).status_code == 413
        assert client_for(reporter).post(url, {"headline": "Not mine"}).status_code == 403
        assert client_for(editor).get(url).status_code == 405
        assert not Autosave.objects.exists()


class TestHistory:
    def test_every_save_is_a_revision_with_its_changes(self, editor):
        client = client_for(editor)
        client.post(
            reverse("admin:articles_article_add"),
            add_data(headline="First take", body="Ganja was shelled."),
        )
        article = Article.objects.get(headline="First take")
        client.post(change_url(article), form_data(article, body="Ganja was shelled again."))
        rows = history.timeline(article)
        assert [version.revision.comment for version, _ in rows] == [
            "Changed body.",
            "Created.",
        ]
        assert rows[0][1] == ["body"]
        assert rows[0][0].revision.user == editor
        page = client.get(reverse("admin:articles_article_history", args=[article.pk]))
        assert "Changed body." in page.text

    def test_saving_a_published_story_unchanged_changes_no_publication_time(self, editor):
        client = client_for(editor)
        client.post(
            reverse("admin:articles_article_add"),
            add_data(headline="Live", body="Text.", status=Status.PUBLISHED),
        )
        article = Article.objects.get(headline="Live")
        published_at = article.published_at  # to the microsecond; the form shows seconds
        client.post(change_url(article), form_data(article, byline="By Trend"))
        assert history.timeline(article)[0][1] == ["byline"]
        assert Article.objects.get(pk=article.pk).published_at == published_at

    def test_the_newest_revision_is_the_current_story_not_a_comparison(self, editor):
        client = client_for(editor)
        client.post(reverse("admin:articles_article_add"), add_data(headline="Take", body="One."))
        article = Article.objects.get(headline="Take")
        client.post(change_url(article), form_data(article, body="Two."))
        newest, older = history.versions_of(article)
        page = client.get(reverse("admin:articles_article_history", args=[article.pk])).text
        assert reverse("admin:articles_article_compare", args=[article.pk, newest.pk]) not in page
        assert reverse("admin:articles_article_compare", args=[article.pk, older.pk]) in page

    def test_history_pages_keep_the_admins_breadcrumbs(self, editor):
        article = written(editor, body="One.")
        version = history.versions_of(article).first()
        for url in (
            reverse("admin:articles_article_history", args=[article.pk]),
            reverse("admin:articles_article_compare", args=[article.pk, version.pk]),
            reverse("admin:articles_article_deleted"),
        ):
            page = client_for(editor).get(url).text
            # The admin's stylesheet draws the bar for this element (Django 6).
            assert '<ol class="breadcrumbs">' in page, url

    def test_compare_and_restore(self, editor):
        client = client_for(editor)
        client.post(
            reverse("admin:articles_article_add"),
            add_data(headline="Take", body="Armenia occupied 20 percent."),
        )
        article = Article.objects.get(headline="Take")
        client.post(change_url(article), form_data(article, body="Armenia occupied 25 percent."))
        first = Version.objects.get_for_object(article).order_by("pk").first()
        page = client.get(reverse("admin:articles_article_compare", args=[article.pk, first.pk]))
        assert "Armenia occupied <del>20</del><ins>25</ins> percent." in page.text
        current = Article.objects.get(pk=article.pk)
        response = client.post(
            reverse("admin:articles_article_restore", args=[article.pk, first.pk]),
            {"version": current.version},
            follow=True,
        )
        assert "Revision restored as a new revision." in messages_of(response)
        restored = Article.objects.get(pk=article.pk)
        assert restored.body_text == "Armenia occupied 20 percent."
        assert restored.version == current.version + 1
        assert Version.objects.get_for_object(article).count() == 3

    def test_a_restore_on_top_of_a_newer_save_is_refused(self, editor):
        article = ArticleFactory(body="Old text.")
        history.record(article, by=None, comment="Created.")
        version = Version.objects.get_for_object(article).get()
        stale = article.version
        Article.objects.get(pk=article.pk).save()
        response = client_for(editor).post(
            reverse("admin:articles_article_restore", args=[article.pk, version.pk]),
            {"version": stale},
            follow=True,
        )
        assert any("Compare again before restoring" in note for note in messages_of(response))

    def test_a_deleted_article_is_recovered_as_a_draft(self, editor):
        ganja = PlaceFactory(name="Ganja")
        client = client_for(editor)
        client.post(
            reverse("admin:articles_article_add"),
            add_data(headline="Deleted by mistake", body="Ganja was calm.", places=[ganja.pk]),
        )
        article = Article.objects.get(headline="Deleted by mistake")
        client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
        page = client.get(reverse("admin:articles_article_deleted"))
        assert "Deleted by mistake" in page.text
        version = history.deleted_articles().get()
        client.post(reverse("admin:articles_article_recover", args=[version.pk]))
        recovered = Article.objects.get(pk=article.pk)
        assert (recovered.headline, recovered.status) == ("Deleted by mistake", Status.DRAFT)
        assert list(recovered.places.all()) == [ganja]
        assert not history.deleted_articles().exists()


def written(by, **fields):
    """A story as the desk writes one: saved through the editorial service, with a revision."""
    return editorial.create(Article(**{"headline": "A story", **fields}), by=by)


class TestNoLostEdits:
    def test_the_second_save_is_refused_and_keeps_its_text(self, editor, roles):
        other = staff("alice", "Editor")
        article = ArticleFactory(headline="Original", body="Original body.")
        form_of_a, form_of_b = form_data(article), form_data(article)

        a = client_for(other).post(change_url(article), {**form_of_a, "body": "A's body."})
        assert a.status_code == 302
        b = client_for(editor).post(change_url(article), {**form_of_b, "body": "B's body."})
        assert b.status_code == 200
        form = b.context["adminform"].form
        assert "alice saved this story at" in " ".join(form.non_field_errors())
        assert "B&#x27;s body." in b.text or "B's body." in b.text
        assert Article.objects.get(pk=article.pk).body_text == "A's body."
        assert form.conflict["who"] == "alice"
        assert "edit-conflict" in b.text

        # B reads what A changed, and saves again on top of A's version.
        again = client_for(editor).post(
            change_url(article),
            {**form_of_b, "body": "B's body.", "opened_version": form.conflict["version"]},
        )
        assert again.status_code == 302
        assert Article.objects.get(pk=article.pk).body_text == "B's body."

    def test_fields_only_the_colleague_changed_are_kept(self, editor, roles):
        """A changed the body, B the headline: B's save keeps A's body, at once."""
        other = staff("alice", "Editor")
        article = written(editor, headline="Original", body="First.\n\nSecond.")
        form_of_a, form_of_b = form_data(article), form_data(article)
        client_for(other).post(
            change_url(article), {**form_of_a, "body": "First.\n\nSecond, by A."}
        )

        response = client_for(editor).post(
            change_url(article), {**form_of_b, "headline": "B's headline"}, follow=True
        )

        stored = Article.objects.get(pk=article.pk)
        assert (stored.headline, stored.body_text) == ("B's headline", "First.\n\nSecond, by A.")
        assert any("their changes to the body are kept" in note for note in messages_of(response))

    def test_paragraphs_each_changed_by_one_editor_merge(self, editor, roles):
        other = staff("alice", "Editor")
        article = written(editor, body="First.\n\nSecond.")
        form_of_a, form_of_b = form_data(article), form_data(article)
        client_for(other).post(
            change_url(article), {**form_of_a, "body": "First.\n\nSecond, by A."}
        )
        # Browsers send a textarea's line breaks as CRLF.
        client_for(editor).post(
            change_url(article), {**form_of_b, "body": "First, by B.\r\n\r\nSecond."}
        )
        assert Article.objects.get(pk=article.pk).body_text == "First, by B.\n\nSecond, by A."

    def test_a_save_that_keeps_meeting_newer_saves_shows_the_merged_form(
        self, editor, roles, monkeypatch
    ):
        """Saves keep arriving while this one merges: never a 500, and nothing written."""
        article = written(editor, headline="Original", body="One.")
        real_claim = Article.claim

        def always_too_late(self, expected_version):
            raise EditConflict(Article.objects.select_related("updated_by").get(pk=self.pk))

        monkeypatch.setattr(Article, "claim", always_too_late)
        response = client_for(editor).post(change_url(article), form_data(article, headline="Mine"))
        monkeypatch.setattr(Article, "claim", real_claim)

        assert response.status_code == 200
        form = response.context["adminform"].form
        assert form.data["headline"] == "Mine"
        assert "Their changes are merged into the form below" in " ".join(form.non_field_errors())
        assert Article.objects.get(pk=article.pk).headline == "Original"

    def test_a_paragraph_both_changed_asks_for_a_choice(self, editor, roles):
        other = staff("alice", "Editor")
        article = written(editor, headline="Original", body="First.\n\nSecond.")
        form_of_a, form_of_b = form_data(article), form_data(article)
        client_for(other).post(
            change_url(article),
            {**form_of_a, "body": "First.\n\nSecond, by A.", "summary": "A's summary."},
        )
        b = client_for(editor).post(
            change_url(article),
            {**form_of_b, "body": "First.\n\nSecond, by B.", "headline": "B's headline"},
        )
        assert b.status_code == 200
        form = b.context["adminform"].form
        assert [hunk["theirs"] for hunk in form.conflict["hunks"]] == ["Second, by A."]
        assert 'name="choose_body_0"' in b.text
        assert form.data["summary"] == "A's summary."  # merged into the form already
        state = form.data["merge_state"]

        without_a_choice = client_for(editor).post(
            change_url(article),
            {
                **form_of_b,
                **{key: form.data[key] for key in ("summary", "opened_version")},
                "body": "First.\n\nSecond, by B.",
                "headline": "B's headline",
                "merge_state": state,
            },
        )
        assert without_a_choice.status_code == 200
        assert "Choose which version" in without_a_choice.text

        chosen = client_for(editor).post(
            change_url(article),
            {
                **form_of_b,
                **{key: form.data[key] for key in ("summary", "opened_version")},
                "body": "First.\n\nSecond, by B.",
                "headline": "B's headline",
                "merge_state": state,
                "choose_body_0": "theirs",
            },
        )
        assert chosen.status_code == 302
        stored = Article.objects.get(pk=article.pk)
        assert (stored.headline, stored.summary, stored.body_text) == (
            "B's headline",
            "A's summary.",
            "First.\n\nSecond, by A.",
        )


class TestBadInput:
    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ({"headline": ""}, "headline", "This field is required."),
            ({"headline": "x" * 10_000}, "headline", "at most 300 characters"),
            ({"headline": "Ok", "body": "x" * 2_097_152}, "body", "at most 1000000 characters"),
            ({"headline": "Ok", "summary": "x" * 5_000}, "summary", "at most 2000 characters"),
            ({"headline": "Ok", "slug": "taken"}, "slug", "already exists"),
            ({"headline": "Ok", "slug": "not a slug!"}, "slug", "valid"),
        ],
    )
    def test_a_clear_error_and_nothing_lost(self, editor, fields, field, message):
        ArticleFactory(slug="taken")
        article = ArticleFactory(headline="Kept", body="Kept body.")
        response = client_for(editor).post(change_url(article), form_data(article, **fields))
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert message in " ".join(errors[field])
        stored = Article.objects.get(pk=article.pk)
        assert (stored.headline, stored.body_text) == ("Kept", "Kept body.")

    def test_markup_is_stored_as_text_and_shown_escaped(self, editor, client):
        hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>"
        article = ArticleFactory()
        fields = {name: hostile for name in ("summary", "byline")}
        response = client_for(editor).post(
            change_url(article),
            form_data(
                article,
                headline=hostile[:300],
                status=Status.PUBLISHED,
                body=f"<p>Kept.</p>{hostile}",
                **fields,
            ),
        )
        assert response.status_code == 302
        stored = Article.objects.get(pk=article.pk)
        assert stored.summary == hostile  # plain-text fields keep what was typed, as text
        # The body is HTML in the newsroom's format: what is not in it is gone.
        assert stored.body == "<p>Kept.</p>"
        page = client.get(stored.get_absolute_url()).text
        assert "<script>alert" not in page
        assert "&lt;script&gt;" in page
        admin_page = client_for(editor).get(change_url(stored)).text
        assert "<script>alert('x')</script>" not in admin_page

    def test_a_time_without_a_zone_is_read_in_the_newsrooms_zone(self, editor, settings):
        settings.TIME_ZONE = "Asia/Baku"
        article = ArticleFactory(status=Status.REVIEW)
        client_for(editor).post(
            change_url(article),
            form_data(
                article,
                status=Status.PUBLISHED,
                published_at_0="2030-01-02",
                published_at_1="09:00:00",
            ),
        )
        published_at = Article.objects.get(pk=article.pk).published_at
        assert published_at.isoformat() == "2030-01-02T05:00:00+00:00"

    def test_a_malformed_time_is_a_form_error(self, editor):
        article = ArticleFactory(status=Status.REVIEW)
        response = client_for(editor).post(
            change_url(article),
            form_data(
                article,
                status=Status.PUBLISHED,
                published_at_0="2030-13-45",
                published_at_1="25:99",
            ),
        )
        assert response.status_code == 200
        assert "published_at" in response.context["adminform"].form.errors
        assert Article.objects.get(pk=article.pk).status == Status.REVIEW

    @pytest.mark.parametrize(
        ("field", "value"),
        [("source", "1; DROP TABLE articles_article"), ("lead_image", "x"), ("people", "1 OR 1=1")],
    )
    def test_a_tampered_choice_is_a_form_error(self, editor, field, value):
        article = ArticleFactory(headline="Kept as it was")
        response = client_for(editor).post(
            change_url(article), form_data(article, headline="Changed", **{field: value})
        )
        assert response.status_code == 200
        assert field in response.context["adminform"].form.errors
        assert Article.objects.get(pk=article.pk).headline == "Kept as it was"


class TestLinkingInTheAdmin:
    """Links follow the text on every save; an editor's removal is remembered."""

    def test_saving_links_what_the_text_mentions(self, admin_client, seed):
        article = Article.objects.create(headline="Quiet day", body="Nothing happened.")
        response = admin_client.post(
            change_url(article), form_data(article, body="Ganja was shelled by Armenia.")
        )
        assert response.status_code == 302
        assert {p.slug for p in article.places.all()} == {"ganja", "armenia"}

    def test_a_removed_link_stays_removed(self, admin_client, seed):
        article = Article.objects.create(headline="Ganja shelled", body="Ganja was shelled.")
        article.places.add(Place.objects.get(slug="ganja"))
        admin_client.post(change_url(article), form_data(article, places=[]))
        assert not article.places.exists()
        assert [p.slug for p in article.rejected_places.all()] == ["ganja"]
        admin_client.post(change_url(article), form_data(article, body="Ganja was shelled again."))
        assert not article.places.exists()
        page = admin_client.get(change_url(article))
        assert "Mentioned but not linked" in page.text
        assert "(removed by an editor)" in page.text

    def test_one_click_links_a_suggestion(self, admin_client, seed):
        article = Article.objects.create(headline="Ganja shelled", body="Ganja was shelled.")
        ganja = Place.objects.get(slug="ganja")
        article.rejected_places.add(ganja)
        version = article.version
        url = reverse("admin:articles_article_accept_link", args=[article.pk, "place", ganja.pk])
        assert admin_client.get(url).status_code == 405
        assert admin_client.post(url).status_code == 302
        article.refresh_from_db()
        assert list(article.places.all()) == [ganja]
        assert not article.rejected_places.exists()
        assert article.version == version + 1

    def test_a_pending_agency_update_is_shown_as_a_diff_and_accepted(self, admin_client, seed):
        text = "By Trend\n\nGanja was shelled overnight, officials said."
        article = intake.take_in(text).article
        Article.objects.filter(pk=article.pk).update(
            status=Status.PUBLISHED, published_at=article.created_at
        )
        item = intake.take_in(text + " Two people were hurt.").wire_item
        page = admin_client.get(change_url(article))
        assert "Agency updates waiting" in page.text
        assert "said.<ins> Two people were hurt.</ins>" in page.text
        url = reverse("admin:articles_article_decide_update", args=[item.pk, "accept"])
        assert admin_client.post(url).status_code == 302
        article.refresh_from_db()
        assert article.body_text.endswith("Two people were hurt.")

    def test_hostile_wire_text_is_escaped_in_the_diff(self, admin_client, seed):
        text = "By Trend\n\nGanja was shelled overnight, officials said."
        article = intake.take_in(text).article
        article.body += " Edited."
        article.save()
        intake.take_in(text + " <script>alert(1)</script>")
        page = admin_client.get(change_url(article))
        assert "<script>alert(1)</script>" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert Article.objects.get(pk=article.pk).body_text.endswith("Edited.")


@pytest.mark.parametrize(
    "model", ["article", "source", "person", "place", "author", "section", "wireitem"]
)
def test_admin_lists_the_seed(admin_client, seed, model):
    response = admin_client.get(reverse(f"admin:articles_{model}_changelist"))
    assert response.status_code == 200


def test_admin_opens_the_seed_article(admin_client, seed):
    article = Article.objects.get()
    response = admin_client.get(change_url(article))
    assert response.status_code == 200
    assert "Azerbaijan’s defense minister" in response.text


def test_admin_needs_a_login(client):
    assert client.get(CHANGELIST).status_code == 302


def test_editors_and_reporters_exist_after_migrating(roles):
    from django.contrib.auth.models import Group

    editor = Group.objects.get(name="Editor").permissions.values_list("codename", flat=True)
    reporter = Group.objects.get(name="Reporter").permissions.values_list("codename", flat=True)
    assert {"publish_article", "delete_article", "add_correction"} <= set(editor)
    assert not {"publish_article", "delete_article", "edit_any_article"} & set(reporter)
    assert Permission.objects.filter(codename="publish_article").exists()


class TestTokens:
    """As the README says: administrators issue API tokens in the admin, editors do not."""

    TOKENS = "/admin/authtoken/tokenproxy/"

    def test_an_administrator_issues_a_token_for_a_user(self, editor):
        admin_user = UserFactory(username="admin", is_staff=True, is_superuser=True)
        client = client_for(admin_user)
        assert client.get(self.TOKENS).status_code == 200
        response = client.post(f"{self.TOKENS}add/", {"user": editor.pk})
        assert response.status_code == 302
        assert Token.objects.filter(user=editor).exists()

    def test_an_editor_cannot_issue_tokens(self, editor):
        assert client_for(editor).get(self.TOKENS).status_code == 403


class TestWireLog:
    def test_wire_items_are_a_record_that_cannot_be_deleted(self, editor, seed):
        item = intake.take_in(
            "By Trend\n\nA quiet day in Ganja.", origin="/feeds/trend/0001.txt"
        ).wire_item
        client = client_for(editor)
        listing = client.get(reverse("admin:articles_wireitem_changelist"))
        assert listing.status_code == 200
        assert "Delete selected" not in listing.text
        assert "0001.txt" in listing.text and "/feeds/trend/" not in listing.text
        delete = reverse("admin:articles_wireitem_delete", args=[item.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert WireItem.objects.filter(pk=item.pk).exists()


class TestDates:
    def test_the_desk_writes_times_one_way_and_names_the_zone(self, editor, settings):
        settings.TIME_ZONE = "Asia/Baku"  # UTC+04:00
        at = timezone.make_aware(datetime(2020, 10, 6, 8, 0), timezone=UTC)
        article = ArticleFactory(public=True, published_at=at)
        listing = client_for(editor).get(CHANGELIST).text
        assert "Published (Asia/Baku)" in listing
        assert "6 Oct 2020, 12:00" in listing
        assert "a.m." not in listing and "p.m." not in listing
        form = client_for(editor).get(change_url(article)).text
        assert "the newsroom's time zone, Asia/Baku (UTC+04:00)" in form


class TestWorkflowButtons:
    """The change form moves a story with one button per move the user may make."""

    def buttons(self, user, article):
        page = client_for(user).get(change_url(article))
        return [action.name for action in page.context["workflow_actions"]]

    def test_each_role_is_offered_only_its_moves(self, editor, reporter):
        own_draft = ArticleFactory(created_by=reporter)
        assert self.buttons(reporter, own_draft) == ["submit"]
        assert self.buttons(editor, own_draft) == ["submit", "publish", "schedule"]
        scheduled = ArticleFactory(
            status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=1)
        )
        assert self.buttons(editor, scheduled) == ["publish", "schedule", "unpublish", "archive"]
        assert self.buttons(editor, ArticleFactory(public=True)) == ["unpublish", "archive"]
        assert self.buttons(editor, ArticleFactory(status=Status.ARCHIVED)) == ["to_draft"]

    def test_publish_now_is_now_whatever_time_the_form_holds(self, editor):
        article = ArticleFactory(
            status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=2)
        )
        response = client_for(editor).post(
            change_url(article), {**form_data(article), "_workflow": "publish"}, follow=True
        )
        stored = Article.objects.get(pk=article.pk)
        assert stored.is_public
        assert messages_of(response) == ["Published."]

    def test_schedule_needs_a_time_to_come(self, editor):
        article = ArticleFactory()
        past = timezone.localtime() - timedelta(hours=1)
        response = client_for(editor).post(
            change_url(article),
            {
                **form_data(article, headline="Edited too"),
                "published_at_0": f"{past:%Y-%m-%d}",
                "published_at_1": f"{past:%H:%M:%S}",
                "_workflow": "schedule",
            },
        )
        assert response.status_code == 200
        assert "a time to come" in response.text
        stored = Article.objects.get(pk=article.pk)
        assert (stored.status, stored.headline) == (Status.DRAFT, article.headline)

    def test_a_scheduled_time_is_confirmed_with_its_zone(self, editor):
        article = ArticleFactory()
        later = timezone.localtime() + timedelta(days=1)
        response = client_for(editor).post(
            change_url(article),
            {
                **form_data(article),
                "published_at_0": f"{later:%Y-%m-%d}",
                "published_at_1": f"{later:%H:%M:%S}",
                "_workflow": "schedule",
            },
            follow=True,
        )
        assert messages_of(response) == [f"Scheduled for {later:%d %b %Y %H:%M} (UTC)."]
        assert Article.objects.get(pk=article.pk).is_scheduled

    def test_a_reporter_cannot_publish_by_sending_the_button(self, reporter):
        own = ArticleFactory(created_by=reporter)
        response = client_for(reporter).post(
            change_url(own), {**form_data(own), "_workflow": "publish"}
        )
        assert response.status_code == 200
        assert "Only editors can" in response.text
        assert Article.objects.get(pk=own.pk).status == Status.DRAFT

    def test_an_unknown_button_saves_as_save_does(self, editor):
        article = ArticleFactory()
        response = client_for(editor).post(
            change_url(article), {**form_data(article, headline="New"), "_workflow": "explode"}
        )
        assert response.status_code == 302
        stored = Article.objects.get(pk=article.pk)
        assert (stored.headline, stored.status) == ("New", Status.DRAFT)


class TestLinksReview:
    """The change form shows what the text names and what the story links, to decide on."""

    def story(self, editor, body):
        return editorial.create(Article(headline="Talks", body=body), by=editor)

    def test_the_body_is_shown_with_each_mention_and_its_state(self, editor, seed):
        article = self.story(editor, "Ganja was calm. Armenia said nothing.")
        editorial.reject_link(
            Article.objects.get(pk=article.pk),
            Place.objects.get(slug="armenia"),
            by=editor,
            expected_version=Article.objects.get(pk=article.pk).version,
        )
        page = client_for(editor).get(change_url(article))
        review = page.context["links_review"]
        states = {found["entity"].name: found["state"] for found in review["entities"]}
        assert states == {"Ganja": "linked", "Armenia": "rejected"}
        assert (
            '<mark class="mention-linked" title="Place: Ganja (linked)">Ganja</mark>' in page.text
        )
        assert "removed by an editor" in page.text

    def test_unlinking_is_remembered(self, editor, seed):
        article = self.story(editor, "Ganja was calm.")
        ganja = Place.objects.get(slug="ganja")
        url = reverse("admin:articles_article_reject_link", args=[article.pk, "place", ganja.pk])
        assert client_for(editor).post(url).status_code == 302
        stored = Article.objects.get(pk=article.pk)
        assert not stored.places.exists() and list(stored.rejected_places.all()) == [ganja]
        editorial.edit(
            stored, by=editor, expected_version=stored.version, changes={"body": "Ganja again."}
        )
        assert not Article.objects.get(pk=article.pk).places.exists()

    def test_an_unknown_name_is_created_and_linked_in_one_click(self, editor, seed):
        article = self.story(editor, "Elchin Guliyev met the governor. Elchin Guliyev left.")
        page = client_for(editor).get(change_url(article))
        assert page.context["links_review"]["names"] == ["Elchin Guliyev"]
        url = reverse("admin:articles_article_create_and_link", args=[article.pk, "person"])
        response = client_for(editor).post(url, {"name": "Elchin Guliyev"}, follow=True)
        assert "Created the person and linked Elchin Guliyev." in messages_of(response)
        person = Person.objects.get(name="Elchin Guliyev")
        assert list(Article.objects.get(pk=article.pk).people.all()) == [person]
        # Known now: the next story naming him is linked by the wire desk itself.
        assert person.pk in {p.pk for p in self.story(editor, "Elchin Guliyev spoke.").people.all()}

    def test_creating_needs_the_permission_and_a_name(self, editor, reporter, seed):
        article = self.story(editor, "Elchin Guliyev met the governor.")
        own = ArticleFactory(created_by=reporter, body="Elchin Guliyev spoke.")
        url = reverse("admin:articles_article_create_and_link", args=[own.pk, "person"])
        assert client_for(reporter).post(url, {"name": "Elchin Guliyev"}).status_code == 403
        url = reverse("admin:articles_article_create_and_link", args=[article.pk, "person"])
        response = client_for(editor).post(url, {"name": "   "}, follow=True)
        assert any(
            "cannot be blank" in note or "required" in note for note in messages_of(response)
        )
        assert not Person.objects.filter(name="Elchin Guliyev").exists()

    def test_a_hostile_name_is_shown_as_text(self, editor, seed):
        article = self.story(editor, "Elchin <Script> Guliyev spoke.")
        page = client_for(editor).get(change_url(article)).text
        assert "<Script>" not in page


def test_the_form_says_who_submitted_a_story_for_review(editor, reporter):
    own = ArticleFactory(created_by=reporter)
    editorial.submit(Article.objects.get(pk=own.pk), by=reporter)
    page = client_for(editor).get(change_url(own)).text
    assert "In review, submitted by reporter" in page
