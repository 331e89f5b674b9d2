from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles import wire
from articles.models import Article, WireItem
from tests.factories import UserFactory
from tests.seed import SEED_FILE as SEED

SAMPLES = Path(__file__).resolve().parent / "wire"

pytestmark = pytest.mark.django_db


@pytest.fixture
def wire_client():
    """A client authenticated by token as a user who may add articles."""
    user = UserFactory(username="desk")
    user.user_permissions.add(Permission.objects.get(codename="add_article"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def post_wire(client, data, content_type="text/plain"):
    return client.generic("POST", "/api/v1/wire/", data, content_type=content_type)


class TestWireIntake:
    def test_copy_becomes_a_draft(self, seed, wire_client):
        response = post_wire(wire_client, SEED.read_bytes())
        assert response.status_code == status.HTTP_201_CREATED
        assert response.data["outcome"] == "created"
        article = response.data["article"]
        assert article["status"] == "draft"
        assert article["source"]["slug"] == "trend"
        assert {p["slug"] for p in article["people"]} == {"zakir-hasanov"}
        assert len(article["places"]) == 8
        assert article["headline_needs_review"] is True
        assert Article.objects.get(pk=article["id"]).created_by.username == "desk"

    def test_the_same_copy_again_points_at_the_article(self, seed, wire_client):
        first = post_wire(wire_client, SEED.read_bytes())
        again = post_wire(wire_client, SEED.read_bytes())
        assert again.status_code == status.HTTP_200_OK
        assert again.data["outcome"] == "duplicate"
        assert again.data["article"]["id"] == first.data["article"]["id"]

    @pytest.mark.parametrize(
        ("sample", "content_type", "detected"),
        [
            ("ninjs1_trend.json", "application/json", "ninjs"),
            ("nitf_trend.xml", "application/xml", "nitf"),
            ("nitf_trend.xml", "text/plain", "nitf"),
        ],
    )
    def test_agency_formats_are_detected_from_the_body(
        self, seed, wire_client, sample, content_type, detected
    ):
        response = post_wire(wire_client, (SAMPLES / sample).read_bytes(), content_type)
        assert response.status_code == status.HTTP_201_CREATED
        assert WireItem.objects.get().format == detected

    @pytest.mark.parametrize(
        ("body", "reason"),
        [
            (b"", "empty"),
            (b"By Trend\n\n", "no body"),
            (b"\x00\x01\x02binary", "binary"),
            ("Gäncä".encode("latin-1"), "not UTF-8"),
            (b"{not json", "malformed JSON"),
            ((SAMPLES / "billion_laughs.xml").read_bytes(), "entity declarations"),
        ],
    )
    def test_bad_copy_is_a_400_with_the_reason(self, seed, wire_client, body, reason):
        response = post_wire(wire_client, body)
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert reason in response.data["detail"]
        assert not WireItem.objects.exists()

    def test_copy_over_the_limit_is_a_413(self, seed, wire_client):
        response = post_wire(wire_client, b"x" * (wire.MAX_WIRE_BYTES + 1))
        assert response.status_code == status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        assert not WireItem.objects.exists()

    def test_strict_refuses_an_unknown_byline(self, seed, wire_client):
        response = wire_client.generic(
            "POST", "/api/v1/wire/?strict=1", b"By Nobody\n\nGanja.", content_type="text/plain"
        )
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "unknown byline" in response.data["detail"]

    def test_anonymous_clients_are_refused(self, seed):
        response = post_wire(APIClient(), SEED.read_bytes())
        assert response.status_code == status.HTTP_401_UNAUTHORIZED
        assert not Article.objects.exclude(slug__startswith="azerbaijans").exists()

    def test_users_without_the_add_permission_are_refused(self, seed):
        client = APIClient()
        client.force_authenticate(UserFactory())
        response = post_wire(client, SEED.read_bytes())
        assert response.status_code == status.HTTP_403_FORBIDDEN
        assert "permission to add articles" in response.data["detail"]
        assert not WireItem.objects.exists()
