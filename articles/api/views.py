from rest_framework import generics, permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import intake, wire
from articles.api.serializers import ArticleSerializer
from articles.models import Article


class CanAddArticles(permissions.BasePermission):
    message = "Taking in wire copy needs the permission to add articles."

    def has_permission(self, request, view):
        return request.user.has_perm("articles.add_article")


class WireIntakeView(APIView):
    """Take in one piece of agency copy (plain text, ninjs JSON or NITF XML) as the request body.

    201 with the new draft; 200 with the existing article for copy received
    before or for an update of an earlier story; 400 with the reason for copy
    that cannot be taken in; 413 for a body over the wire desk's size limit.
    """

    permission_classes = [CanAddArticles]
    parser_classes = []  # the body is read raw: its format is detected from its content

    def post(self, request):
        if int(request.META.get("CONTENT_LENGTH") or 0) > wire.MAX_WIRE_BYTES:
            return Response(
                {"detail": f"Wire copy is limited to {wire.MAX_WIRE_BYTES:,} bytes."},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        strict = request.query_params.get("strict") in {"1", "true"}
        try:
            result = intake.take_in(request.body, origin="api", by=request.user, strict=strict)
        except wire.WireError as error:
            raise ValidationError({"detail": f"Cannot take in this copy: {error}."}) from None
        article = Article.objects.for_detail().get(pk=result.article.pk)
        return Response(
            {
                "outcome": result.outcome,
                "message": result.message,
                "article": ArticleSerializer(article, context={"request": request}).data,
            },
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class ArticleDetailView(generics.RetrieveAPIView):
    serializer_class = ArticleSerializer

    def get_queryset(self):
        return Article.objects.public().for_detail()
