"""The OpenAPI schema, as generated clients read it literally: JSON request bodies,
the If-Match that writes need, ninjs as responses of its own, anonymous reads in
``security``, and every operation's error responses in the one error shape
(articles/api/errors.py)."""

import copy

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import (
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions

from articles.api.ninjs import NinjsArticleSerializer
from articles.api.renderers import NINJS_MEDIA_TYPE
from articles.api.serializers import ArticleSerializer, ImageSerializer

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer", "description": "The HTTP status code."},
                "code": {"type": "string", "description": "A stable machine-readable code."},
                "message": {"type": "string", "description": "What went wrong, in a sentence."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "For invalid input: the problems by field or parameter.",
                },
                "current_version": {
                    "type": "integer",
                    "description": "For 412: the article's version now.",
                },
                "retry_after": {
                    "type": "integer",
                    "description": "For 429: seconds to wait (also the Retry-After header).",
                },
            },
        }
    },
}

ERRORS = {
    "400": "Invalid input or parameters: the message and `fields` say which and why.",
    "401": "Authentication needed (send `Authorization: Token <key>`) or it failed.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "No such object, or not visible to you.",
    "405": "This method is not allowed here.",
    "406": "None of the formats in Accept can be produced.",
    "409": "Other records still refer to this one.",
    "412": "The article changed since the version you sent; `current_version` has it.",
    "413": "The request body is too large.",
    "415": "Unsupported request content type.",
    "428": 'Send If-Match: "<version>" or the version you edited.',
    "429": "Too many requests; wait `retry_after` seconds (Retry-After header).",
    "500": "A server error; it is logged.",
}
# Which errors each method can answer with, besides 500.
BY_METHOD = {
    "get": ["400", "401", "404", "406", "429"],
    "head": ["400", "401", "404", "406", "429"],
    "post": ["400", "401", "403", "404", "405", "406", "409", "413", "415", "429"],
    "put": ["400", "401", "403", "404", "405", "406", "409", "415", "429"],
    "patch": ["400", "401", "403", "404", "405", "406", "409", "415", "429"],
    "delete": ["400", "401", "403", "404", "405", "409", "429"],
}
# Conditional writes: articles only.
CONDITIONAL = ["412", "428"]
ARTICLE_DETAIL = "/api/v1/articles/{id}/"


def add_error_responses(result, generator, **kwargs):
    """drf-spectacular postprocessing hook: the Error component and its responses."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = copy.deepcopy(
        ERROR_SCHEMA
    )
    reference = {"$ref": "#/components/schemas/Error"}
    for path, path_item in result.get("paths", {}).items():
        for method, operation in path_item.items():
            if method not in BY_METHOD:
                continue
            responses = operation.setdefault("responses", {})
            codes = BY_METHOD[method]
            if path == ARTICLE_DETAIL and method in {"put", "patch", "delete"}:
                codes = [*codes, *CONDITIONAL]
            for code in [*codes, "500"]:
                responses.setdefault(
                    code,
                    {
                        "description": ERRORS[code],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result


class EntityRefExtension(OpenApiSerializerFieldExtension):
    """A linked entity: read as {id, slug, name[, kind]}, written as a slug or an id."""

    target_class = "articles.api.serializers.EntityRef"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {
                "oneOf": [
                    {"type": "string", "description": "The entity's slug."},
                    {"type": "integer", "description": "The entity's id."},
                ]
            }
        properties = {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "name": {"type": "string"},
        }
        if self.target.with_kind:
            properties["kind"] = {"type": "string"}
        return {"type": "object", "properties": properties, "required": list(properties)}


class ImageRefExtension(OpenApiSerializerFieldExtension):
    """A story's picture: written as the library image's id, read as the image object."""

    target_class = "articles.api.serializers.ImageRef"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "integer", "description": "The library image's id."}
        return auto_schema.resolve_serializer(ImageSerializer, direction).ref


class AdminSessionScheme(SessionScheme):
    """The API's session authentication is DRF's, with the CSRF check Django's."""

    target_class = "articles.api.authentication.AdminSessionAuthentication"


class NewsroomAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, knowing that anonymous clients may read where a
    view's permission lets them (DjangoModelPermissionsOrAnonReadOnly and its kind):
    without ``{}`` in ``security`` the document says that every read needs a token."""

    def get_auth(self):
        auths = super().get_auth()
        anonymous_reads = any(
            isinstance(permission, permissions.DjangoModelPermissionsOrAnonReadOnly)
            for permission in self.view.get_permissions()
        )
        if anonymous_reads and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        'The ETag of the version you edited, "<version>". A stale one is 412 with '
        "`current_version`; a missing one, or `*`, is 428."
    ),
)
# A generated client reads a response by its operation alone, so an operation
# whose ?format= changed the body's shape would read ninjs as an Article:
# ninjs has operations of its own (.../ninjs/), and ?format= stays out of these.
NO_FORMAT = OpenApiParameter("format", exclude=True)


def json_or_ninjs(code):
    """An article response: JSON, or ninjs for a client that asks for it in Accept."""
    return {
        (code, "application/json"): ArticleSerializer,
        (code, NINJS_MEDIA_TYPE): NinjsArticleSerializer,
    }


def _text(**extra):
    properties = {"role": {"type": "string"}, "contenttype": {"type": "string"}}
    properties.update(value={"type": "string"}, **extra)
    return {
        "type": "object",
        "properties": properties,
        "required": ["role", "contenttype", "value"],
    }


def _list_of(item):
    return {"type": "array", "items": item}


_DATE_TIME = {"type": "string", "format": "date-time"}
_ENTITY = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "rel": {"type": "string"},
        "uri": {"type": "string", "format": "uri"},
        "literal": {"type": "string", "description": "The entity's slug."},
    },
    "required": ["name", "rel", "uri", "literal"],
}
_NINJS_RENDITION = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "description": "Spec and format: w640-webp, 16x9-1200-jpeg."},
        "href": {"type": "string", "format": "uri"},
        "contenttype": {"type": "string"},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
        "sizeinbytes": {"type": "integer"},
    },
    "required": ["name", "href", "contenttype", "width", "height", "sizeinbytes"],
}
_NINJS_PICTURE = {
    "type": "object",
    "description": "A picture the story shows: featureimage (the lead), picture-1, picture-2…",
    "properties": {
        "name": {"type": "string"},
        "uri": {"type": "string", "format": "uri", "description": "The image in the API."},
        "type": {"type": "string", "description": "Always picture."},
        "firstcreated": _DATE_TIME,
        "versioncreated": _DATE_TIME,
        "by": {"type": "string", "description": "The credit line."},
        "copyrightnotice": {"type": "string"},
        "copyrightholder": {"type": "string"},
        "descriptions": _list_of(_text()),
        "renditions": _list_of(_NINJS_RENDITION),
    },
    "required": ["name", "uri", "type", "firstcreated", "versioncreated", "renditions"],
}
# What articles/api/ninjs.py writes: standard ninjs 2.1 properties only.
NINJS_ARTICLE_SCHEMA = {
    "type": "object",
    "description": "An article as IPTC ninjs 2.1 (https://iptc.org/standards/ninjs/).",
    "properties": {
        "uri": {
            "type": "string",
            "format": "uri",
            "description": "The article's API address, which survives slug changes.",
        },
        "standard": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "version": {"type": "string"},
                "schema": {"type": "string", "format": "uri"},
            },
            "required": ["name", "version", "schema"],
        },
        "type": {"type": "string", "description": "Always text."},
        "representationtype": {"type": "string", "description": "Always full."},
        "version": {"type": "string", "description": "The article's version, as text."},
        "firstcreated": _DATE_TIME,
        "versioncreated": _DATE_TIME,
        "embargoed": {**_DATE_TIME, "description": "For a story not public yet: when it is."},
        "pubstatus": {"type": "string", "enum": ["usable", "withheld", "canceled"]},
        "language": {"type": "string"},
        "slugline": {"type": "string"},
        "by": {"type": "string"},
        "located": {"type": "string"},
        "copyrightholder": {"type": "string"},
        "headlines": _list_of(_text()),
        "descriptions": _list_of(_text()),
        "bodies": _list_of(_text(charcount={"type": "integer"}, wordcount={"type": "integer"})),
        "altids": _list_of(
            {
                "type": "object",
                "properties": {"role": {"type": "string"}, "value": {"type": "string"}},
                "required": ["role", "value"],
            }
        ),
        "people": _list_of(_ENTITY),
        "places": _list_of(_ENTITY),
        "organisations": _list_of(_ENTITY),
        "associations": _list_of(_NINJS_PICTURE),
        "infosources": _list_of(
            {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "role": {"type": "string"},
                    "uri": {"type": "string", "format": "uri"},
                },
                "required": ["name", "role", "uri"],
            }
        ),
    },
    "required": [
        *("uri", "standard", "type", "representationtype", "version"),
        *("firstcreated", "versioncreated", "pubstatus", "language", "slugline"),
        *("headlines", "bodies", "altids", "people", "places", "organisations"),
    ],
}


class NinjsArticleExtension(OpenApiSerializerExtension):
    """ninjs is written by hand (a BaseSerializer), so its component is declared here."""

    target_class = "articles.api.ninjs.NinjsArticleSerializer"

    def map_serializer(self, auto_schema, direction):
        # A copy: the enum hook rewrites the schemas it is given in place.
        return copy.deepcopy(NINJS_ARTICLE_SCHEMA)
