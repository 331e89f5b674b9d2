"""Conditional requests on articles: ETags from the version counter.

Reads: If-None-Match / If-Modified-Since answer 304. Writes (PUT, PATCH,
DELETE): If-Match, or the "version" field in the body, says which version the
client edited; a stale one is 412 with the current version, a missing one
428. The final word is Article.save_checked's conditional UPDATE, the same
one the admin uses, so an API write and an editor's save can never silently
overwrite each other.
"""

import re

from django.utils.http import http_date, parse_http_date_safe

from articles.api.errors import PreconditionFailed, PreconditionRequired

VERSION_TAG = re.compile(r'^(?:W/)?"(\d+)(?:-[a-z]+)?"$')


def etag(article, representation="json"):
    suffix = "" if representation == "json" else f"-{representation}"
    return f'"{article.version}{suffix}"'


def stamp(response, article, representation="json"):
    response["ETag"] = etag(article, representation)
    response["Last-Modified"] = http_date(article.updated_at.timestamp())
    return response


def not_modified(request, article, representation="json"):
    """Whether the client's copy (If-None-Match, else If-Modified-Since) is current."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag(article, representation) in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(article.updated_at.timestamp()) <= since


def expected_version(request, article):
    """The version a write was made against; raises 428 if unsaid, 412 if stale.

    ``If-Match: *`` is refused: it matches any version, which is the blind
    overwrite this exists to prevent.
    """
    header = request.headers.get("If-Match")
    body = request.data.get("version") if isinstance(request.data, dict) else None
    if header is not None:
        tags = [tag.strip() for tag in header.split(",")]
        versions = [int(m[1]) for tag in tags if (m := VERSION_TAG.match(tag))]
        if not versions:
            raise PreconditionRequired()
        if article.version not in versions:
            raise PreconditionFailed(article.version)
        return article.version
    if body is None or isinstance(body, bool):
        raise PreconditionRequired()
    try:
        version = int(body)
    except (TypeError, ValueError):
        raise PreconditionRequired() from None
    if version != article.version:
        raise PreconditionFailed(article.version)
    return version
