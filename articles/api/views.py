"""API views: they declare their queryset, serializer, filters, pagination and
permissions; the rules they apply are the models', and what a write does is the
editorial service's."""

import contextlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import editorial, intake, kinds, wire
from articles.api import conditional
from articles.api.errors import PreconditionFailed
from articles.api.filters import MOMENT, ArticleFilter, ArticleOrdering, AwareDateTimeField
from articles.api.ninjs import NinjsArticleSerializer
from articles.api.pagination import ArticleCursorPagination, EntityPagination
from articles.api.parsers import raw_body
from articles.api.permissions import ArticlePermission, CanAddArticles
from articles.api.renderers import FastJSONRenderer, NinjsRenderer
from articles.api.schema import IF_MATCH, NO_FORMAT, json_or_ninjs
from articles.api.serializers import (
    ArticleSerializer,
    AuthorSerializer,
    PersonSerializer,
    PlaceSerializer,
    RemovalPageSerializer,
    SourceSerializer,
    WireResultSerializer,
)
from articles.models import (
    Article,
    ArticleRemoval,
    Author,
    EditConflict,
    Person,
    Place,
    Source,
)


@contextlib.contextmanager
def refusals():
    """The editorial service's refusals in the API's terms.

    A stale version is 412 with the current one; a story deleted meanwhile 404;
    a status move the role may not make 403, one the workflow forbids 400, and
    a field the model refuses (a published story without a time) 400 naming it.
    """
    try:
        yield
    except EditConflict as conflict:
        raise PreconditionFailed(conflict.current.version) from None
    except Article.DoesNotExist:
        raise exceptions.NotFound() from None
    except DjangoValidationError as error:
        if getattr(error, "code", None) == "permission":
            raise exceptions.PermissionDenied(" ".join(error.messages)) from None
        if hasattr(error, "error_dict"):
            raise exceptions.ValidationError(error.message_dict) from None
        raise exceptions.ValidationError({"status": error.messages}) from None


