"""Search: one query language on both databases, an index the database keeps, nothing hidden."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone

from articles import editorial
from articles.models import Article, Status
from articles.search import MAX_QUERY_LENGTH, MAX_TERMS, Query, Term, parse_query, search, snippets
from tests.factories import ArticleFactory, AuthorFactory, PlaceFactory

HOSTILE = [
    "",
    "   ",
    "!!! ??? ...",
    "-Armenia",
    '-"Nagorno Karabakh" -Baku',
    '"',
    '""',
    "*",
    "^",
    ":",
    "()",
    "the and NOT",
    "AND OR NOT",
    "OR",
    "- -- ---",
    "\x00\x01",
]

ODD = [
    "NEAR(",
    "NEAR(zebra giraffe, 2)",
    "zeb*",
    "^zebra",
    "headline:zebra",
    "(zebra OR) AND NOT giraffe)",
    "'; DROP TABLE articles_article;--",
    '" OR 1=1 --',
    "zebra\x00giraffe",
    "zebra & giraffe | !okapi <-> <2>",
    "z" * 5000,
    "zebra " * 1000,
    '"unbalanced "quotes" here',
    "ℤebra ½ ﬁsh",
]


def ids(queryset):
    return [article.pk for article in queryset]


class TestParseQuery:
    @pytest.mark.parametrize(
        ("text", "parsed"),
        [
            ("Ganja meeting", "Ganja meeting"),
            ("  Ganja\t\nmeeting  ", "Ganja meeting"),
            ('"special service meeting" -Armenia', '"special service meeting" -Armenia'),
            ('"special   service"', '"special service"'),
            ("Ganja OR Mingachevir", "Ganja OR Mingachevir"),
            ("meeting Ganja OR Baku OR Shaki", "meeting Ganja OR Baku OR Shaki"),
            ('-"Nagorno Karabakh" Baku', 'Baku -"Nagorno Karabakh"'),
            ("Ganja OR -Armenia Baku", "Ganja Baku -Armenia"),
            ("OR Ganja OR", "Ganja"),
            ("Ganja OR OR Baku", "Ganja OR Baku"),
            ("Ganja or Baku", "Ganja Baku"),
            ("the President of Azerbaijan", "President Azerbaijan"),
            ('"state of emergency"', '"state of emergency"'),
            ('"unclosed phrase here', '"unclosed phrase here"'),
            ('Ganja"Baku"', 'Ganja "Baku"'),
            ("well-known COVID-19", "well-known COVID-19"),
            ("Ganja ! OR Baku", "Ganja OR Baku"),
        ],
    )
    def test_reads_the_query_language(self, text, parsed):
        assert str(parse_query(text)) == parsed

    def test_groups_or_terms_and_keeps_exclusions_apart(self):
        assert parse_query('a1 b2 OR "c3 d4" -e5') == Query(
            required=((Term("a1"),), (Term("b2"), Term("c3 d4", phrase=True))),
            excluded=(Term("e5"),),
        )

    @pytest.mark.parametrize("text", HOSTILE)
    def test_nothing_to_search_for_is_none(self, text):
        assert parse_query(text) is None

    @pytest.mark.parametrize("text", ODD)
    def test_odd_input_parses(self, text):
        assert parse_query(text) is not None

    def test_not_a_string_is_none(self):
        assert parse_query(None) is None

    def test_length_is_capped(self):
        query = parse_query("z" * 5000)
        assert query.required == ((Term("z" * MAX_QUERY_LENGTH),),)

    def test_terms_are_capped(self):
        query = parse_query(" ".join(f"word{n}" for n in range(100)) + " -excluded")
        assert len(query.required) == MAX_TERMS
        assert query.excluded == ()


@pytest.mark.django_db
class TestSearch:
    def test_headline_match_ranks_above_body_match(self):
        body_only = ArticleFactory(public=True, body="The governor visited Ganja on Monday.")
        headline = ArticleFactory(public=True, headline="Ganja hosts the regional forum")
        summary = ArticleFactory(public=True, summary="A forum opened in Ganja.")
        ArticleFactory.create_batch(3, public=True)
        for text in ("ganja", "ganja -Armenia", "Ganja OR Mingachevir"):
            results = list(search(Article.objects.public(), text))
            assert ids(results) == [headline.pk, summary.pk, body_only.pk], text
            assert results[0].search_rank > results[1].search_rank > results[2].search_rank > 0

    def test_equal_ranks_are_newest_first(self):
        older = ArticleFactory(public=True, headline="Ganja news")
        newer = ArticleFactory(public=True, headline="Ganja news")
        older.published_at = timezone.now() - timedelta(days=2)
        older.save()
        assert ids(search(Article.objects.public(), "ganja")) == [newer.pk, older.pk]

    def test_phrase_matches_words_in_order(self):
        phrase = ArticleFactory(public=True, body="A special service meeting was held.")
        scattered = ArticleFactory(public=True, body="A meeting of the special police service.")
        assert ids(search(Article.objects.public(), '"special service meeting"')) == [phrase.pk]
        assert set(ids(search(Article.objects.public(), "special service meeting"))) == {
            phrase.pk,
            scattered.pk,
        }

    def test_all_words_must_match(self):
        both = ArticleFactory(public=True, body="Ganja and Baku signed.")
        ArticleFactory(public=True, body="Ganja alone.")
        assert ids(search(Article.objects.public(), "Ganja Baku")) == [both.pk]

    def test_exclusion(self):
        kept = ArticleFactory(public=True, body="A special service meeting in Baku.")
        ArticleFactory(public=True, body="A special service meeting on Armenia.")
        results = search(Article.objects.public(), '"special service meeting" -Armenia')
        assert ids(results) == [kept.pk]

    def test_or(self):
        ganja = ArticleFactory(public=True, body="Floods in Ganja.")
        mingachevir = ArticleFactory(public=True, body="Floods in Mingachevir.")
        ArticleFactory(public=True, body="Floods in Shaki.")
        results = search(Article.objects.public(), "floods Ganja OR Mingachevir")
        assert set(ids(results)) == {ganja.pk, mingachevir.pk}

    @pytest.mark.parametrize("text", ["GANJA", "ganja", "gAnJa"])
    def test_case_insensitive(self, text):
        article = ArticleFactory(public=True, headline="Ganja Forum")
        assert ids(search(Article.objects.public(), text)) == [article.pk]

    def test_words_are_stemmed_alike(self):
        article = ArticleFactory(public=True, body="The elections were held on Sunday.")
        assert ids(search(Article.objects.public(), "election")) == [article.pk]

    def test_composes_with_filters_before_and_after(self):
        ganja = PlaceFactory(name="Ganja")
        here = ArticleFactory(public=True, body="Floods again.", places=[ganja])
        ArticleFactory(public=True, body="Floods again.")
        before = search(Article.objects.public().filter(places=ganja), "floods")
        after = search(Article.objects.public(), "floods").filter(places=ganja)
        assert ids(before) == ids(after) == [here.pk]
        assert search(Article.objects.public(), "floods").count() == 2
        assert len(search(Article.objects.public(), "floods").select_related("source")[1:]) == 1

    def test_works_as_a_subquery(self):
        article = ArticleFactory(public=True, body="Floods again.")
        ArticleFactory(public=True)
        matches = search(Article.objects.public(), "floods").values("pk")
        assert ids(Article.objects.filter(pk__in=matches)) == [article.pk]

    @pytest.mark.parametrize(
        "hidden",
        [
            {"status": Status.DRAFT},
            {"status": Status.REVIEW},
            {"status": Status.ARCHIVED, "published_at": timezone.now() - timedelta(days=1)},
            {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(hours=1)},
        ],
        ids=["draft", "review", "archived", "scheduled"],
    )
    def test_never_widens_visibility(self, hidden):
        public = ArticleFactory(public=True, headline="Ganja summit")
        ArticleFactory(headline="Ganja summit", **hidden)
        assert ids(search(Article.objects.public(), "Ganja summit")) == [public.pk]

    def test_index_follows_edits_and_deletes(self):
        article = ArticleFactory(public=True, headline="Ganja summit", body="Talks began.")
        article.headline = "Shaki summit"
        article.body = "Talks ended."
        article.save()
        assert ids(search(Article.objects.public(), "Ganja")) == []
        assert ids(search(Article.objects.public(), "Shaki ended")) == [article.pk]
        Article.objects.filter(pk=article.pk).update(summary="Mingachevir too.")
        assert ids(search(Article.objects.public(), "Mingachevir")) == [article.pk]
        article.delete()
        assert ids(search(Article.objects.public(), "Shaki")) == []

    def test_a_save_that_changes_no_text_keeps_the_index(self):
        article = ArticleFactory(public=True, headline="Ganja summit")
        editorial.archive(article, by=None)
        editorial.unpublish(article, by=None)
        editorial.publish(article, by=None)
        assert ids(search(Article.objects.public(), "Ganja")) == [article.pk]

    def test_the_database_keeps_the_index(self):
        """A migration rebuilding articles_article on SQLite drops the triggers; migrate
        puts them back."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    ["articles_article"],
                )
                expected = {f"articles_article_fts_{op}" for op in ("insert", "update", "delete")}
            else:
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = 'articles_article'::regclass"
                    " AND NOT tgisinternal"
                )
                expected = {"articles_article_search_insert", "articles_article_search_update"}
            assert expected <= {name for (name,) in cursor.fetchall()}

    def test_a_body_too_varied_for_a_tsvector_still_saves(self):
        # PostgreSQL cannot store a tsvector of over a megabyte: the trigger
        # indexes the body's beginning rather than refuse the save.
        body = "needle " + " ".join(f"w{n}" for n in range(200_000))
        article = ArticleFactory(public=True, body=body)
        assert ids(search(Article.objects.public(), "needle")) == [article.pk]

    @pytest.mark.parametrize("text", HOSTILE)
    def test_nothing_to_search_for_finds_nothing_without_a_query(
        self, text, django_assert_num_queries
    ):
        ArticleFactory(public=True, headline="Armenia Baku Nagorno Karabakh")
        with django_assert_num_queries(0):
            assert ids(search(Article.objects.public(), text)) == []
            assert snippets(Article.objects.none(), text) == {}

    @pytest.mark.parametrize("text", ODD)
    def test_odd_input_finds_nothing_and_breaks_nothing(self, text):
        ArticleFactory.create_batch(2, public=True)
        results = search(Article.objects.public(), text)
        assert ids(results) == []
        assert results.count() == 0
        assert snippets(Article.objects.all(), text) == {}
        assert Article.objects.count() == 2

    def test_operators_typed_by_a_reader_are_words(self):
        article = ArticleFactory(public=True, body="The NEAR group met (again) at 10:30.")
        assert ids(search(Article.objects.public(), "NEAR( again) 10:30")) == [article.pk]


