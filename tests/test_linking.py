"""The pure linking core: plain strings and entities in, mentions out, no database."""

import json
import random
from itertools import pairwise
from pathlib import Path

import pytest

from articles import kinds
from articles.matching import Entity, Gazetteer

ROOT = Path(__file__).resolve().parents[1]
LABELLED = json.loads((ROOT / "tests" / "linking" / "labelled.json").read_text(encoding="utf-8"))
ENTITIES = [
    Entity(row["kind"], row["id"], row["name"], tuple(row["aliases"]))
    for row in LABELLED["entities"]
]
SLUGS = {(row["kind"], row["id"]): f"{row['kind']}:{row['slug']}" for row in LABELLED["entities"]}
REFS = {slug: ref for ref, slug in SLUGS.items()}


def paragraphs(wire_text):
    """The story without its "By ..." line: a byline names who filed, not what is mentioned."""
    first_line, _, rest = wire_text.partition("\n")
    return rest.lstrip("\n") if first_line.startswith("By ") else wire_text


def seed_newsroom():
    """The 12 entities and the article of fixtures/newsroom.json, read as plain data."""
    rows = json.loads((ROOT / "fixtures" / "newsroom.json").read_text(encoding="utf-8"))
    entities, article = [], None
    for number, row in enumerate(rows, start=1):
        kind = row["model"].removeprefix("articles.")
        if kind == "article":
            article = row["fields"]
        # The kinds stories are linked to (a section is filing, a rule or a page no entity).
        elif kind in kinds.BY_NAME and kinds.BY_NAME[kind].linked:
            entities.append(
                Entity(kind, number, row["fields"]["name"], tuple(row["fields"]["aliases"]))
            )
    return entities, paragraphs(article["original_text"])


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(ENTITIES)


def linked(gazetteer, text):
    return {SLUGS[ref] for ref in gazetteer.entities_in(text)}


def mentioned(gazetteer, text):
    return [
        (mention.text, SLUGS[(mention.kind, mention.id)])
        for mention in gazetteer.find_mentions(text)
    ]


def assert_spans_point_into(text, mentions):
    assert all(text[mention.start : mention.end] == mention.text for mention in mentions)
    assert all(before.end <= after.start for before, after in pairwise(mentions))


class TestWholeWords:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("The poet Nizami Ganjavi was born there.", set()),
            ("Azerbaijani troops advanced.", {"place:azerbaijan"}),
            ("Azerbaijanis voted.", {"place:azerbaijan"}),
            ("xGanja and Ganja2 and 2Ganja", set()),
            ("ЯGanja and Gəncəli", set()),
            ("Bakıxanov street", set()),
            ("(Ganja), «Ganja», Ganja.", {"place:ganja"}),
            ("Ganca\u0301 is another word", set()),
            ("e\u0301Ganja is glued to a letter", set()),
            ("\u2764\ufe0fGanja", {"place:ganja"}),
        ],
    )
    def test_a_match_is_a_whole_word(self, gazetteer, text, expected):
        assert linked(gazetteer, text) == expected


class TestCase:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Trend reports", {"source:trend"}),
            ("the trend is up", set()),
            ("trendy hotels", set()),
            ("TRENDY hotels", set()),
            ("Trends in tourism", set()),
            ("ganja and baku", set()),
            ("BaKu", set()),
            (
                "BAKU, Azerbaijan, Oct. 6 (TREND) —",
                {"place:baku", "place:azerbaijan", "source:trend"},
            ),
            ("NAGORNO-KARABAKH", {"place:nagorno-karabakh"}),
            ("APA reports", {"source:apa"}),
            ("Apa reports", set()),
        ],
    )
    def test_names_are_case_sensitive_except_all_caps(self, gazetteer, text, expected):
        assert linked(gazetteer, text) == expected

    def test_all_caps_needs_four_letters(self):
        gazetteer = Gazetteer([Entity("place", 1, "Qax"), Entity("place", 2, "Oguz")])
        assert gazetteer.entities_in("Qax, QAX, Oguz, OGUZ") == {("place", 1), ("place", 2)}
        assert [m.text for m in gazetteer.find_mentions("QAX OGUZ")] == ["OGUZ"]


class TestLongestMatch:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("the Nagorno-Karabakh region", [("Nagorno-Karabakh", "place:nagorno-karabakh")]),
            ("in Karabakh", [("Karabakh", "place:nagorno-karabakh")]),
            (
                "the Azerbaijani Defense Ministry said",
                [("Azerbaijani Defense Ministry", "source:ministry-of-defense-of-azerbaijan")],
            ),
            ("Azeri-Press Agency reports", [("Azeri-Press Agency", "source:apa")]),
            ("Trend News reports", [("Trend News", "source:trend")]),
            (
                "at Heydar Aliyev International Airport",
                [
                    (
                        "Heydar Aliyev International Airport",
                        "place:heydar-aliyev-international-airport",
                    )
                ],
            ),
            (
                "Azerbaijani Defense Minister",
                [("Azerbaijani", "place:azerbaijan")],
            ),
        ],
    )
    def test_leftmost_longest(self, gazetteer, text, expected):
        assert mentioned(gazetteer, text) == expected


