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
