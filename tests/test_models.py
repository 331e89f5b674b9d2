from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import (
    AlreadyHandled,
    Article,
    Author,
    Handled,
    Person,
    Place,
    Section,
    SectionRule,
    Source,
    Status,
    WireItem,
    WireOutcome,
)
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PersonFactory,
    PlaceFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
    WireItemFactory,
)

pytestmark = pytest.mark.django_db


def violates(update):
    """True when the database refuses ``update()`` with an IntegrityError."""
    try:
        with transaction.atomic():
            update()
    except IntegrityError:
        return True
    return False


class TestConstraints:
    def test_published_article_needs_a_publication_time(self):
        article = ArticleFactory()
        assert violates(
            lambda: Article.objects.filter(pk=article.pk).update(
                status=Status.PUBLISHED, published_at=None
            )
        )

    def test_unknown_status_is_refused(self):
        article = ArticleFactory()
        assert violates(lambda: Article.objects.filter(pk=article.pk).update(status="deleted"))

    def test_empty_headline_is_refused(self):
        article = ArticleFactory()
        assert violates(lambda: Article.objects.filter(pk=article.pk).update(headline=""))

    def test_version_starts_at_one(self):
        article = ArticleFactory()
        assert article.version == 1
        assert violates(lambda: Article.objects.filter(pk=article.pk).update(version=0))

    @pytest.mark.parametrize(
        "model_factory", [SourceFactory, PersonFactory, PlaceFactory, AuthorFactory]
    )
    def test_entity_slugs_are_unique(self, model_factory):
        model_factory(slug="taken")
        assert violates(lambda: model_factory(slug="taken"))

    def test_article_slugs_are_unique(self):
        ArticleFactory(slug="taken")
        assert violates(lambda: ArticleFactory(slug="taken"))

    @pytest.mark.parametrize("model", [Source, Person, Place, Author])
    def test_entity_name_is_required(self, model):
        entity = model.objects.create(name="Named")
        assert violates(lambda: model.objects.filter(pk=entity.pk).update(name=""))

    @pytest.mark.parametrize(
        ("latitude", "longitude"),
        [("90.000001", "0"), ("-90.5", "0"), ("0", "180.000001"), ("0", "-181"), ("10", None)],
    )
    def test_coordinates_out_of_range_or_unpaired_are_refused(self, latitude, longitude):
        place = PlaceFactory()
        assert violates(
            lambda: Place.objects.filter(pk=place.pk).update(
                latitude=Decimal(latitude) if latitude else None,
                longitude=Decimal(longitude) if longitude else None,
            )
        )

    @pytest.mark.parametrize(("latitude", "longitude"), [("90", "180"), ("-90", "-180")])
    def test_coordinates_at_the_limits_are_accepted(self, latitude, longitude):
        place = PlaceFactory(latitude=Decimal(latitude), longitude=Decimal(longitude))
        place.refresh_from_db()
        assert place.latitude == Decimal(latitude)

    def test_place_is_not_its_own_parent(self):
        place = PlaceFactory()
        assert violates(lambda: Place.objects.filter(pk=place.pk).update(parent=place))

    def test_unknown_entity_kind_is_refused(self):
        place, source = PlaceFactory(), SourceFactory()
        assert violates(lambda: Place.objects.filter(pk=place.pk).update(kind="planet"))
        assert violates(lambda: Source.objects.filter(pk=source.pk).update(kind="blog"))


class TestValidation:
    def test_a_loop_of_parents_is_a_form_error(self):
        country = PlaceFactory(name="Country")
        city = PlaceFactory(name="City", parent=country)
        country.parent = city
        with pytest.raises(ValidationError, match="inside itself"):
            country.full_clean()

    def test_published_without_time_is_a_form_error(self):
        article = ArticleFactory.build(status=Status.PUBLISHED, published_at=None, source=None)
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        assert "published_at" in error.value.message_dict

    def test_aliases_are_tidied(self):
        place = PlaceFactory.build(name="Ganja", aliases=["  Gəncə ", "Gəncə", "", "Ganja"])
        place.full_clean()
        assert place.aliases == ["Gəncə"]

    def test_aliases_must_be_a_list_of_names(self):
        place = PlaceFactory.build(name="Ganja", aliases={"name": "Gəncə"})
        with pytest.raises(ValidationError) as error:
            place.full_clean()
        assert "aliases" in error.value.message_dict

    def test_wikidata_id_format(self):
        person = PersonFactory.build(wikidata_id="227")
        with pytest.raises(ValidationError) as error:
            person.full_clean()
        assert "wikidata_id" in error.value.message_dict