@extend_schema_view(
    list=extend_schema(parameters=[NO_FORMAT], responses=json_or_ninjs(200)),
    retrieve=extend_schema(
        description="One article; ETag and Last-Modified for conditional GET (304).",
        parameters=[NO_FORMAT],
        responses=json_or_ninjs(200),
    ),
    create=extend_schema(parameters=[NO_FORMAT], responses=json_or_ninjs(201)),
    update=extend_schema(
        description='Replace an article. Needs If-Match: "<version>" (or "version" in the body).',
        parameters=[IF_MATCH, NO_FORMAT],
        responses=json_or_ninjs(200),
    ),
    partial_update=extend_schema(
        description='Change some fields. Needs If-Match: "<version>" (or "version" in the body).',
        parameters=[IF_MATCH, NO_FORMAT],
        responses=json_or_ninjs(200),
    ),
    destroy=extend_schema(
        description='Delete an article. Needs If-Match: "<version>".',
        parameters=[IF_MATCH, NO_FORMAT],
    ),
    ninjs_list=extend_schema(
        description="The article list as IPTC ninjs 2.1: the same filters, order and cursor.",
        responses=NinjsArticleSerializer(many=True),
    ),
    ninjs_detail=extend_schema(
        description="One article as IPTC ninjs 2.1; ETag and Last-Modified for conditional GET.",
        responses=NinjsArticleSerializer,
    ),
)
class ArticleViewSet(viewsets.ModelViewSet):
    """Articles: public ones for everyone; every status for the desk; before their
    time for embargo partners. JSON, or ninjs (its own addresses, ``Accept`` or
    ``?format=ninjs``)."""

    serializer_class = ArticleSerializer
    permission_classes = [ArticlePermission]
    pagination_class = ArticleCursorPagination
    renderer_classes = [FastJSONRenderer, NinjsRenderer]
    filterset_class = ArticleFilter
    filter_backends = [DjangoFilterBackend, ArticleOrdering]
    queryset = Article.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return Article.objects.readable_through_api(self.request.user)

    def get_serializer_class(self):
        # ninjs is a delivery format: writes always read the JSON representation.
        if self.wants_ninjs and self.request.method in permissions.SAFE_METHODS:
            return NinjsArticleSerializer
        return ArticleSerializer

    @property
    def wants_ninjs(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == NinjsRenderer.format

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors keep the one JSON error shape, whatever format was asked for.
        if response.status_code >= 400 and self.wants_ninjs:
            request.accepted_renderer = FastJSONRenderer()
            request.accepted_media_type = FastJSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @property
    def representation(self):
        return self.request.accepted_renderer.format

    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        if conditional.not_modified(request, article, self.representation):
            return conditional.stamp(
                Response(status=status.HTTP_304_NOT_MODIFIED), article, self.representation
            )
        response = Response(self.get_serializer(article).data)
        return conditional.stamp(response, article, self.representation)

    # ninjs at addresses of its own too, where the schema can say which body comes back.
    @action(detail=False, url_path="ninjs", url_name="ninjs-list", renderer_classes=[NinjsRenderer])
    def ninjs_list(self, request):
        return self.list(request)

    @action(
        detail=True, url_path="ninjs", url_name="ninjs-detail", renderer_classes=[NinjsRenderer]
    )
    def ninjs_detail(self, request, pk=None):
        return self.retrieve(request, pk=pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        links = {name: data.pop(name) for name in kinds.link_fields() if name in data}
        article = Article(**data)
        with refusals():
            editorial.create(article, by=request.user, links=links or None)
        return self.answer(article, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        article = self.get_object()
        expected = conditional.expected_version(request, article)
        serializer = self.get_serializer(article, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        links = {name: data.pop(name) for name in kinds.link_fields() if name in data}
        new_status = data.pop("status", None)
        with refusals():
            editorial.edit(
                article,
                by=request.user,
                expected_version=expected,
                changes=data,
                links=links or None,
                status=new_status,
            )
        return self.answer(article, status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        article = self.get_object()
        expected = conditional.expected_version(request, article)
        with refusals():
            editorial.delete(article, by=request.user, expected_version=expected)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def answer(self, article, status_code):
        article = self.get_queryset().get(pk=article.pk)
        serializer = NinjsArticleSerializer if self.wants_ninjs else ArticleSerializer
        data = serializer(article, context=self.get_serializer_context()).data
        return conditional.stamp(Response(data, status=status_code), article, self.representation)


class RemovedArticlesView(APIView):
    """Articles that left the public set (unpublished, archived, rescheduled, deleted)
    at or after ``since``: with ``?updated_since=`` on the list, what a mirror needs."""

    renderer_classes = [FastJSONRenderer]
    permission_classes = [permissions.AllowAny]  # what each client learns is filtered below
    MAX_RESULTS = 10_000

    @extend_schema(
        responses=RemovalPageSerializer,
        parameters=[
            OpenApiParameter(
                "since",
                MOMENT,
                required=True,
                description="ISO 8601 with a time zone: the `until` of your previous call.",
            )
        ],
    )
    def get(self, request):
        unknown = set(request.query_params) - {"since", "format"}
        if unknown:
            raise exceptions.ValidationError(
                {name: ["Not a parameter of this list; use since."] for name in unknown}
            )
        try:
            since = AwareDateTimeField().clean(request.query_params.get("since", ""))
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"since": error.messages}) from None
        if since is None:
            raise exceptions.ValidationError({"since": ["This parameter is required."]})
        until = timezone.now()
        removals = list(
            ArticleRemoval.objects.visible_to(request.user)
            .since(since)
            .filter(removed_at__lt=until)[: self.MAX_RESULTS]
        )
        if len(removals) == self.MAX_RESULTS:
            until = removals[-1].removed_at  # the rest comes with the next call
            removals = [removal for removal in removals if removal.removed_at < until]
        page = {"since": since, "until": until, "results": removals}
        return Response(RemovalPageSerializer(page).data)


class EntityViewSet(viewsets.ModelViewSet):
    """An entity kind (kinds.py), with each entity's number of public articles."""

    pagination_class = EntityPagination
    renderer_classes = [FastJSONRenderer]
    kind = None

    def get_queryset(self):
        return self.kind.model.objects.with_story_counts().order_by("name", "id")

    def perform_create(self, serializer):
        serializer.save()
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_update(self, serializer):
        self.perform_create(serializer)


class SourceViewSet(EntityViewSet):
    kind = kinds.SOURCE
    queryset = Source.objects.none()
    serializer_class = SourceSerializer


class PersonViewSet(EntityViewSet):
    kind = kinds.PERSON
    queryset = Person.objects.none()
    serializer_class = PersonSerializer


class PlaceViewSet(EntityViewSet):
    kind = kinds.PLACE
    queryset = Place.objects.none()
    serializer_class = PlaceSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class AuthorViewSet(EntityViewSet):
    kind = kinds.AUTHOR
    queryset = Author.objects.none()
    serializer_class = AuthorSerializer


# One per kind (api/urls.py routes them at the kind's plural).
ENTITY_VIEWSETS = (PersonViewSet, PlaceViewSet, SourceViewSet, AuthorViewSet)


class WireIntakeView(APIView):
    """Take in one piece of agency copy (plain text, ninjs JSON or NITF XML) as the request body.

    201 with the new draft; 200 with the existing article for copy received
    before or for an update of an earlier story; 400 with the reason for copy
    that cannot be taken in; 413 for a body over the wire desk's size limit.
    """

    permission_classes = [CanAddArticles]
    parser_classes = []  # the body is read raw: its format is detected from its content
    renderer_classes = [FastJSONRenderer]

    @extend_schema(
        request={
            "text/plain": OpenApiTypes.STR,
            "application/json": OpenApiTypes.OBJECT,  # ninjs, 1.x or 2.x
            "application/xml": OpenApiTypes.STR,  # NITF
        },
        parameters=[
            OpenApiParameter("strict", OpenApiTypes.BOOL, description="Refuse unknown bylines.")
        ],
        responses={201: WireResultSerializer, 200: WireResultSerializer},
    )
    def post(self, request):
        copy = raw_body(request, limit=wire.MAX_WIRE_BYTES)
        strict = request.query_params.get("strict") in {"1", "true"}
        try:
            result = intake.take_in(copy, origin="api", by=request.user, strict=strict)
        except wire.WireError as error:
            message = f"Cannot take in this copy: {error}."
            raise exceptions.ValidationError({"detail": message}) from None
        article = Article.objects.for_api().get(pk=result.article.pk)
        return Response(
            {
                "outcome": result.outcome,
                "message": result.message,
                "article": ArticleSerializer(article, context={"request": request}).data,
            },
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )
