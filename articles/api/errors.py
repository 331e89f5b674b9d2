"""One shape for every API error, whatever raised it.

    {"error": {"status": 412, "code": "precondition_failed",
               "message": "…", "fields": {"headline": ["…"]}, "current_version": 7}}

``fields`` appears for invalid input (400), ``current_version`` for a stale
write (412); ``message`` is always a sentence a developer can act on.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

API_PREFIX = "/api/"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = (
        'Send If-Match: "<version>" (the ETag you read) or the "version" you edited in the body, '
        "so that nobody's newer save is overwritten."
    )


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self, current_version):
        self.current_version = current_version
        super().__init__(
            f"The article was changed after you read it: it is at version {current_version}. "
            "Read it again, reapply your change and send the new version."
        )


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class PictureRefused(exceptions.APIException):
    """A file the picture library will not take: the reason as the message, and under
    the field that carried it."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "refused"

    def __init__(self, reason, *, field="file"):
        super().__init__({"detail": [reason], field: [reason]})


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def error_body(status_code, code, message, **extra):
    return {"error": {"status": status_code, "code": code, "message": message, **extra}}


def _message_and_fields(detail):
    """A readable sentence and, for invalid input, the errors by field."""
    if isinstance(detail, dict):
        fields = {key: [str(item) for item in _listed(value)] for key, value in detail.items()}
        general = fields.pop("non_field_errors", None) or fields.pop("detail", None)
        if general:
            return " ".join(general), fields
        names = ", ".join(fields)
        return f"Some values are not valid: {names}.", fields
    if isinstance(detail, list):
        return " ".join(str(item) for item in detail), {}
    return str(detail), {}


def _listed(value):
    if isinstance(value, list | tuple):
        return [item for entry in value for item in _listed(entry)]
    if isinstance(value, dict):
        return [f"{key}: {item}" for key, entry in value.items() for item in _listed(entry)]
    return [value]


def _code(exception):
    codes = exception.get_codes()
    if isinstance(codes, str):
        return codes
    return (
        "invalid" if isinstance(exception, exceptions.ValidationError) else exception.default_code
    )


def handle_exception(exception, context):
    """DRF's exception handler, answering in the one error shape."""
    if isinstance(exception, RequestDataTooBig):
        exception = PayloadTooLarge(
            f"Request bodies are limited to {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes."
        )
    elif isinstance(exception, ProtectedError):
        exception = Conflict(
            "Other records still refer to this one; remove those references first."
        )
    elif isinstance(exception, IntegrityError):
        # A concurrent write won a uniqueness race the validation could not see.
        exception = Conflict("This conflicts with a record saved at the same time; try again.")
    response = exception_handler(exception, context)
    if response is None:
        return None  # an unexpected error: newsroom/errors.py answers
    if isinstance(exception, Http404):
        exception = exceptions.NotFound()
    elif isinstance(exception, PermissionDenied):
        exception = exceptions.PermissionDenied()
    message, fields = _message_and_fields(getattr(exception, "detail", str(exception)))
    extra = {"fields": fields} if fields else {}
    if isinstance(exception, PreconditionFailed):
        extra["current_version"] = exception.current_version
    if isinstance(exception, exceptions.Throttled) and exception.wait is not None:
        extra["retry_after"] = int(exception.wait) + 1
    response.data = error_body(response.status_code, _code(exception), message, **extra)
    return response
