"""API views: they declare their queryset, serializer, filters, pagination and
permissions; the rules they apply are the models', and what a write does is the
editorial service's."""

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, parsers, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import editorial, intake, kinds, pictures, wire
from articles.api import conditional
from articles.api.errors import PayloadTooLarge, PictureRefused, PreconditionFailed
from articles.api.filters import (
    MOMENT,
    ArticleFilter,
    ArticleOrdering,
    AwareDateTimeField,
    ImageFilter,
)
from articles.api.ninjs import NinjsArticleSerializer
from articles.api.pagination import ArticleCursorPagination, EntityPagination, ImagePagination
from articles.api.parsers import JSONParser, raw_body
from articles.api.permissions import ArticlePermission, CanAddArticles
from articles.api.renderers import FastJSONRenderer, NinjsRenderer
from articles.api.schema import IF_MATCH, NO_FORMAT, json_or_ninjs
from articles.api.serializers import (
    ArticleSerializer,
    AuthorSerializer,
    ImageSerializer,
    ImageUploadSerializer,
    PersonSerializer,
    PlaceSerializer,
    RemovalPageSerializer,
    SectionSerializer,
    SourceSerializer,
    WirePictureSerializer,
    WireResultSerializer,
    WireUploadSerializer,
)
from articles.models import (
    Article,
    ArticleRemoval,
    Author,
    EditConflict,
    Image,
    Person,
    Place,
    Section,
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
        return self.kind.model.objects.with_story_counts().order_by(*self.kind.model._meta.ordering)

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
class SectionViewSet(EntityViewSet):
    kind = kinds.SECTION
    queryset = Section.objects.none()
    serializer_class = SectionSerializer


ENTITY_VIEWSETS = (PersonViewSet, PlaceViewSet, SourceViewSet, AuthorViewSet, SectionViewSet)


# A picture's description fields besides the file come with it in the same form.
UPLOAD_FORM_ALLOWANCE = 100_000


@contextlib.contextmanager
def picture_refusals(field="file"):
    """The picture service's refusals in the API's terms: a file it will not take is a
    400 saying why; a description the model refuses, a 400 naming the field."""
    try:
        yield
    except pictures.Refused as refusal:
        raise PictureRefused(str(refusal), field=field) from None
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise exceptions.ValidationError(error.message_dict) from None
        raise exceptions.ValidationError({"detail": error.messages}) from None


@extend_schema_view(
    list=extend_schema(
        description=(
            "The picture library for the desk (staff who may view pictures); for anyone "
            "else, the pictures shown by the stories they may read."
        )
    ),
    create=extend_schema(
        description=(
            "Upload a picture (multipart/form-data: `file`, and optionally its description). "
            "201 with the new image and every rendition's address; 200 with the image "
            "already held when the same file was sent before (its description stays the "
            "desk's: what was sent with it is not applied); 400 saying why a file was "
            "refused; 413 for a request over the size limit."
        ),
        request={"multipart/form-data": ImageUploadSerializer},
        responses={201: ImageSerializer, 200: ImageSerializer},
    ),
    partial_update=extend_schema(
        description=(
            "Correct a picture's description (alt text, caption, credit, copyright, source, "
            "place, date) or move its focal point, which remakes its crops."
        )
    ),
)
class ImageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Library pictures, each with every rendition readers are served."""

    serializer_class = ImageSerializer
    pagination_class = ImagePagination
    renderer_classes = [FastJSONRenderer]
    filterset_class = ImageFilter
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Image.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        user = self.request.user
        stories = Article.objects.visible_to(user)
        return Image.objects.visible_to(user, stories=stories).for_api()

    def get_parsers(self):
        # An upload is a form with a file; a correction of the description is JSON.
        if getattr(self.request, "method", None) == "POST":
            return [parsers.MultiPartParser()]
        return [JSONParser()]

    def create(self, request, *args, **kwargs):
        limit = settings.IMAGE_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + UPLOAD_FORM_ALLOWANCE:
            # Refused from the header, before a byte of the file is read.
            raise PayloadTooLarge(f"A picture is limited to {limit:,} bytes.")
        serializer = ImageUploadSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        description = dict(serializer.validated_data)
        file = description.pop("file")
        with picture_refusals():
            image, created = pictures.upload(
                pictures.read(file), by=request.user, name=file.name, **description
            )
        return self.answer(image, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def update(self, request, *args, **kwargs):
        image = self.get_object()
        serializer = self.get_serializer(image, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with picture_refusals(field="focal_point"):
            pictures.describe(image, by=request.user, **serializer.validated_data)
        return self.answer(image, status.HTTP_200_OK)

    def answer(self, image, status_code):
        image = Image.objects.for_api().get(pk=image.pk)
        return Response(self.get_serializer(image).data, status=status_code)


class WireIntakeView(APIView):
    """Take in one piece of agency copy (plain text, ninjs JSON or NITF XML) as the request
    body, or as the ``copy`` file of a multipart form whose ``pictures`` are the picture
    files it names (matched by file name).

    201 with the new draft; 200 with the existing article for copy received
    before or for an update of an earlier story; 400 with the reason for copy
    that cannot be taken in; 413 for a body over the wire desk's size limit. A
    picture refused or missing does not lose the copy: ``pictures`` says which and why.
    """

    permission_classes = [CanAddArticles]
    parser_classes = []  # the body is read raw: its format is detected from its content
    renderer_classes = [FastJSONRenderer]

    @extend_schema(
        request={
            "text/plain": OpenApiTypes.STR,
            "application/json": OpenApiTypes.OBJECT,  # ninjs, 1.x or 2.x
            "application/xml": OpenApiTypes.STR,  # NITF
            "multipart/form-data": WireUploadSerializer,
        },
        parameters=[
            OpenApiParameter("strict", OpenApiTypes.BOOL, description="Refuse unknown bylines.")
        ],
        responses={201: WireResultSerializer, 200: WireResultSerializer},
    )
    def post(self, request):
        strict = request.query_params.get("strict") in {"1", "true"}
        copy, files = self.copy_and_pictures(request)
        try:
            result = intake.take_in(copy, origin="api", by=request.user, strict=strict, files=files)
        except wire.WireError as error:
            message = f"Cannot take in this copy: {error}."
            raise exceptions.ValidationError({"detail": message}) from None
        article = Article.objects.for_api().get(pk=result.article.pk)
        context = {"request": request}
        return Response(
            {
                "outcome": result.outcome,
                "message": result.message,
                "article": ArticleSerializer(article, context=context).data,
                "pictures": WirePictureSerializer(result.pictures, many=True).data,
            },
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    def copy_and_pictures(self, request):
        """The copy's bytes, and the picture files that came with it (or None)."""
        if not request.content_type.startswith("multipart/form-data"):
            return raw_body(request, limit=wire.MAX_WIRE_BYTES), None
        limit = wire.MAX_WIRE_BYTES + wire.MAX_PICTURES * settings.IMAGE_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise PayloadTooLarge(f"The copy and its pictures are limited to {limit:,} bytes.")
        # Django's own form parsing: the raw body is this view's, so DRF parses nothing.
        uploads = request._request.FILES
        copy = uploads.get("copy")
        if copy is None:
            raise exceptions.ValidationError({"copy": ["Send the copy as the file copy."]})
        pictures_sent = uploads.getlist("pictures")
        if len(pictures_sent) > wire.MAX_PICTURES:
            raise exceptions.ValidationError(
                {"pictures": [f"Send at most {wire.MAX_PICTURES} pictures with one copy."]}
            )
        try:
            data = intake.read_upload(copy)
        except wire.WireError as error:
            raise exceptions.ValidationError(
                {"detail": f"Cannot take in this copy: {error}."}
            ) from None
        return data, intake.SentPictures(pictures_sent)
