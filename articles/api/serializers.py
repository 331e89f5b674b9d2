"""Serializers map fields, nothing more: no queries, no rules (those are on the models)."""

from rest_framework import serializers

from articles.models import Article, Person, Place, Source


class SourceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "slug", "name"]


class PersonSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "slug", "name"]


class PlaceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "slug", "name", "kind"]


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    api_url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    source = SourceSummarySerializer(read_only=True)
    people = PersonSummarySerializer(many=True, read_only=True)
    places = PlaceSummarySerializer(many=True, read_only=True)
    dateline = PlaceSummarySerializer(read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "api_url",
            "slug",
            "headline",
            "headline_needs_review",
            "summary",
            "body",
            "byline",
            "source",
            "people",
            "places",
            "dateline",
            "status",
            "published_at",
            "updated_at",
            "version",
        ]

    def get_url(self, article):
        return self.context["request"].build_absolute_uri(article.get_absolute_url())