class TestVariants:
    @pytest.mark.parametrize(
        "separator",
        ["-", " ", "\u2010", "\u2011", "\u2013", "\u2014", "\u00a0", "\n", "\r\n", " \n\n ", "\t"],
    )
    def test_hyphens_dashes_and_whitespace_are_interchangeable(self, gazetteer, separator):
        text = f"Fighting in Nagorno{separator}Karabakh resumed."
        [mention] = gazetteer.find_mentions(text)
        assert (mention.start, mention.text) == (12, f"Nagorno{separator}Karabakh")
        assert SLUGS[(mention.kind, mention.id)] == "place:nagorno-karabakh"

    @pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u2018", "\u02bc"])
    def test_apostrophes_are_interchangeable(self, gazetteer, apostrophe):
        text = f"Azerbaijan{apostrophe}s Defense Ministry said"
        assert mentioned(gazetteer, text) == [
            (
                f"Azerbaijan{apostrophe}s Defense Ministry",
                "source:ministry-of-defense-of-azerbaijan",
            )
        ]

    def test_variants_in_the_gazetteer_match_too(self):
        gazetteer = Gazetteer(
            [Entity("source", 1, "Ministry", aliases=("Azerbaijan\u2019s  Defense\u2013Ministry",))]
        )
        assert gazetteer.entities_in("Azerbaijan's Defense-Ministry") == {("source", 1)}

    def test_decomposed_text_matches_a_composed_alias(self, gazetteer):
        assert mentioned(gazetteer, "near Abs\u0327eron") == [("Abs\u0327eron", "place:absheron")]


class TestPossessives:
    @pytest.mark.parametrize(
        ("text", "surface", "slug"),
        [
            ("Azerbaijan's army", "Azerbaijan", "place:azerbaijan"),
            ("Azerbaijan\u2019s army", "Azerbaijan", "place:azerbaijan"),
            ("Hasanov\u2019s order", "Hasanov", "person:zakir-hasanov"),
            ("Trend's reporter", "Trend", "source:trend"),
        ],
    )
    def test_a_possessive_is_a_mention(self, gazetteer, text, surface, slug):
        assert mentioned(gazetteer, text) == [(surface, slug)]


class TestSecondReferences:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Pashinyan said talks would resume.", []),
            (
                "Nikol Pashinyan arrived. Pashinyan said",
                [
                    ("Nikol Pashinyan", "person:nikol-pashinyan"),
                    ("Pashinyan", "person:nikol-pashinyan"),
                ],
            ),
            (
                "Pashinyan said, Prime Minister Nikol Pashinyan",
                [
                    ("Pashinyan", "person:nikol-pashinyan"),
                    ("Nikol Pashinyan", "person:nikol-pashinyan"),
                ],
            ),
            ("Hasanov inspected the troops.", [("Hasanov", "person:zakir-hasanov")]),
            ("Aliyev said.", []),
            (
                "Aliyev spoke at Heydar Aliyev International Airport.",
                [
                    (
                        "Heydar Aliyev International Airport",
                        "place:heydar-aliyev-international-airport",
                    )
                ],
            ),
        ],
    )
    def test_a_surname_needs_the_full_name_in_the_text(self, gazetteer, text, expected):
        assert mentioned(gazetteer, text) == expected

    @pytest.mark.parametrize(
        ("text", "aliyevs"),
        [
            (
                "Ilham Aliyev spoke. Aliyev said Heydar Aliyev founded it. Aliyev was born in 1923",
                ["ilham", "ilham", "heydar", "heydar"],
            ),
            ("Aliyev said it. Heydar Aliyev and Ilham Aliyev", ["heydar", "heydar", "ilham"]),
            ("Aliyev said it. ALIYEV. Ilham Aliyev", ["ilham", "ilham", "ilham"]),
        ],
    )
    def test_a_shared_surname_goes_to_the_nearest_full_name(self, gazetteer, text, aliyevs):
        assert [slug for _, slug in mentioned(gazetteer, text)] == [
            f"person:{first}-aliyev" for first in aliyevs
        ]

    @pytest.mark.parametrize(
        ("text", "ministries"),
        [
            ("Azerbaijan's Foreign Ministry said. The Foreign Ministry added", ["az", "az"]),
            ("The Foreign Ministry said. Armenian Foreign Ministry", ["am", "am"]),
            (
                "Azerbaijani Foreign Ministry; Armenian Foreign Ministry; Foreign Ministry",
                ["az", "am", "am"],
            ),
            ("Russia's Foreign Ministry said", []),
        ],
    )
    def test_a_shared_alias_goes_to_the_nearest_unambiguous_mention(
        self, gazetteer, text, ministries
    ):
        country = {"az": "azerbaijan", "am": "armenia"}
        expected = [f"source:ministry-of-foreign-affairs-of-{country[m]}" for m in ministries]
        assert [slug for _, slug in mentioned(gazetteer, text)] == expected

    def test_a_surname_does_not_take_a_place_from_an_unnamed_person(self):
        gazetteer = Gazetteer([Entity("place", 1, "Georgia"), Entity("person", 1, "Mary Georgia")])
        assert gazetteer.entities_in("Georgia said") == {("place", 1)}
        assert gazetteer.entities_in("Mary Georgia spoke.") == {("person", 1)}


class TestGazetteer:
    def test_short_and_letterless_names_are_ignored(self):
        gazetteer = Gazetteer(
            [
                Entity("place", 1, "X"),
                Entity("place", 2, "42"),
                Entity("place", 3, "--"),
                Entity("source", 4, "Trend", aliases=("T", "", "  ", "1")),
            ]
        )
        assert len(gazetteer) == 4
        assert gazetteer.entities_in("X 42 -- T 1 Trend") == {("source", 4)}

    def test_an_empty_gazetteer_finds_nothing(self):
        gazetteer = Gazetteer([])
        assert len(gazetteer) == 0
        assert gazetteer.find_mentions("Baku") == []
        assert gazetteer.resolve("place", "Baku") is None

    def test_counts_entities_not_names(self, gazetteer):
        assert len(gazetteer) == len(ENTITIES)

    def test_kinds_keep_their_own_ids(self, gazetteer):
        # Ids are primary keys per table: source 1, person 1 and place 1 all exist.
        assert gazetteer.entities_in("Trend: Zakir Hasanov in the South Caucasus") == {
            ("source", 1),
            ("person", 1),
            ("place", 1),
        }


