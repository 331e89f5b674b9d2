"""The matcher's rules on the desk copy set's gazetteer, one realistic line of copy each."""

import pytest

from articles.matching import Entity, Gazetteer
from tests.desk_copy import measure


@pytest.fixture(scope="module")
def desk():
    built, slugs = measure.entities(measure.load_gazetteer())
    return Gazetteer(built), slugs


def linked(desk, text, context=()):
    gazetteer, slugs = desk
    return {slugs[ref] for ref in gazetteer.entities_in(text, context)}


class TestSoftHyphens:
    def test_a_soft_hyphen_inside_a_name_does_not_hide_it(self, desk):
        text = "Sergey Lavrov said the talks with Azer\u00adbaijan were useful."
        assert linked(desk, text) == {"sergey-lavrov", "azerbaijan"}

    def test_the_highlight_keeps_the_soft_hyphen(self, desk):
        gazetteer, _slugs = desk
        text = "Talks in Ba\u00adku and Tbi\u00ad\u00adlisi resumed."
        assert [m.text for m in gazetteer.find_mentions(text)] == [
            "Ba\u00adku",
            "Tbi\u00ad\u00adlisi",
        ]

    def test_a_soft_hyphen_does_not_join_two_words(self, desk):
        assert linked(desk, "Bak\u00ad u and \u00adBaku\u00ad") == {"baku"}


class TestUSStates:
    def test_a_city_written_with_a_us_state_is_not_the_capital_of_its_name(self, desk):
        text = (
            "ATHENS, Ga. (AP) — The college town that gave the world R.E.M. is opening a "
            "museum. Athens has long drawn bands from across the South."
        )
        assert linked(desk, text) == {"associated-press"}

    @pytest.mark.parametrize(
        "text",
        [
            "ATHENS (Reuters) - Greek farmers blocked roads into Athens on Monday.",
            "Talks in Athens, Greece, resumed on Monday.",
            "Ministers met in Athens, the Greek capital, on Monday.",
        ],
    )
    def test_the_capital_still_links_without_a_state(self, desk, text):
        assert "athens" in linked(desk, text)

    def test_a_list_of_countries_is_no_state(self, desk):
        text = "Officials from Baku, Georgia and Armenia met in Tbilisi."
        assert linked(desk, text) >= {"baku", "georgia", "armenia", "tbilisi"}

    def test_a_place_held_in_that_state_links(self):
        gazetteer = Gazetteer(
            [
                Entity("place", 1, "Georgia (U.S. state)", ("Ga.",)),
                Entity("place", 2, "Athens", (), parent=1),
            ]
        )
        text = "ATHENS, Ga. (AP) — Athens voted on Tuesday."
        assert [m.text for m in gazetteer.find_mentions(text)] == ["ATHENS", "Ga.", "Athens"]

    def test_hostile_commas_after_a_place(self, desk):
        text = "Athens," * 10_000 + " Ga." + "<script>Athens, N.Y.</script>"
        assert linked(desk, text) == set()


class TestShoutedRuns:
    @pytest.mark.parametrize(
        "text",
        [
            "Brokers put up a banner reading MARKET TREND: UP! GIVE US A BREAK outside the bank.",
            "Fans chanted LET US PLAY in Baku on Monday.",
            "Protesters held signs reading DOWN WITH US BASES in Baku.",
        ],
    )
    def test_a_short_name_in_a_shouted_phrase_does_not_link(self, desk, text):
        assert "united-states" not in linked(desk, text)

    @pytest.mark.parametrize(
        "text",
        [
            "The US and Azerbaijan signed the accord in Baku.",
            "BAKU, Dec. 1 (Reuters) - US envoy met officials.",
            "Talks on US-EU trade resumed.",
        ],
    )
    def test_the_short_name_in_mixed_case_copy_still_links(self, desk, text):
        assert "united-states" in linked(desk, text)

    def test_a_dateline_in_capitals_still_links(self, desk):
        text = "BAKU, Dec. 1 (Reuters) - A banner read GIVE US A BREAK."
        assert linked(desk, text) == {"baku", "reuters"}


