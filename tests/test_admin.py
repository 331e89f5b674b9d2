import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["article", "source", "person", "place"])
def test_admin_lists_the_seed(admin_client, seed, model):
    response = admin_client.get(reverse(f"admin:articles_{model}_changelist"))
    assert response.status_code == 200
    assert "1 " in response.text or "result" in response.text


def test_admin_opens_the_seed_article(admin_client, seed):
    from articles.models import Article

    article = Article.objects.get()
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert "Azerbaijan’s defense minister" in response.text


def test_admin_needs_a_login(client):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302


class TestLinkingInTheAdmin:
    """Links follow the text on every save; an editor's removal is remembered."""

    def change(self, admin_client, article, **changes):
        from django.forms.models import model_to_dict

        data = {
            key: value
            for key, value in model_to_dict(article).items()
            if key in {"headline", "summary", "body", "byline", "status", "slug"}
        }
        data.update(
            people=[p.pk for p in article.people.all()],
            places=[p.pk for p in article.places.all()],
            mentioned_sources=[s.pk for s in article.mentioned_sources.all()],
            source=article.source_id or "",
            dateline=article.dateline_id or "",
            published_at_0="",
            published_at_1="",
        )
        data.update(changes)
        url = reverse("admin:articles_article_change", args=[article.pk])
        return admin_client.post(url, data)

    def test_saving_links_what_the_text_mentions(self, admin_client, seed):
        from articles.models import Article

        article = Article.objects.create(headline="Quiet day", body="Nothing happened.")
        response = self.change(admin_client, article, body="Ganja was shelled by Armenia.")
        assert response.status_code == 302
        assert {p.slug for p in article.places.all()} == {"ganja", "armenia"}

    def test_a_removed_link_stays_removed(self, admin_client, seed):
        from articles.models import Article, Place

        article = Article.objects.create(headline="Ganja shelled", body="Ganja was shelled.")
        article.places.add(Place.objects.get(slug="ganja"))
        self.change(admin_client, article, places=[])
        assert not article.places.exists()
        assert [p.slug for p in article.rejected_places.all()] == ["ganja"]
        article.refresh_from_db()
        self.change(admin_client, article, body="Ganja was shelled again.")
        assert not article.places.exists()

        page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assert "Mentioned but not linked" in page.text
        assert "(removed by an editor)" in page.text

    def test_one_click_links_a_suggestion(self, admin_client, seed):
        from articles.models import Article, Place

        article = Article.objects.create(headline="Ganja shelled", body="Ganja was shelled.")
        ganja = Place.objects.get(slug="ganja")
        article.rejected_places.add(ganja)
        version = article.version
        url = reverse("admin:articles_article_accept_link", args=[article.pk, "place", ganja.pk])
        assert admin_client.get(url).status_code == 403
        response = admin_client.post(url)
        assert response.status_code == 302
        article.refresh_from_db()
        assert list(article.places.all()) == [ganja]
        assert not article.rejected_places.exists()
        assert article.version == version + 1

    def test_a_pending_agency_update_is_shown_as_a_diff_and_accepted(self, admin_client, seed):
        from articles import intake
        from articles.models import Article, Status

        text = "By Trend\n\nGanja was shelled overnight, officials said."
        article = intake.take_in(text).article
        Article.objects.filter(pk=article.pk).update(
            status=Status.PUBLISHED, published_at=article.created_at
        )
        item = intake.take_in(text + " Two people were hurt.").wire_item
        page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assert "Agency updates waiting" in page.text
        assert "said.<ins> Two people were hurt.</ins>" in page.text
        url = reverse("admin:articles_article_decide_update", args=[item.pk, "accept"])
        assert admin_client.post(url).status_code == 302
        article.refresh_from_db()
        assert article.body.endswith("Two people were hurt.")

    def test_hostile_wire_text_is_escaped_in_the_diff(self, admin_client, seed):
        from articles import intake
        from articles.models import Article

        text = "By Trend\n\nGanja was shelled overnight, officials said."
        article = intake.take_in(text).article
        article.body += " Edited."
        article.save()
        intake.take_in(text + " <script>alert(1)</script>")
        page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assert "<script>alert(1)</script>" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert Article.objects.get(pk=article.pk).body.endswith("Edited.")