class TestResolve:
    @pytest.mark.parametrize(
        ("kind", "name", "expected"),
        [
            ("place", "BAKU", "place:baku"),
            ("place", "baku", "place:baku"),
            ("place", "Bakı", "place:baku"),
            ("source", "Trend", "source:trend"),
            ("source", "trend news agency", "source:trend"),
            ("source", " TREND  NEWS\nAGENCY ", "source:trend"),
            ("place", "nagorno karabakh", "place:nagorno-karabakh"),
            ("place", "Nagorno\u2013Karabakh", "place:nagorno-karabakh"),
            ("person", "Zakir Həsənov", "person:zakir-hasanov"),
            (
                "source",
                "Azerbaijan\u2019s Defense Ministry",
                "source:ministry-of-defense-of-azerbaijan",
            ),
            ("source", "Foreign Ministry", None),
            ("person", "Aliyev", None),
            ("place", "Trend", None),
            ("place", "Atlantis", None),
            ("place", "", None),
            ("planet", "Baku", None),
        ],
    )
    def test_resolve(self, gazetteer, kind, name, expected):
        entity_id = gazetteer.resolve(kind, name)
        assert (None if entity_id is None else SLUGS[(kind, entity_id)]) == expected

    def test_a_name_two_entities_of_a_kind_share_is_ambiguous(self):
        gazetteer = Gazetteer(
            [
                Entity("place", 1, "Georgia"),
                Entity("place", 2, "Georgia", aliases=("GA",)),
                Entity("person", 3, "Georgia"),
                Entity("place", 4, "Tbilisi", aliases=("Tbilisi", "TBILISI")),
            ]
        )
        assert gazetteer.resolve("place", "Georgia") is None
        assert gazetteer.resolve("place", "ga") == 2
        assert gazetteer.resolve("person", "GEORGIA") == 3
        assert gazetteer.resolve("place", "tbilisi") == 4


class TestOffsets:
    @pytest.mark.parametrize(
        "prefix",
        [
            "",
            "\U0001f1e6\U0001f1ff ",
            "\U0001f468\u200d\U0001f469\u200d\U0001f467 ",
            "Cafe\u0301 ",
            "the minister\u2019s \u2014 \u2018quote\u2019 ",
            "line\r\n\n  break\u00a0\u2028",
            "\u0130stanbul \u0130\u0130 ",
            "\ufb01 \u03a3\u0391\u03a3 \u00df ",
        ],
    )
    def test_spans_point_into_the_original_text(self, prefix):
        entities, seed = seed_newsroom()
        gazetteer = Gazetteer(entities)
        plain = gazetteer.find_mentions(seed)
        text = prefix + seed
        mentions = gazetteer.find_mentions(text)
        assert_spans_point_into(text, mentions)
        shift = len(prefix)
        assert [(m.start - shift, m.end - shift, m.text) for m in mentions] == [
            (m.start, m.end, m.text) for m in plain
        ]

    def test_collapsed_whitespace_keeps_later_offsets(self, gazetteer):
        text = (
            "Ganja\n\n\n\n  Baku \u2014\u2014 South \r\n Caucasus\t\tand Nagorno \u2013 Karabakh."
        )
        mentions = gazetteer.find_mentions(text)
        assert_spans_point_into(text, mentions)
        assert [m.text for m in mentions] == [
            "Ganja",
            "Baku",
            "South \r\n Caucasus",
            "Nagorno \u2013 Karabakh",
        ]


class TestRobustness:
    def test_empty_text(self, gazetteer):
        assert gazetteer.find_mentions("") == []
        assert gazetteer.entities_in("") == set()

    def test_two_megabytes(self):
        entities, seed = seed_newsroom()
        gazetteer = Gazetteer(entities)
        copies = 2_000_000 // len(seed) + 1
        text = "\n\n".join([seed] * copies)
        mentions = gazetteer.find_mentions(text)
        assert len(text) > 2_000_000
        assert len(mentions) == copies * len(gazetteer.find_mentions(seed))
        assert_spans_point_into(text, mentions)

    @pytest.mark.parametrize(
        "text",
        [
            "<script>alert('x')</script><img src=x onerror=alert(1)>",
            "Robert'); DROP TABLE articles_place;-- ' OR '1'='1",
            "(((((a*)*)*)*)*)$ [^\\s]+ \\b \\1 .* %s %d {0} {name} ${jndi:ldap://x}",
            "\x00\x01\x1f\x7f \ud800 \udfff \uffff \U0010ffff",
            "trend " * 10_000,
            "\u202eukaB\u202c \u200bBa\u200bku",
        ],
    )
    def test_hostile_text_yields_no_false_mentions(self, gazetteer, text):
        assert gazetteer.find_mentions(text) == []

    def test_markup_around_a_name_does_not_hide_it(self, gazetteer):
        text = "<b>Ganja</b><script>alert('Baku')</script>"
        mentions = gazetteer.find_mentions(text)
        assert_spans_point_into(text, mentions)
        assert [m.text for m in mentions] == ["Ganja", "Baku"]