@pytest.mark.django_db
class TestSnippets:
    def test_marks_matches_and_escapes_the_rest(self):
        article = ArticleFactory(
            public=True,
            body='Officials in Ganja said <script>alert("x")</script> & more was planned.',
        )
        html = snippets(search(Article.objects.public(), "ganja"), "ganja")[article.pk]
        assert "<mark>Ganja</mark>" in html
        assert "<script>" not in html
        assert "&amp;" in html
        assert html.count("<mark>") == html.count("</mark>")

    def test_falls_back_to_the_summary_when_only_it_matches(self):
        article = ArticleFactory(public=True, summary="Talks in Shaki.", body="Nothing here.")
        assert "Talks in <mark>Shaki</mark>" in snippets([article], "Shaki")[article.pk]

    def test_marks_in_the_text_itself_stay_balanced(self):
        article = ArticleFactory(public=True, body="Ganja \x03 stray \x02 marks")
        html = snippets([article], "ganja")[article.pk]
        assert html.count("<mark>") == html.count("</mark>") >= 1

    def test_an_article_that_no_longer_matches_has_no_snippet(self):
        article = ArticleFactory(public=True, body="Ganja")
        assert snippets([article], "Shaki") == {}


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 30])
def test_a_page_of_results_takes_fixed_queries(django_assert_max_num_queries, n):
    authors = AuthorFactory.create_batch(2)
    ArticleFactory.create_batch(n, public=True, body="Floods in Ganja.", authors=authors)
    with django_assert_max_num_queries(4):
        paginator = Paginator(search(Article.objects.public().for_listing(), "ganja"), 20)
        page = paginator.page(1)
        html = snippets(page, "ganja")
        rows = [
            (article.headline, article.source.name, article.dateline, article.author_names)
            for article in page
        ]
    assert paginator.count == n
    assert len(rows) == len(html) == min(n, 20)


def test_migrate_puts_back_an_index_trigger_that_went_missing(db):
    from django.core.management import call_command

    dropped = {
        "sqlite": "DROP TRIGGER articles_article_fts_insert",
        "postgresql": "DROP TRIGGER articles_article_search_insert ON articles_article",
    }
    with connection.cursor() as cursor:
        cursor.execute(dropped[connection.vendor])
    assert ids(search(Article.objects.public(), "Shusha")) == []
    ArticleFactory(public=True, headline="Unindexed Shusha")
    assert ids(search(Article.objects.public(), "Shusha")) == []
    call_command("migrate", verbosity=0)
    article = ArticleFactory(public=True, headline="Rebuilt Shusha")
    assert ids(search(Article.objects.public(), "Rebuilt Shusha")) == [article.pk]