class TestNestedPlaces:
    def test_a_person_whose_office_is_of_the_place_makes_the_story_about_it(self, desk):
        text = (
            "The Defense Ministry of Azerbaijan has bought drones worth $1.6 billion. "
            "Eurasianet could not reach President Ilham Aliyev's office."
        )
        assert linked(desk, text) == {
            "ministry-of-defense-of-azerbaijan",
            "azerbaijan",
            "eurasianet",
            "ilham-aliyev",
        }

    def test_a_neighbour_itself_inside_a_longer_name_supports_the_place(self, desk):
        text = (
            "YEREVAN, Dec 1 (Reuters) - The Foreign Ministry of Azerbaijan on Monday rejected "
            "a statement by the Foreign Ministry of Armenia on border demarcation."
        )
        assert {"yerevan", "armenia", "azerbaijan"} <= linked(desk, text)

    @pytest.mark.parametrize(
        "text",
        [
            "The State Oil Company of Azerbaijan raised fuel prices.",
            "The Azerbaijani Defense Ministry released footage. Vladimir Putin did not comment.",
            "<b>The Defense Ministry of Azerbaijan</b>'); DROP TABLE articles_place;--",
        ],
    )
    def test_a_name_alone_still_does_not_make_the_story_about_its_place(self, desk, text):
        assert "azerbaijan" not in linked(desk, text)


class TestNamesNoEnglishWord:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Azerbaijan, Türkiye sign energy memorandum", {"azerbaijan", "turkey"}),
            ("Türkiye voted on Tuesday.", {"turkey"}),
            ("Gəncə hosted the festival.", {"ganja"}),
            # Decomposed, as some systems paste it.
            ("Tu\u0308rkiye voted on Tuesday.", {"turkey"}),
        ],
    )
    def test_a_name_spelt_with_letters_english_does_not_write_needs_no_support(
        self, desk, text, expected
    ):
        assert linked(desk, text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            "Turkey Prices Soar Ahead of Holidays",
            "Turkiye voted on Tuesday.",
            "Georgia voted on Tuesday.",
            "Ganja hosted the festival.",
        ],
    )
    def test_an_english_spelling_still_needs_support(self, desk, text):
        assert linked(desk, text) == set()


class TestAcronymsInShoutedDatelines:
    def test_a_three_letter_agency_in_a_shouted_dateline_links(self, desk):
        text = "BAKU, DEC 1 (APA) - URGENT\n\nBORDER GUARDS EXCHANGED FIRE, THE MINISTRY SAID."
        assert linked(desk, text) == {"baku", "apa"}

    @pytest.mark.parametrize(
        "text",
        [
            # Two letters stay a word, even in a dateline.
            "ANKARA, DEC 1 (AA) - URGENT",
            "GIVE US A BREAK",
            # In shouted running text, a three-letter acronym is no evidence either.
            "OFFICIALS SAID ON MONDAY THAT APA AND OTHER AGENCIES WERE BARRED FROM THE HALL. "
            "THE MINISTRY DID NOT COMMENT.",
        ],
    )
    def test_shorter_or_in_running_text_it_does_not(self, desk, text):
        assert linked(desk, text) <= {"ankara"}


class TestCountryContext:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "Defense Minister Zakir Hasanov met Turkish officers in Baku on Monday.",
                {"zakir-hasanov", "turkey", "baku"},
            ),
            ("Jordanian investors toured Sumgait.", {"jordan", "sumgait"}),
        ],
    )
    def test_a_demonym_beside_another_countrys_place_links(self, desk, text, expected):
        assert linked(desk, text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            # The word the never-link phrases show to be common still needs more.
            "Turkey sandwiches sold out at the Baku fair.",
            "Jordan scored twice as Liverpool beat Qarabag in Baku.",
            # Alone, or set in America, a demonym is no country context.
            "Turkish officers arrived on Monday.",
            "Turkish fans cheered the Falcons in Atlanta, where Baku-born players live.",
        ],
    )
    def test_without_a_country_context_it_does_not(self, desk, text):
        assert linked(desk, text) & {"turkey", "jordan"} == set()


class TestOfficeNamedElsewhere:
    def test_a_surname_links_the_one_person_whose_office_the_story_names(self, desk):
        text = (
            "ISTANBUL (AA) - Foreign Minister Fidan met his Azerbaijani counterpart in "
            "Istanbul on Monday. Fidan and Bayramov discussed the South Caucasus."
        )
        assert {"hakan-fidan", "jeyhun-bayramov"} <= linked(desk, text)

    @pytest.mark.parametrize(
        "text",
        [
            # No title said, or not the place of the office: the surname alone.
            "Bayramov discussed the South Caucasus with officials in Baku.",
            "Foreign Minister Fidan met officials in Istanbul. Fidan and Bayramov talked.",
            # A namesake stays one.
            "Foreign Minister Fidan met his Azerbaijani counterpart. Ali Bayramov, a farmer, "
            "watched.",
            "Foreign Minister Fidan met Azerbaijani officials. Bayramov Jr. watched.",
        ],
    )
    def test_otherwise_the_surname_still_needs_more(self, desk, text):
        assert "jeyhun-bayramov" not in linked(desk, text)