def synthetic_entities(count, *, first_id):
    """Made-up names from syllables no real name in the seed can be built from."""
    rng = random.Random(20201006)
    syllables = ["ka", "lo", "mi", "ran", "tes", "vor", "qu", "zel", "pa", "dri", "nu", "xo"]

    def word():
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()

    kinds = ("source", "person", "place")
    return [
        Entity(kinds[n % 3], first_id + n, f"{word()} {word()}", (word(), f"{word()}-{word()}"))
        for n in range(count)
    ]


def test_a_large_gazetteer_finds_what_a_small_one_does():
    entities, seed = seed_newsroom()
    # People whose surnames are seed place names, and longer names that begin with
    # them: neither may take a mention from the seed entities.
    decoys = [
        Entity("person", 900_001, "Kalo Ganja"),
        Entity("person", 900_002, "Mizel Armenia"),
        Entity("place", 900_003, "Ganja Quvor Heights"),
        Entity("source", 900_004, "Trend Lomitas"),
    ]
    synthetic = synthetic_entities(100_000 - len(decoys), first_id=1_000)
    large = Gazetteer([*entities, *decoys, *synthetic])
    small = Gazetteer(entities)
    seed_refs = {(entity.kind, entity.id) for entity in entities}

    assert len(large) == len(entities) + 100_000
    found = [m for m in large.find_mentions(seed) if (m.kind, m.id) in seed_refs]
    assert found == small.find_mentions(seed)
    assert large.resolve("place", "GANJA") == small.resolve("place", "GANJA")


def test_the_labelled_set_is_linked_exactly(gazetteer):
    true_positives, errors = 0, []
    predicted_count = expected_count = 0
    for entry in LABELLED["texts"]:
        predicted = linked(gazetteer, paragraphs(entry["text"]))
        expected = set(entry["expected"])
        true_positives += len(predicted & expected)
        predicted_count += len(predicted)
        expected_count += len(expected)
        if predicted != expected:
            errors.append(
                f"{entry['name']}: false positives {sorted(predicted - expected)}, "
                f"false negatives {sorted(expected - predicted)}"
            )
    precision = true_positives / predicted_count if predicted_count else 1.0
    recall = true_positives / expected_count if expected_count else 1.0
    assert (precision, recall) == (1.0, 1.0), "\n".join(errors)


@pytest.mark.parametrize("entry", LABELLED["texts"], ids=lambda entry: entry["name"])
def test_labelled_mentions_are_sorted_spans_of_the_text(gazetteer, entry):
    text = paragraphs(entry["text"])
    assert_spans_point_into(text, gazetteer.find_mentions(text))


def test_the_labelled_set_covers_the_brief():
    names = {entry["name"] for entry in LABELLED["texts"]}
    assert len(names) == len(LABELLED["texts"]) >= 16
    assert {"seed", "no_entities", "near_misses", "shared_surname", "dateline_caps"} <= names
    assert set(REFS) >= {slug for entry in LABELLED["texts"] for slug in entry["expected"]}
    fixture_entities, _ = seed_newsroom()
    assert {(e.name, e.aliases) for e in fixture_entities} <= {
        (e.name, e.aliases) for e in ENTITIES
    }


@pytest.mark.django_db
def test_the_labelled_set_through_the_wire_desk():
    """The same set, end to end: entities in the database, copy through intake."""
    from articles import intake
    from articles.models import Person, Place, Source

    models = {"source": Source, "person": Person, "place": Place}
    for entity in LABELLED["entities"]:
        models[entity["kind"]].objects.create(
            slug=entity["slug"], name=entity["name"], aliases=entity["aliases"]
        )
    errors = []
    for entry in LABELLED["texts"]:
        result = intake.take_in(entry["text"], origin=entry["name"])
        assert result.outcome == "created", entry["name"]
        article = result.article
        predicted = {
            f"{kind}:{slug}"
            for kind, related in [
                ("person", article.people),
                ("place", article.places),
                ("source", article.mentioned_sources),
            ]
            for slug in related.values_list("slug", flat=True)
        }
        if predicted != set(entry["expected"]):
            errors.append(
                f"{entry['name']}: false positives {sorted(predicted - set(entry['expected']))}, "
                f"false negatives {sorted(set(entry['expected']) - predicted)}"
            )
    assert errors == []


# People and places with what the desk stores beside their names: titles, parents.
DESK = [
    Entity("person", 1, "Ilham Aliyev", ("İlham Əliyev",), title="President of Azerbaijan"),
    Entity("person", 2, "Heydar Aliyev", ("Heydər Əliyev",), title=""),
    Entity("person", 3, "Nikol Pashinyan", ("Nikol Pashinian",), title="Prime Minister of Armenia"),
    Entity("person", 4, "Jeyhun Bayramov", (), title="Minister of Foreign Affairs of Azerbaijan"),
    Entity("person", 5, "Recep Tayyip Erdoğan", (), title="President of Türkiye"),
    Entity("person", 6, "Zakir Hasanov", (), title="Minister of Defence of Azerbaijan"),
    Entity("place", 1, "South Caucasus"),
    Entity("place", 2, "Azerbaijan", ("Azerbaijani",), parent=1),
    Entity("place", 3, "Armenia", ("Armenian",), parent=1),
    Entity("place", 4, "Ganja", (), parent=2),
    Entity("place", 5, "Baku", (), parent=2),
    Entity(
        "source",
        1,
        "Ministry of Defense of Azerbaijan",
        ("Defense Ministry of Azerbaijan", "Azerbaijani Defense Ministry"),
    ),
]


