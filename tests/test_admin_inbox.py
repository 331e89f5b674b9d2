"""The wire inbox in the admin: copy pasted or uploaded through the one intake, each
piece's result at once, new wire drafts until someone takes or dismisses them,
agency updates with their diff."""

import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from articles import editorial, intake, wire
from articles.admin.inbox import INBOX_ROWS, UPDATE_ROWS
from articles.models import (
    AlreadyHandled,
    Article,
    Handled,
    Source,
    Status,
    WireItem,
    WireOutcome,
)
from tests.factories import PersonFactory, PlaceFactory, UserFactory, WireItemFactory
from tests.helpers import change_url
from tests.seed import SEED_TEXT
from tests.test_admin import client_for, messages_of

pytestmark = pytest.mark.django_db

INBOX = reverse("admin:articles_article_inbox")
WIRE_FILES = Path(__file__).resolve().parent / "wire"
ADDED_PARAGRAPH = "\n\nThe ministry said the situation on the front line remained tense.\n"
QUIET_DAY = "By Trend\n\nA quiet day in Ganja, residents said on Tuesday."


def upload(name, content):
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def post(client, copy="", files=(), **fields):
    return client.post(INBOX, {"copy": copy, "files": list(files), **fields})


def results(response):
    return [(result.name, result.outcome) for result in response.context["results"]]


def edit_body(article, *, by):
    """An editor's change to a wire draft's text: the agency's next copy waits for them."""
    body = article.body.replace("special service meeting", "meeting")
    editorial.edit(article, by=by, expected_version=article.version, changes={"body": body})


def take_url(item):
    return reverse("admin:articles_article_take", args=[item.pk])


def dismiss_url(item):
    return reverse("admin:articles_article_dismiss", args=[item.pk])


class TestWhoMayUseIt:
    def test_signing_in_is_needed(self, client):
        for response in (client.get(INBOX), client.post(INBOX, {"copy": QUIET_DAY})):
            assert response.status_code == 302
            assert response.url.startswith(reverse("admin:login"))
        assert not WireItem.objects.exists()

    def test_staff_who_may_not_add_stories_are_refused(self, db):
        clerk = UserFactory(username="clerk", is_staff=True)
        clerk.user_permissions.add(Permission.objects.get(codename="view_article"))
        client = client_for(clerk)
        assert client.get(INBOX).status_code == 403
        assert post(client, QUIET_DAY).status_code == 403
        assert not WireItem.objects.exists()

    @pytest.mark.parametrize("role", ["reporter", "editor"])
    def test_reporters_and_editors_take_in_copy(self, request, seed, role):
        user = request.getfixturevalue(role)
        response = post(client_for(user), QUIET_DAY)
        assert response.status_code == 200
        assert results(response) == [("pasted", WireOutcome.CREATED)]
        assert WireItem.objects.get().received_by == user


