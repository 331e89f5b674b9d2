"""Request bodies as the API reads them."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from articles.api.errors import PayloadTooLarge


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with JSON nested past Python's recursion limit refused as malformed.

    The standard library's decoder raises RecursionError for it (a few kilobytes
    of ``[`` do), which would otherwise be a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None


def raw_body(request, *, limit):
    """The request's body as sent, refused (413) past ``limit`` bytes.

    A chunked upload has no Content-Length, and Django reads such a body as
    empty; a server that ends the input stream itself (``wsgi.input_terminated``:
    gunicorn does) lets it be read to its end instead, and never more than one
    byte past the limit is read.
    """
    refusal = PayloadTooLarge(f"This body is limited to {limit:,} bytes.")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise refusal
    if length or not request.META.get("wsgi.input_terminated"):
        return request.body
    body = request.META["wsgi.input"].read(limit + 1)
    if len(body) > limit:
        raise refusal
    return body