@pytest.fixture(scope="module")
def desk():
    return Gazetteer(DESK)


def people(gazetteer, text):
    return [(m.text, m.id) for m in gazetteer.find_mentions(text) if m.kind == "person"]


class TestSurnames:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            # Diacritics folded both ways: the name stored with them, the wire without.
            (
                "ANKARA (Reuters) - Recep Tayyip Erdogan said on Monday. Erdogan added",
                [("Recep Tayyip Erdogan", 5), ("Erdogan", 5)],
            ),
            (
                "Recep Tayyip Erdoğan met reporters. Erdoğan said",
                [("Recep Tayyip Erdoğan", 5), ("Erdoğan", 5)],
            ),
            # A surname from an alias: the stored spelling is Pashinyan.
            (
                "YEREVAN, Dec 1 - Nikol Pashinian told parliament. Pashinian said",
                [("Nikol Pashinian", 3), ("Pashinian", 3)],
            ),
            ("Nikol Pashinyan arrived. Pashinian said", [("Nikol Pashinyan", 3), ("Pashinian", 3)]),
            # Turkish dotted and dotless I.
            ("İlham Aliyev received the delegation.", [("İlham Aliyev", 1)]),
            ("Ilham Əliyev received the delegation.", [("Ilham Əliyev", 1)]),
            ("ILHAM ALIYEV RECEIVES DELEGATION", [("ILHAM ALIYEV", 1)]),
        ],
    )
    def test_a_surname_from_the_name_and_its_aliases_with_diacritics_folded(
        self, desk, text, expected
    ):
        assert people(desk, text) == expected

    def test_a_surname_alone_still_needs_a_full_mention(self, desk):
        assert people(desk, "Erdogan said talks would resume.") == []

    def test_a_title_alias_gives_no_surname(self):
        gazetteer = Gazetteer([Entity("person", 1, "Zakir Hasanov", ("Defense Minister",))])
        assert gazetteer.entities_in("Zakir Hasanov spoke. The Minister said") == {("person", 1)}
        assert [m.text for m in gazetteer.find_mentions("Zakir Hasanov. Minister X")] == [
            "Zakir Hasanov"
        ]


class TestNamesakes:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            # Another first name before a known surname is another person.
            (
                "Ilham Aliyev opened the session. Ali Aliyev, a lawmaker, objected.",
                [("Ilham Aliyev", 1)],
            ),
            (
                "Nikol Pashinyan spoke; his son Ashot Pashinyan was not present.",
                [("Nikol Pashinyan", 3)],
            ),
            # Sr. and Jr. name a father or a son.
            ("Heydar Aliyev Jr. attended the ceremony.", []),
            ("Ilham Aliyev arrived. Aliyev Jr., a student, said", [("Ilham Aliyev", 1)]),
            # A title, "Mr." or a sentence word before the surname is no first name.
            (
                "Ilham Aliyev arrived. Mr. Aliyev said. When Aliyev spoke",
                [("Ilham Aliyev", 1), ("Aliyev", 1), ("Aliyev", 1)],
            ),
            (
                "Azerbaijan's Aliyev: Ilham Aliyev said",
                [("Aliyev", 1), ("Ilham Aliyev", 1)],
            ),
        ],
    )
    def test_a_different_first_name_or_generation_is_another_person(self, desk, text, expected):
        assert people(desk, text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            # Two stored Aliyevs in one text: the title decides.
            (
                "Heydar Aliyev founded the party in 1993. Ilham Aliyev spoke at the "
                "museum that bears Heydar Aliyev's name. President Aliyev said",
                [2, 1, 2, 1],
            ),
            # Without a title, the nearest full mention.
            ("Ilham Aliyev met guests. Heydar Aliyev's legacy. Aliyev said", [1, 2, 2]),
            # A past title does not point at the current holder.
            ("Ilham Aliyev spoke. Heydar Aliyev built it. Former President Aliyev", [1, 2, 2]),
        ],
    )
    def test_a_shared_surname_goes_to_the_title_that_fits(self, desk, text, expected):
        assert [pk for _, pk in people(desk, text)] == expected


class TestTitles:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("BAKU, Dec. 1 (Reuters) - President Aliyev said on Monday", [("Aliyev", 1)]),
            ("Prime Minister Pashinyan told parliament", [("Pashinyan", 3)]),
            ("Armenian Prime Minister Pashinyan", [("Pashinyan", 3)]),
            ("Foreign Minister Bayramov met his counterpart", [("Bayramov", 4)]),
            ("Defense Minister Hasanov inspected", [("Hasanov", 6)]),
            ("Defence Minister Hasanov inspected", [("Hasanov", 6)]),
            ("Minister Bayramov said", [("Bayramov", 4)]),
            # The title is a sentence start, the surname then names that person.
            (
                "President Aliyev received him. Aliyev said",
                [("Aliyev", 1), ("Aliyev", 1)],
            ),
            # A title that fits nobody stored links nobody.
            ("Prime Minister Bayramov", []),
            ("President Pashinyan", []),
            ("Former President Aliyev", []),
            ("the president Aliyev", []),
        ],
    )
    def test_a_title_and_surname_name_one_person(self, desk, text, expected):
        assert people(desk, text) == expected

    def test_a_title_fitting_two_people_needs_a_full_mention(self):
        gazetteer = Gazetteer(
            [
                Entity("person", 1, "Ilham Aliyev", title="President of Azerbaijan"),
                Entity("person", 2, "Heydar Aliyev", title="President of Azerbaijan"),
            ]
        )
        assert gazetteer.find_mentions("President Aliyev said") == []
        assert [m.id for m in gazetteer.find_mentions("Heydar Aliyev. President Aliyev")] == [2, 2]