class TestTakingInCopy:
    def test_pasted_copy_becomes_a_linked_draft_shown_with_its_links(self, seed, editor):
        response = post(client_for(editor), SEED_TEXT.replace("\n", "\r\n"))

        [result] = response.context["results"]
        article = result.article
        assert (result.outcome, article.status) == (WireOutcome.CREATED, Status.DRAFT)
        assert article.created_by == editor
        item = article.wire_items.get()
        assert (item.origin, item.received_by) == ("inbox: pasted", editor)
        page = response.text
        assert f'<a href="{change_url(article)}">{article.headline}</a>' in page
        hasanov = article.people.get(slug="zakir-hasanov")
        ganja = article.places.get(slug="ganja")
        assert f'href="{reverse("admin:articles_person_change", args=[hasanov.pk])}"' in page
        assert f'href="{reverse("admin:articles_place_change", args=[ganja.pk])}">Ganja</a>' in page
        assert "New draft" in page

    def test_every_outcome_is_reported(self, seed, editor):
        client = client_for(editor)
        edited = intake.take_in(SEED_TEXT).article
        edit_body(edited, by=editor)
        untouched = intake.take_in(QUIET_DAY).article
        files = [
            upload("again.txt", SEED_TEXT),
            upload("update.txt", SEED_TEXT + ADDED_PARAGRAPH),
            upload("revision.txt", QUIET_DAY + " The market reopened."),
            upload("empty.txt", b""),
        ]

        response = post(client, "By Trend\n\nKhizi was calm on Wednesday.", files)

        assert results(response) == [
            ("pasted", WireOutcome.CREATED),
            ("again.txt", intake.DUPLICATE),
            ("update.txt", WireOutcome.PENDING),
            ("revision.txt", WireOutcome.REVISED),
            ("empty.txt", "refused"),
        ]
        by_name = {result.name: result for result in response.context["results"]}
        assert by_name["again.txt"].article == by_name["update.txt"].article == edited
        assert by_name["revision.txt"].article == untouched
        page = response.text
        assert "Duplicate" in page and f"as “{edited.headline}”" in page
        assert "Update waiting for an editor" in page
        assert "Draft revised in place" in page
        assert "Refused: empty: no bytes received" in page

    def test_several_files_at_once_each_in_its_own_transaction(self, seed, editor):
        files = [
            upload("first.txt", QUIET_DAY),
            upload("broken.json", '{"headlines": ['),
            upload("azertac.json", (WIRE_FILES / "ninjs2_azertac.json").read_bytes()),
            upload("trend.xml", (WIRE_FILES / "nitf_trend.xml").read_bytes()),
        ]

        response = post(client_for(editor), files=files)

        assert results(response) == [
            ("first.txt", WireOutcome.CREATED),
            ("broken.json", "refused"),
            ("azertac.json", WireOutcome.CREATED),
            ("trend.xml", WireOutcome.CREATED),
        ]
        origins = set(WireItem.objects.values_list("origin", flat=True))
        assert origins == {"inbox: first.txt", "inbox: azertac.json", "inbox: trend.xml"}

    def test_strict_refuses_an_unknown_byline(self, seed, editor):
        copy = "By Caspian Wire\n\nKhizi was calm on Tuesday."
        response = post(client_for(editor), copy, strict="on")
        assert results(response) == [("pasted", "refused")]
        assert "no source is called that" in response.text
        assert not Source.objects.filter(name="Caspian Wire").exists()

    def test_the_form_is_empty_again_after_taking_copy_in(self, seed, editor):
        response = post(client_for(editor), QUIET_DAY)
        assert not response.context["form"].is_bound
        assert "A quiet day in Ganja" not in response.text.split('id="inbox-results"')[0]