class TestPublic:
    def test_public_is_published_and_due(self):
        now = timezone.now()
        due = ArticleFactory(status=Status.PUBLISHED, published_at=now - timedelta(seconds=1))
        ArticleFactory(status=Status.PUBLISHED, published_at=now + timedelta(minutes=5))
        ArticleFactory(status=Status.DRAFT)
        ArticleFactory(status=Status.REVIEW, published_at=now - timedelta(days=1))
        ArticleFactory(status=Status.ARCHIVED, published_at=now - timedelta(days=1))
        assert list(Article.objects.public()) == [due]

    def test_scheduled_story_goes_public_at_its_second(self):
        soon = timezone.now() + timedelta(seconds=2)
        article = ArticleFactory(status=Status.PUBLISHED, published_at=soon)
        assert not Article.objects.public().exists()
        assert article.is_scheduled
        Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
        assert list(Article.objects.public()) == [article]

    @pytest.mark.parametrize(
        ("status", "offset", "expected"),
        [
            (Status.PUBLISHED, -60, True),
            (Status.PUBLISHED, 60, False),
            (Status.DRAFT, -60, False),
            (Status.REVIEW, -60, False),
            (Status.ARCHIVED, -60, False),
        ],
    )
    def test_is_public_agrees_with_public(self, status, offset, expected):
        article = ArticleFactory(
            status=status, published_at=timezone.now() + timedelta(seconds=offset)
        )
        assert article.is_public is expected
        assert Article.objects.public().filter(pk=article.pk).exists() is expected

    def test_newest_first(self):
        now = timezone.now()
        old = ArticleFactory(public=True, published_at=now - timedelta(days=2))
        new = ArticleFactory(public=True, published_at=now - timedelta(hours=1))
        assert list(Article.objects.public().for_listing()) == [new, old]


class TestPresentation:
    def test_str_and_urls(self):
        article = ArticleFactory(headline="Ganja shelled", public=True)
        place = PlaceFactory(name="Ganja")
        person = PersonFactory(name="Zakir Hasanov")
        source = SourceFactory(name="Trend News Agency")
        assert str(article) == "Ganja shelled"
        assert article.get_absolute_url() == "/articles/ganja-shelled/"
        assert (str(place), place.get_absolute_url()) == ("Ganja", "/places/ganja/")
        assert person.get_absolute_url() == "/people/zakir-hasanov/"
        assert source.get_absolute_url() == "/sources/trend-news-agency/"
        author = AuthorFactory(name="Jane Doe")
        assert (str(author), author.get_absolute_url()) == ("Jane Doe", "/authors/jane-doe/")

    def test_paragraphs_split_on_blank_lines(self):
        article = ArticleFactory.build(body="One.\n\n\n\nTwo\nstill two.\n\n  \n\nThree.")
        # One splitter everywhere (articles/text.py): a line break inside a paragraph is a wrap.
        assert article.paragraphs == ["One.", "Two still two.", "Three."]


def test_entity_texts_keep_lf_line_endings():
    person = PersonFactory(bio="Born in Baku.\r\n\r\nServed in the army.")
    assert Person.objects.get(pk=person.pk).bio == "Born in Baku.\n\nServed in the army."


class TestSubmission:
    def test_moving_to_review_records_who_and_when(self):
        reporter, article = UserFactory(), ArticleFactory()
        before = timezone.now()
        article.move_to(Status.REVIEW, by=reporter)
        assert article.submitted_by == reporter
        assert before <= article.submitted_at <= timezone.now()

    def test_staying_in_review_keeps_the_first_submission(self):
        article = ArticleFactory(status=Status.REVIEW)
        article.submitted_at = submitted = timezone.now() - timedelta(hours=3)
        article.save()
        article = Article.objects.get(pk=article.pk)
        article.move_to(Status.REVIEW, by=UserFactory())
        assert (article.submitted_at, article.submitted_by) == (submitted, None)

    def test_a_new_submission_after_a_return_to_draft_counts_from_then(self):
        article = ArticleFactory(
            status=Status.DRAFT, submitted_at=timezone.now() - timedelta(days=2)
        )
        article.move_to(Status.REVIEW)
        assert article.submitted_at > timezone.now() - timedelta(minutes=1)
        assert article.submitted_by is None  # the system sent it

    def test_the_review_queue_is_oldest_first_and_unknown_times_last(self):
        now = timezone.now()
        late = ArticleFactory(status=Status.REVIEW, submitted_at=now)
        unknown = ArticleFactory(status=Status.REVIEW)
        early = ArticleFactory(status=Status.REVIEW, submitted_at=now - timedelta(hours=1))
        ArticleFactory(status=Status.DRAFT, submitted_at=now - timedelta(days=1))
        assert list(Article.objects.in_review()) == [early, late, unknown]


class TestDeskLists:
    def test_published_since_is_public_stories_from_then(self):
        now = timezone.now()
        fresh = ArticleFactory(status=Status.PUBLISHED, published_at=now - timedelta(hours=1))
        ArticleFactory(status=Status.PUBLISHED, published_at=now - timedelta(days=2))
        ArticleFactory(status=Status.PUBLISHED, published_at=now + timedelta(hours=1))
        assert list(Article.objects.published_since(now - timedelta(days=1))) == [fresh]

    def test_drafts_by_a_user_are_their_own_drafts(self):
        author = UserFactory()
        mine = ArticleFactory(created_by=author)
        ArticleFactory(created_by=author, status=Status.REVIEW)
        ArticleFactory(created_by=UserFactory())
        assert list(Article.objects.drafts_by(author)) == [mine]


class TestWireInbox:
    def test_the_inbox_is_new_drafts_no_one_decided_on(self):
        waiting = WireItemFactory()
        WireItemFactory(handled=Handled.DISMISSED)
        WireItemFactory(article__status=Status.REVIEW)
        WireItemFactory(outcome=WireOutcome.PENDING)
        assert list(WireItem.objects.inbox()) == [waiting]

    def test_a_draft_leaves_the_inbox_once(self):
        editor, colleague = UserFactory(username="ed"), UserFactory(username="col")
        item = WireItemFactory()
        stale = WireItem.objects.get(pk=item.pk)
        item.leave_inbox(Handled.TAKEN, by=editor)
        with pytest.raises(
            AlreadyHandled, match=r"^ed took this draft first, at \d\d:\d\d:\d\d on "
        ):
            stale.leave_inbox(Handled.DISMISSED, by=colleague)
        item.refresh_from_db()
        assert (item.handled, item.decided_by) == (Handled.TAKEN, editor)

    def test_copy_that_made_no_draft_is_not_in_the_inbox_to_leave(self):
        item = WireItemFactory(outcome=WireOutcome.PENDING)
        with pytest.raises(AlreadyHandled, match="did not make a new draft"):
            item.leave_inbox(Handled.TAKEN, by=None)

    def test_only_a_new_draft_can_be_handled(self):
        item = WireItemFactory(outcome=WireOutcome.PENDING)
        assert violates(lambda: WireItem.objects.filter(pk=item.pk).update(handled="taken"))
        created = WireItemFactory()
        assert violates(lambda: WireItem.objects.filter(pk=created.pk).update(handled="lost"))


def test_an_author_outlives_their_account():
    user = UserFactory()
    author = AuthorFactory(user=user)
    assert user.author == author
    user.delete()
    assert Author.objects.get(pk=author.pk).user is None


class TestCreditLine:
    """The credit a story carries: the byline typed, or one made from its authors and
    source whenever it is read."""

    CASES = {
        "an agency's byline, as typed": ("By Trend", [], "Trend", "By Trend"),
        "a typed byline wins over the authors": (
            "By the desk",
            ["Jane Doe"],
            "Trend",
            "By the desk",
        ),
        "one author and the source's short name": ("", ["Jane Doe"], "Trend", "By Jane Doe, Trend"),
        "two authors": ("", ["John Roe", "Jane Doe"], "Trend", "By Jane Doe and John Roe, Trend"),
        "three authors": (
            "",
            ["Jane Doe", "John Roe", "Ali Veli"],
            "Trend",
            "By Ali Veli, Jane Doe and John Roe, Trend",
        ),
        "a source without a short name": ("", ["Jane Doe"], "", "By Jane Doe, Caspian Wire"),
        "no source": ("", ["Jane Doe"], None, "By Jane Doe"),
        "no byline and no authors: none": ("", [], "Trend", ""),
    }

    @pytest.mark.parametrize(
        ("byline", "authors", "short_name", "credit"), CASES.values(), ids=CASES.keys()
    )
    def test_credit_line(self, django_assert_num_queries, byline, authors, short_name, credit):
        source = None
        if short_name is not None:
            name = "Trend News Agency" if short_name else "Caspian Wire"
            source = SourceFactory(name=name, short_name=short_name)
        story = ArticleFactory(
            byline=byline, source=source, authors=[AuthorFactory(name=n) for n in authors]
        )
        loaded = Article.objects.for_detail().get(pk=story.pk)
        with django_assert_num_queries(0):  # from what the page already fetched
            assert loaded.credit_line == credit

    def test_a_derived_credit_follows_the_authors_and_the_source(self):
        jane, trend = AuthorFactory(name="Jane Doe"), SourceFactory(name="Trend", short_name="")
        story = ArticleFactory(byline="", source=trend, authors=[jane])
        jane.name = "Jane Roe-Doe"
        jane.save()
        trend.short_name = "TRND"
        trend.save()
        assert Article.objects.get(pk=story.pk).credit_line == "By Jane Roe-Doe, TRND"

    def test_the_pieces_carry_the_authors_to_link(self):
        jane, john = AuthorFactory(name="Jane Doe"), AuthorFactory(name="John Roe")
        story = ArticleFactory(byline="", authors=[jane, john], source=None)
        assert story.credit_parts == [
            ("By ", None),
            ("Jane Doe", jane),
            (" and ", None),
            ("John Roe", john),
        ]
        assert story.author_names == "Jane Doe and John Roe"