class TestNestedNames:
    def test_a_place_inside_a_source_name_links_when_the_story_is_about_it(self, desk):
        text = "The Defense Ministry of Azerbaijan said Armenian forces shelled Ganja overnight."
        assert desk.entities_in(text) == {
            ("source", 1),
            ("place", 2),
            ("place", 3),
            ("place", 4),
        }
        # The highlight stays on the longer name.
        assert [m.text for m in desk.find_mentions(text)][0] == "Defense Ministry of Azerbaijan"

    def test_a_source_name_alone_does_not_make_the_story_about_its_place(self, desk):
        assert desk.entities_in("The Azerbaijani Defense Ministry released footage.") == {
            ("source", 1)
        }

    def test_a_person_name_does_not_link_the_place_it_contains(self):
        gazetteer = Gazetteer(
            [
                Entity("person", 1, "Mary Georgia"),
                Entity("place", 1, "Georgia"),
                Entity("place", 2, "Tbilisi", parent=1),
            ]
        )
        assert gazetteer.entities_in("Mary Georgia visited Tbilisi.") == {
            ("person", 1),
            ("place", 2),
        }


@pytest.mark.django_db
def test_titles_and_parents_through_the_wire_desk(django_assert_max_num_queries):
    """The desk reads titles and parents with the names: one query per kind, any size."""
    from articles import intake, linking
    from articles.models import Person, Place, Source

    Person.objects.create(slug="ilham-aliyev", name="Ilham Aliyev", title="President of Azerbaijan")
    Person.objects.create(slug="heydar-aliyev", name="Heydar Aliyev")
    azerbaijan = Place.objects.create(slug="azerbaijan", name="Azerbaijan")
    Place.objects.create(slug="ganja", name="Ganja", parent=azerbaijan)
    Source.objects.create(slug="mod", name="Defense Ministry of Azerbaijan")
    text = (
        "BAKU, Dec. 1 (Reuters) - President Aliyev said on Monday that the Defense Ministry "
        "of Azerbaijan would rebuild Ganja."
    )
    article = intake.take_in(text, origin="reuters-1").article
    assert set(article.people.values_list("slug", flat=True)) == {"ilham-aliyev"}
    assert set(article.places.values_list("slug", flat=True)) == {"azerbaijan", "ganja"}
    # Reuters, named in the dateline, supplied the story and is named in it (as the desk's
    # labelled copy has it: tests/desk_copy).
    assert article.source.slug == "reuters"
    assert set(article.mentioned_sources.values_list("slug", flat=True)) == {"mod", "reuters"}

    for count in (10, 200):
        Person.objects.bulk_create(
            Person(slug=f"p-{count}-{n}", name=f"Person {count} {n}", title="Minister")
            for n in range(count)
        )
        linking.forget_gazetteer()
        with django_assert_max_num_queries(3):
            linking.gazetteer()


NEVER_LINK = [
    Entity("source", 1, "Trend News Agency", ("Trend",), never_link=("Trend Micro",)),
    Entity(
        "place",
        1,
        "Ganja",
        (),
        never_link=("Ganja Labs", "Hemp and Ganja Farmers Association"),
    ),
    Entity("place", 2, "Georgia", (), never_link=("Georgia Tech",)),
    Entity("place", 3, "Baku"),
]


class TestNeverLink:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Trend Micro reported a breach at a Baku bank.", {("place", 3)}),
            ("TREND MICRO SAYS BREACH CONTAINED", set()),
            ("Ganja Labs opened a shop; the Hemp and Ganja Farmers Association objected.", set()),
            ("Georgia Tech beat Clemson.", set()),
            # A phrase blocks only its own entity, and only where it is written.
            ("The Baku Ganja Labs branch", {("place", 3)}),
            ("Trend Micro's report, Trend reports from Ganja.", {("source", 1), ("place", 1)}),
            ("Ganja Labsx is a typo; Ganja was calm.", {("place", 1)}),
        ],
    )
    def test_a_never_link_phrase_blocks_its_entity(self, text, expected):
        assert Gazetteer(NEVER_LINK).entities_in(text) == expected

    def test_the_phrase_may_be_the_only_thing_in_the_gazetteer(self):
        gazetteer = Gazetteer([Entity("place", 1, "X", never_link=("Georgia Tech",))])
        assert gazetteer.find_mentions("Georgia Tech won.") == []


