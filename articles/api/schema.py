"""The OpenAPI schema: every operation lists the error responses it can give,
all in the one error shape (articles/api/errors.py)."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiSerializerFieldExtension

from articles.api.renderers import NINJS_MEDIA_TYPE

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
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path, path_item in result.get("paths", {}).items():
        for method, operation in path_item.items():
            if method not in BY_METHOD:
                continue
            responses = operation.setdefault("responses", {})
            codes = BY_METHOD[method]
            if path == ARTICLE_DETAIL and method in {"put", "patch", "delete"}:
                codes = [*codes, *CONDITIONAL]
            if path.startswith("/api/v1/articles/") and "removed" not in path:
                _add_ninjs(responses)
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


def _add_ninjs(responses):
    """Successful article responses may also come as ninjs (an object per article)."""
    for code, response in responses.items():
        content = response.get("content", {})
        if code.startswith("2") and "application/json" in content:
            content[NINJS_MEDIA_TYPE] = {
                "schema": {
                    "type": "object",
                    "description": "IPTC ninjs 2.1 (an article, or a page of them in results).",
                }
            }


class RawBodySessionScheme(SessionScheme):
    """The wire desk's session is the admin's: the same cookie."""

    target_class = "articles.api.auth.RawBodySessionAuthentication"
