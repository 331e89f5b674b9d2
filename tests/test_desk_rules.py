"""The matcher's rules on the desk copy set's gazetteer, one realistic line of copy each."""

import pytest

from articles.matching import Gazetteer
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