@pytest.mark.django_db
class TestNeverLinkOnTheDesk:
    def test_the_seed_ships_never_link_phrases(self, seed):
        from articles.models import Place, Source

        assert "Trend Micro" in Source.objects.get(slug="trend").never_link
        assert "Hemp and Ganja Farmers Association" in Place.objects.get(slug="ganja").never_link

    def test_a_phrase_is_tidied_and_checked(self):
        from django.core.exceptions import ValidationError

        from articles.models import Place

        ganja = Place(slug="ganja", name="Ganja", aliases=["Gəncə"])
        ganja.never_link = ["  Ganja   Labs ", "", "Ganja Labs", "Ganja Cup"]
        ganja.full_clean()
        assert ganja.never_link == ["Ganja Labs", "Ganja Cup"]
        for bad in ("Ganja Labs", ["Ganja Labs", 3], {"a": 1}, ["gəncə"], ["GANJA"]):
            ganja.never_link = bad
            with pytest.raises(ValidationError) as raised:
                ganja.full_clean()
            assert "never_link" in raised.value.message_dict

    def test_a_change_relinks_like_an_alias_change(self, seed):
        from articles import intake, linking
        from articles.models import Place

        text = "By Trend\n\nGanja Cup organisers met in Baku on Tuesday."
        ganja = Place.objects.get(slug="ganja")
        linking.gazetteer()  # built once, before the change
        ganja.never_link = []
        ganja.save()
        assert {"ganja", "baku"} <= set(
            intake.take_in(text, origin="one").article.places.values_list("slug", flat=True)
        )
        ganja = Place.objects.get(slug="ganja")
        assert not ganja.names_changed
        ganja.never_link = ["Ganja Cup"]
        assert ganja.names_changed
        ganja.save()
        later = "By Trend\n\nThe Ganja Cup final was held in Baku on Friday."
        article = intake.take_in(later, origin="two").article
        assert set(article.places.values_list("slug", flat=True)) == {"baku"}


# The newsroom's names that are also words or other places: marked ambiguous.
AMBIGUOUS = [
    Entity("source", 1, "Trend News Agency", ("Trend", "Trend.az"), ambiguous=True),
    Entity("source", 2, "Anadolu Agency", ("AA",)),
    Entity("place", 1, "South Caucasus"),
    Entity("place", 2, "Azerbaijan", ("Azerbaijani",), parent=1),
    Entity(
        "place",
        3,
        "Georgia",
        ("Georgian", "Republic of Georgia"),
        parent=1,
        ambiguous=True,
        never_link=("Georgia Tech",),
    ),
    Entity("place", 4, "Tbilisi", (), parent=3),
    Entity("place", 5, "Turkey", ("Türkiye", "Turkish"), ambiguous=True),
    Entity("place", 6, "Ankara", (), parent=5),
    Entity("place", 7, "Jordan", ("Jordanian",), ambiguous=True),
    Entity("place", 8, "United States", ("US", "U.S.")),
    Entity("place", 9, "Baku", (), parent=2),
]
TREND, AA = ("source", 1), ("source", 2)
AZERBAIJAN, GEORGIA, TBILISI, TURKEY, ANKARA = (
    ("place", 2),
    ("place", 3),
    ("place", 4),
    ("place", 5),
    ("place", 6),
)
JORDAN, US, BAKU = ("place", 7), ("place", 8), ("place", 9)


@pytest.fixture(scope="module")
def ambiguous():
    return Gazetteer(AMBIGUOUS)


class TestCapitals:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            # Datelines and shouted headlines match in capitals.
            ("BAKU, Dec. 1 (Reuters) - Officials met on Monday.", {BAKU}),
            ("AZERBAIJAN AND GEORGIA SIGN TRANSIT DEAL\n\nOfficials met.", {AZERBAIJAN, GEORGIA}),
            # Running text in capitals: nothing links on case alone.
            (
                "OFFICIALS IN BAKU SAID ON MONDAY THAT THE TALKS WOULD RESUME. THE MINISTRY "
                "DID NOT COMMENT ON THE REPORT.",
                set(),
            ),
            # Two-letter aliases never in capitals, and only in their exact case elsewhere.
            ("GIVE US A BREAK", set()),
            ("AA REPORTS FROM ANKARA", {ANKARA}),
            ("The US and Azerbaijan agreed, AA reported.", {US, AZERBAIJAN, AA}),
            ("Tell us about aa batteries.", set()),
            ("Us and Aa", set()),
            # A shouted line never makes a common word an agency.
            ("MARKET TREND\n\nPrices rose in Baku.", {BAKU}),
        ],
    )
    def test_capitals_match_in_headlines_and_datelines_only(self, ambiguous, text, expected):
        assert ambiguous.entities_in(text) == expected


class TestCommonWords:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Trend analysis shows prices rising in Baku.", {BAKU}),
            ("A new trend in Baku.", {BAKU}),
            ("Baku, Dec. 1 – Trend reports that prices rose.", {BAKU, TREND}),
            ("Prices rose, the ministry told Trend.", {TREND}),
            ("According to Trend, prices rose.", {TREND}),
            ("Trend News Agency reported it. Trend added that", {TREND}),
            ("Trend.az said. Trend then added", {TREND}),
            ("Turkey Prices Soar Ahead of Holidays\n\nShoppers paid more.", set()),
            ("Turkey and Azerbaijan signed the deal in Ankara.", {TURKEY, AZERBAIJAN, ANKARA}),
            ("Turkish and Azerbaijani officials met. Turkey said", {TURKEY, AZERBAIJAN}),
        ],
    )
    def test_a_common_word_needs_evidence(self, ambiguous, text, expected):
        assert ambiguous.entities_in(text) == expected

    def test_the_storys_source_is_evidence(self, ambiguous):
        text = "Trend analysis shows prices rising in Baku."
        assert ambiguous.entities_in(text, context={TREND}) == {TREND, BAKU}
        assert ambiguous.entities_in(text, context={AA}) == {BAKU}