class TestSections:
    def test_about_a_section_is_its_public_stories_filed_in_it(self):
        politics, economy = SectionFactory(), SectionFactory()
        filed = ArticleFactory(public=True, section=politics)
        ArticleFactory(public=True, section=economy)
        ArticleFactory(public=True)
        ArticleFactory(status=Status.DRAFT, section=politics)
        assert list(Article.objects.public().about(politics)) == [filed]

    def test_in_the_news_means_a_public_story(self):
        busy, quiet = SectionFactory(), SectionFactory()
        ArticleFactory(public=True, section=busy)
        ArticleFactory(status=Status.DRAFT, section=quiet)
        assert list(Section.objects.in_the_news()) == [busy]
        assert Section.objects.with_story_counts().get(pk=busy.pk).story_count == 1

    def test_ordered_by_position_then_name(self):
        b = SectionFactory(name="B", position=2)
        a = SectionFactory(name="A", position=2)
        first = SectionFactory(name="Z", position=1)
        assert list(Section.objects.for_navigation()) == [first, a, b]
        assert list(Section.objects.all()) == [first, a, b]

    def test_a_section_has_a_name(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Section.objects.create(name="", slug="nameless")

    def test_it_has_an_address_from_its_name(self):
        assert SectionFactory(name="World News").get_absolute_url() == "/sections/world-news/"


class TestSectionRules:
    ONE = "A rule names one source, one person or one place: choose exactly one."

    @pytest.mark.parametrize("entities", [(), ("source", "person"), ("source", "person", "place")])
    def test_a_rule_names_exactly_one_entity(self, entities):
        made = {"source": SourceFactory, "person": PersonFactory, "place": PlaceFactory}
        rule = SectionRule(section=SectionFactory(), **{name: made[name]() for name in entities})
        with pytest.raises(ValidationError) as refused:
            rule.full_clean()
        assert refused.value.messages == [self.ONE]
        with pytest.raises(IntegrityError), transaction.atomic():
            rule.save()  # the database refuses it too

    def test_one_rule_per_entity_and_section(self):
        section, ganja = SectionFactory(), PlaceFactory(name="Ganja")
        SectionRule.objects.create(section=section, place=ganja)
        again = SectionRule(section=section, place=ganja)
        with pytest.raises(ValidationError) as refused:
            again.full_clean()
        assert refused.value.messages == ["This section already has a rule for this place."]
        with pytest.raises(IntegrityError), transaction.atomic():
            again.save()
        SectionRule.objects.create(section=SectionFactory(), place=ganja)  # another section

    def test_matching_is_by_position_then_age(self):
        ganja, hasanov = PlaceFactory(name="Ganja"), PersonFactory(name="Zakir Hasanov")
        later = SectionRule.objects.create(section=SectionFactory(), place=ganja, position=2)
        first = SectionRule.objects.create(section=SectionFactory(), person=hasanov, position=1)
        tie = SectionRule.objects.create(section=SectionFactory(), person=hasanov, position=2)
        about = {"place": {ganja.pk}, "person": {hasanov.pk}, "source": set()}
        assert list(SectionRule.objects.matching(about)) == [first, later, tie]
        assert list(SectionRule.objects.matching({"place": {ganja.pk}})) == [later]

    def test_a_story_about_nothing_matches_no_rule_without_a_query(self, django_assert_num_queries):
        SectionRule.objects.create(section=SectionFactory(), place=PlaceFactory())
        with django_assert_num_queries(0):
            assert list(SectionRule.objects.matching({"place": set()})) == []

    def test_a_rule_says_what_it_does(self):
        rule = SectionRule(
            section=SectionFactory(name="Politics"), source=SourceFactory(name="MoD")
        )
        assert str(rule) == "Stories linked to MoD go to Politics"
        assert str(SectionRule(section=rule.section)) == "Stories linked to nothing go to Politics"
