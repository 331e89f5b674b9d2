"""Section rules in the admin: an inline on the section's form, through its real forms."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Section, SectionRule
from tests.factories import PersonFactory, PlaceFactory, SectionFactory, SourceFactory

pytestmark = pytest.mark.django_db

ONE_ENTITY = "A rule names one source, one person or one place: choose exactly one."


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(section):
    return reverse("admin:articles_section_change", args=[section.pk])


def form_data(section, rules=(), existing=()):
    """The section's change form as a browser sends it: its fields, then the inline's rows
    (``existing`` first, each with its id, then the new ``rules``)."""
    data = {
        **{"name": section.name, "slug": section.slug, "position": str(section.position)},
        **{"description": section.description, "aliases": "[]", "image": ""},
        "rules-TOTAL_FORMS": str(len(existing) + len(rules)),
        "rules-INITIAL_FORMS": str(len(existing)),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    rows = [{"id": rule.pk, **values} for rule, values in existing] + list(rules)
    for index, row in enumerate(rows):
        row = {"position": "0", "source": "", "person": "", "place": "", **row}
        for name, value in row.items():
            data[f"rules-{index}-{name}"] = str(value)
        data[f"rules-{index}-section"] = str(section.pk)
    return data


@pytest.fixture
def section():
    return SectionFactory(name="Politics", slug="politics", position=1)


def test_an_editor_adds_rules_on_the_sections_form(editor, section):
    ministry, hasanov = SourceFactory(name="Ministry of Defense"), PersonFactory()
    client = client_for(editor)
    page = client.get(change_url(section))
    assert page.status_code == 200
    assert "Rules: wire stories linked to one of these go here" in page.text
    assert 'name="rules-0-source"' in page.text and "admin-autocomplete" in page.text
    response = client.post(
        change_url(section),
        form_data(section, [{"source": ministry.pk, "position": 1}, {"person": hasanov.pk}]),
    )
    assert response.status_code == 302
    rules = list(section.rules.all())
    assert [(rule.entity, rule.position) for rule in rules] == [(hasanov, 0), (ministry, 1)]
    page = client.get(change_url(section))
    assert f'<option value="{ministry.pk}" selected>Ministry of Defense</option>' in page.text


def test_an_editor_changes_and_deletes_rules(editor, section):
    ganja, baku = PlaceFactory(name="Ganja"), PlaceFactory(name="Baku")
    kept = SectionRule.objects.create(section=section, place=ganja)
    gone = SectionRule.objects.create(section=section, place=baku)
    data = form_data(
        section,
        existing=[(kept, {"place": ganja.pk, "position": 7}), (gone, {"place": baku.pk})],
    )
    data["rules-1-DELETE"] = "on"
    assert client_for(editor).post(change_url(section), data).status_code == 302
    assert list(section.rules.values_list("place__name", "position")) == [("Ganja", 7)]


@pytest.mark.parametrize("entities", [{}, {"source": "s", "place": "p"}], ids=["none", "two"])
def test_a_rule_naming_no_entity_or_two_is_a_form_error(editor, section, entities):
    made = {"s": SourceFactory().pk, "p": PlaceFactory().pk}
    row = {"position": "3", **{name: made[key] for name, key in entities.items()}}
    data = {**form_data(section, [row]), "description": "Kept for the editor to fix."}
    response = client_for(editor).post(change_url(section), data)
    assert response.status_code == 200
    assert ONE_ENTITY in response.text
    assert "Kept for the editor to fix." in response.text  # what they typed is still there
    assert not SectionRule.objects.exists()
    assert Section.objects.get(pk=section.pk).description == ""  # nothing half saved


def test_an_empty_extra_row_is_ignored(editor, section):
    data = form_data(section, [{"position": "0"}])  # the blank row the form offers, untouched
    assert client_for(editor).post(change_url(section), data).status_code == 302
    assert not SectionRule.objects.exists()


def test_the_same_entity_twice_in_a_section_is_a_form_error(editor, section):
    ganja = PlaceFactory(name="Ganja")
    SectionRule.objects.create(section=section, place=ganja)
    response = client_for(editor).post(
        change_url(section),
        form_data(
            section, [{"place": ganja.pk}], existing=[(section.rules.get(), {"place": ganja.pk})]
        ),
    )
    assert response.status_code == 200
    assert "This section already has a rule for this place." in response.text
    assert SectionRule.objects.count() == 1


def test_the_same_entity_in_two_new_rows_is_a_form_error(editor, section):
    ganja = PlaceFactory(name="Ganja")
    rows = [{"place": ganja.pk}, {"place": ganja.pk, "position": "2"}]
    response = client_for(editor).post(change_url(section), form_data(section, rows))
    assert response.status_code == 200
    assert "Please correct the duplicate data for place." in response.text
    assert not SectionRule.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("place", "1 OR 1=1", "Select a valid choice."),
        ("place", "999999", "Select a valid choice."),
        ("place", "'; DROP TABLE articles_sectionrule; --", "Select a valid choice."),
        ("position", "99999999", "Ensure this value is less than or equal to 32767."),
        ("position", "-1", "Ensure this value is greater than or equal to 0."),
        ("position", "first", "Enter a whole number."),
    ],
)
def test_bad_input_is_a_form_error(editor, section, field, value, message):
    row = {"place": PlaceFactory().pk, field: value}
    response = client_for(editor).post(change_url(section), form_data(section, [row]))
    assert response.status_code == 200
    assert message in response.text
    assert not SectionRule.objects.exists()


def test_hostile_names_are_escaped(editor, section):
    hostile = SourceFactory(name='<script>alert("x")</script>')
    SectionRule.objects.create(section=section, source=hostile)
    page = client_for(editor).get(change_url(section)).text
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_the_autocomplete_offers_entities_for_a_rule(editor, seed):
    response = client_for(editor).get(
        reverse("admin:autocomplete"),
        {
            **{"app_label": "articles", "model_name": "sectionrule"},
            **{"field_name": "source", "term": "Defence"},
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Ministry of Defense of Azerbaijan"]


def test_a_reporter_sees_the_rules_and_cannot_change_them(reporter, section):
    ganja = PlaceFactory(name="Ganja")
    SectionRule.objects.create(section=section, place=ganja)
    client = client_for(reporter)
    page = client.get(change_url(section))
    assert page.status_code == 200 and "Ganja" in page.text
    response = client.post(change_url(section), form_data(section, [{"place": ganja.pk}]))
    assert response.status_code == 403
    assert SectionRule.objects.count() == 1


@pytest.mark.parametrize("rules", [1, 20])
def test_the_sections_form_reads_its_rules_in_fixed_queries(
    editor, section, django_assert_max_num_queries, rules
):
    kinds = [SourceFactory, PersonFactory, PlaceFactory]
    for n in range(rules):
        entity = kinds[n % 3]()
        SectionRule.objects.create(section=section, **{type(entity)._meta.model_name: entity})
    client = client_for(editor)
    client.get(change_url(section))  # the session and permissions, read once
    with django_assert_max_num_queries(8):
        page = client.get(change_url(section))
    assert page.text.count('name="rules-') >= rules * 4