class TestAmbiguity:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            # Supported: the region, a city in it, a longer name, its demonym.
            ("Azerbaijan and Georgia opened the border crossing.", {AZERBAIJAN, GEORGIA}),
            ("Protests continued in Tbilisi. Georgia's parliament met.", {TBILISI, GEORGIA}),
            ("The Republic of Georgia said. Georgia added", {GEORGIA}),
            ("Georgian wine exports grew. Georgia sold more.", {GEORGIA}),
            # Alone, an ambiguous name links nothing.
            ("Georgia voted on Tuesday.", set()),
            ("Jordan scored 30 points.", set()),
            # Words beside it point elsewhere.
            ("Georgia Gov. Brian Kemp met Azerbaijani investors.", {AZERBAIJAN}),
            ("Gov. Kemp of Georgia said.", set()),
            ("Azerbaijan and Georgia. Gov. Kemp of Georgia said.", {AZERBAIJAN}),
            ("The state of Georgia sued; Azerbaijan was not named.", {AZERBAIJAN}),
            ("Georgia Tech beat Georgia State; Azerbaijan watched.", {AZERBAIJAN}),
            ("ATHENS, Ga. (AP) — Georgia beat Alabama 28-7 in Athens.", set()),
            # The story is set elsewhere: the region is no longer enough.
            (
                "ATLANTA (AP) — Georgia lawmakers met Azerbaijani diplomats in Atlanta.",
                {AZERBAIJAN},
            ),
            (
                "The quarterback threw three touchdowns as Georgia won; Azerbaijan was far away.",
                {AZERBAIJAN},
            ),
            ("Thanksgiving: Turkey prices rose in Ankara.", {ANKARA, TURKEY}),
            ("Thanksgiving turkey prices rose for a Turkish family.", set()),
            ("Atlanta: Georgia and Tbilisi are twinned cities.", {GEORGIA, TBILISI}),
        ],
    )
    def test_an_ambiguous_name_links_only_with_support(self, ambiguous, text, expected):
        assert ambiguous.entities_in(text) == expected

    def test_an_ambiguous_names_mentions_are_kept_as_spans(self, ambiguous):
        text = "Azerbaijan and Georgia. Georgia Tech won."
        mentions = ambiguous.find_mentions(text)
        assert [(m.text, m.start) for m in mentions] == [("Azerbaijan", 0), ("Georgia", 15)]
        assert_spans_point_into(text, mentions)


@pytest.mark.django_db
def test_ambiguity_through_the_wire_desk():
    """The byline's agency supports its own name; another agency's story does not."""
    from articles import intake
    from articles.models import Place, Source

    Source.objects.create(
        slug="trend", name="Trend News Agency", aliases=["Trend"], kind="agency", ambiguous=True
    )
    Source.objects.create(slug="apa", name="APA", kind="agency")
    caucasus = Place.objects.create(slug="south-caucasus", name="South Caucasus")
    Place.objects.create(slug="azerbaijan", name="Azerbaijan", parent=caucasus)
    Place.objects.create(slug="georgia", name="Georgia", parent=caucasus, ambiguous=True)

    def linked(text, origin):
        article = intake.take_in(text, origin=origin).article
        return set(article.mentioned_sources.values_list("slug", flat=True)) | set(
            article.places.values_list("slug", flat=True)
        )

    assert linked("By Trend\n\nTrend analysis shows exports to Georgia rising.", "a") == {"trend"}
    assert linked("By APA\n\nTrend analysis shows exports to Georgia rising.", "b") == set()
    assert linked("By APA\n\nAzerbaijan and Georgia opened a crossing.", "c") == {
        "azerbaijan",
        "georgia",
    }
    # AP, the dateline's agency, is named; Georgia, the US state's governor's, is not ours.
    assert linked("ATLANTA (AP) — Georgia Gov. Brian Kemp signed the bill.", "d") == {"ap"}


class TestHostileCopyWithAmbiguousNames:
    @pytest.mark.parametrize(
        "text",
        [
            "<script>alert('Georgia')</script> Trend'; DROP TABLE articles; --",
            "GEORGIA " * 5_000,
            "Georgia\x00Trend\u202eTurkey\ufeff",
            "state of " * 1_000 + "Georgia",
        ],
    )
    def test_hostile_text_links_nothing_ambiguous_alone(self, ambiguous, text):
        assert ambiguous.entities_in(text) == set()
        assert_spans_point_into(text, ambiguous.find_mentions(text))

    def test_a_huge_story_keeps_its_supported_mentions(self, ambiguous):
        text = "Azerbaijan and Georgia signed. " * 20_000
        mentions = ambiguous.find_mentions(text)
        assert len(mentions) == 40_000
        assert {(m.kind, m.id) for m in mentions} == {AZERBAIJAN, GEORGIA}


@pytest.mark.django_db
def test_the_reader_marks_an_ambiguous_name_the_story_supports_elsewhere():
    """The reader HTML matches paragraph by paragraph; the story's links stand for the rest."""
    from articles import intake
    from articles.models import Article, Place, Source

    Source.objects.create(
        slug="trend", name="Trend News Agency", aliases=["Trend"], kind="agency", ambiguous=True
    )
    caucasus = Place.objects.create(slug="south-caucasus", name="South Caucasus")
    Place.objects.create(slug="azerbaijan", name="Azerbaijan", parent=caucasus)
    Place.objects.create(slug="georgia", name="Georgia", parent=caucasus, ambiguous=True)
    text = "By Trend\n\nGeorgia signed.\n\nAzerbaijan agreed. Trend analysis shows it."
    article = Article.objects.get(pk=intake.take_in(text, origin="trend-1").article.pk)
    assert article.body_html == (
        '<p><a href="/places/georgia/" class="mention">Georgia</a> signed.</p>\n'
        '<p><a href="/places/azerbaijan/" class="mention">Azerbaijan</a> agreed. '
        '<a href="/sources/trend/" class="mention">Trend</a> analysis shows it.</p>'
    )