class TestHostileInput:
    @pytest.mark.parametrize("copy", ["", "   \r\n\r\n  "], ids=["empty", "whitespace"])
    def test_nothing_to_take_in_is_a_form_error(self, editor, copy):
        response = post(client_for(editor), copy)
        assert response.status_code == 200
        assert "Paste copy or choose files to take in." in response.text
        assert response.context["results"] == []
        assert not WireItem.objects.exists()

    def test_a_file_over_the_limit_is_refused(self, editor):
        # intake.read_upload checks the size before reading (tests/test_intake.py).
        big = upload("big.txt", b"By Trend\n\n" + b"word " * (wire.MAX_WIRE_BYTES // 5))
        small = upload("small.txt", QUIET_DAY)

        response = post(client_for(editor), files=[big, small])

        assert results(response) == [("big.txt", "refused"), ("small.txt", "created")]
        assert "Refused: larger than 1,000,000 bytes (1,000,010 bytes)" in response.text

    def test_pasted_copy_over_the_limit_is_refused(self, editor):
        response = post(client_for(editor), "By Trend\n\n" + "word " * (wire.MAX_WIRE_BYTES // 5))
        assert results(response) == [("pasted", "refused")]
        assert "too large" in response.text

    @pytest.mark.parametrize(
        ("content", "reason"),
        [
            (b"\x00\x01binary\x00", "binary data"),
            (b"\xff\xfe\xfa not utf-8", "not UTF-8"),
            ('{"uri": "x", "headlines": [', "malformed JSON"),
            ((WIRE_FILES / "malformed.xml").read_bytes(), "XML"),
            ((WIRE_FILES / "billion_laughs.xml").read_bytes(), "entit"),
            ((WIRE_FILES / "external_entity.xml").read_bytes(), "entit"),
        ],
        ids=["binary", "not-utf8", "malformed-ninjs", "malformed-nitf", "billion-laughs", "xxe"],
    )
    def test_bad_files_are_refused_with_the_reason(self, seed, editor, content, reason):
        response = post(client_for(editor), files=[upload("bad", content), upload("ok", QUIET_DAY)])
        [refused, taken] = response.context["results"]
        assert refused.outcome == "refused"
        assert reason.lower() in refused.message.lower()
        assert f"Refused: {refused.message}" in response.text
        assert taken.outcome == WireOutcome.CREATED

    def test_pasted_binary_is_refused_by_the_wire_desk(self, editor):
        response = post(client_for(editor), "By Trend\n\nNUL \x00 inside")
        assert results(response) == [("pasted", "refused")]
        assert "binary data" in response.text

    def test_a_script_in_the_copy_or_the_file_name_is_only_text(self, seed, editor):
        script = "<script>alert(1)</script>"
        name = '"><img src=x onerror=alert(2)>.txt'
        copy = f"By Trend\n\n{script} Ganja was calm on Tuesday."

        response = post(
            client_for(editor),
            f"By Trend\n\n{script}\n\nThe harvest in Khizi began a week early this year.",
            [upload(name, copy), upload("<b>bad</b>.json", "{")],
        )
        page = response.text

        assert [outcome for _, outcome in results(response)] == ["created", "created", "refused"]
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;.txt" in page
        assert "<b>bad</b>" not in page
        # And the inbox's list, read back on another visit, escapes them as well.
        listed = client_for(editor).get(INBOX).text
        assert "<script>alert(1)</script>" not in listed
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listed


class TestNewDrafts:
    def test_new_drafts_are_listed_until_taken_or_dismissed(self, seed, editor):
        client = client_for(editor)
        kept, taken, dismissed = (
            intake.take_in(f"By Trend\n\n{copy}").wire_item
            for copy in (
                "Khizi was calm on Tuesday, residents said.",
                "The harvest in Ganja began a week early this year.",
                "Baku's metro will run all night for the festival.",
            )
        )
        reviewed = intake.take_in("By Trend\n\nMingachevir's reservoir is full, engineers said.")
        editorial.submit(reviewed.article, by=editor)

        assert client.post(take_url(taken)).url == change_url(taken.article)
        assert client.post(dismiss_url(dismissed)).url == INBOX
        listed = client.get(INBOX)

        assert [item for item, _, _ in listed.context["drafts"]] == [kept]
        taken.refresh_from_db()
        dismissed.refresh_from_db()
        assert (taken.handled, taken.decided_by) == (Handled.TAKEN, editor)
        assert (dismissed.handled, dismissed.decided_by) == (Handled.DISMISSED, editor)
        assert Article.objects.get(pk=dismissed.article_id).status == Status.DRAFT
        assert f'action="{take_url(kept)}"' in listed.text
        assert f'action="{dismiss_url(kept)}"' in listed.text

    def test_taking_opens_the_story_and_says_so(self, seed, editor):
        item = intake.take_in(QUIET_DAY).wire_item
        response = client_for(editor).post(take_url(item), follow=True)
        assert response.redirect_chain[-1][0] == change_url(item.article)
        assert f"You took “{item.article.headline}” from the wire inbox." in messages_of(response)

    def test_the_second_of_two_decisions_is_told_who_was_first(self, seed, editor, roles):
        other = UserFactory(username="alice", is_staff=True)
        other.groups.add(*editor.groups.all())
        item = intake.take_in(QUIET_DAY).wire_item
        client_for(other).post(take_url(item))

        response = client_for(editor).post(dismiss_url(item), follow=True)

        [message] = messages_of(response)
        assert message.startswith("alice took this draft first, at ")
        item.refresh_from_db()
        assert (item.handled, item.decided_by) == (Handled.TAKEN, other)

    def test_a_reporter_takes_their_own_draft_but_not_anyone_elses(self, seed, reporter):
        theirs = intake.take_in(QUIET_DAY).wire_item  # imported with no one's name
        own = intake.take_in("By Trend\n\nKhizi was calm.", by=reporter).wire_item
        client = client_for(reporter)

        listed = client.get(INBOX).text
        assert f'action="{take_url(own)}"' in listed
        assert f'action="{take_url(theirs)}"' not in listed
        assert client.post(take_url(theirs)).status_code == 403
        assert client.post(dismiss_url(theirs)).status_code == 403
        assert client.post(take_url(own)).status_code == 302
        theirs.refresh_from_db()
        assert theirs.handled == ""

    def test_the_wire_log_filters_what_waits_in_the_inbox(self, seed, editor):
        waiting = intake.take_in(QUIET_DAY).wire_item
        taken = intake.take_in("By Trend\n\nKhizi's new school opened on Monday.").wire_item
        editorial.take_from_inbox(taken, by=editor)
        log = reverse("admin:articles_wireitem_changelist")
        response = client_for(editor).get(f"{log}?inbox=waiting")
        assert list(response.context["cl"].result_list) == [waiting]
        assert f'href="{log}?inbox=waiting"' in client_for(editor).get(INBOX).text

    def test_only_posts_decide(self, seed, editor):
        item = intake.take_in(QUIET_DAY).wire_item
        assert client_for(editor).get(take_url(item)).status_code == 405
        item.refresh_from_db()
        assert item.handled == ""


@pytest.mark.django_db(transaction=True)
def test_simultaneous_take_and_dismiss_leave_one_decision(seed, editor, roles):
    item = intake.take_in(QUIET_DAY).wire_item
    outcomes, errors = [], []
    barrier = threading.Barrier(2)

    def decide(action):
        try:
            barrier.wait()
            action(WireItem.objects.get(pk=item.pk), by=editor)
            outcomes.append(action.__name__)
        except AlreadyHandled:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    actions = [editorial.take_from_inbox, editorial.dismiss_from_inbox]
    threads = [threading.Thread(target=decide, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(outcomes) == 2 and outcomes.count("refused") == 1
    [winner] = [name for name in outcomes if name != "refused"]
    decided = {"take_from_inbox": Handled.TAKEN, "dismiss_from_inbox": Handled.DISMISSED}
    item.refresh_from_db()
    assert (item.handled, item.decided_by) == (decided[winner], editor)


class TestUpdatesWaiting:
    def pending(self, editor):
        edit_body(intake.take_in(SEED_TEXT).article, by=editor)
        return intake.take_in(SEED_TEXT + ADDED_PARAGRAPH).wire_item

    def test_updates_are_listed_with_their_diff_and_buttons(self, seed, editor):
        item = self.pending(editor)

        page = client_for(editor).get(INBOX).text

        assert "<ins>" in page and "remained tense" in page
        decide = reverse("admin:articles_article_decide_update", args=[item.pk, "accept"])
        assert f'action="{decide}"' in page
        assert f'name="next" value="{INBOX}"' in page

    def test_accepting_applies_the_update_and_comes_back_to_the_inbox(self, seed, editor):
        item = self.pending(editor)
        decide = reverse("admin:articles_article_decide_update", args=[item.pk, "accept"])

        response = client_for(editor).post(decide, {"next": INBOX})

        assert response.url == INBOX
        assert "remained tense" in Article.objects.get(pk=item.article_id).body
        assert WireItem.objects.get(pk=item.pk).outcome == WireOutcome.ACCEPTED

    def test_ignoring_leaves_the_story_and_the_list(self, seed, editor):
        item = self.pending(editor)
        decide = reverse("admin:articles_article_decide_update", args=[item.pk, "ignore"])
        client = client_for(editor)

        assert client.post(decide, {"next": INBOX}).url == INBOX
        assert "remained tense" not in Article.objects.get(pk=item.article_id).body
        assert client.get(INBOX).context["updates"] == []

    def test_next_elsewhere_goes_back_to_the_story(self, seed, editor):
        item = self.pending(editor)
        decide = reverse("admin:articles_article_decide_update", args=[item.pk, "ignore"])
        response = client_for(editor).post(decide, {"next": "https://evil.example/"})
        assert response.url == change_url(Article.objects.get(pk=item.article_id))

    def test_a_reporter_sees_updates_but_no_buttons_for_others(self, seed, editor, reporter):
        item = self.pending(editor)
        page = client_for(reporter).get(INBOX).text
        assert "remained tense" in page
        assert reverse("admin:articles_article_decide_update", args=[item.pk, "accept"]) not in page


@pytest.mark.parametrize("n", [3, 300])
def test_queries_are_fixed_whatever_the_number_of_stories(
    editor, reporter, django_assert_max_num_queries, n
):
    person, place = PersonFactory(), PlaceFactory()
    for number in range(n):
        if number % 3 == 2:
            WireItemFactory(
                outcome=WireOutcome.PENDING, text=f"By Agency\n\nAn update, number {number}."
            )
        else:
            WireItemFactory(received_by=reporter, article__people=[person], article__places=[place])
    client = client_for(editor)
    client.get(INBOX)  # the session and permissions, as for every later page

    # The drafts and their links (one query per entity kind), the updates: fixed.
    with django_assert_max_num_queries(10):
        response = client.get(INBOX)

    assert response.status_code == 200
    assert len(response.context["drafts"]) == min(INBOX_ROWS, n - n // 3)
    assert len(response.context["updates"]) == min(UPDATE_ROWS, n // 3)
