"""Conditional requests on articles: ETags from the version counter.

Reads: If-None-Match / If-Modified-Since answer 304. Writes (PUT, PATCH,
DELETE): If-Match, or the "version" field in the body, says which version the
client edited; a missing one is 428. The editorial service's claim (the same
conditional UPDATE the admin's saves make) decides whether it is still current,
and a stale one is 412 with the current version, so an API write and an
editor's save can never silently overwrite each other.
"""

import re

from django.utils.http import http_date, parse_http_date_safe

from articles.api.errors import PreconditionRequired

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
    """The version a write was made against (If-Match, else "version" in the body).

    Missing, unreadable or ``If-Match: *`` (which matches any version: the blind
    overwrite this exists to prevent) is 428. Whether it is still current is the
    editorial service's claim to decide: a stale one is 412 from there.
    """
    header = request.headers.get("If-Match")
    if header is not None:
        tags = [tag.strip() for tag in header.split(",")]
        versions = [int(m[1]) for tag in tags if (m := VERSION_TAG.match(tag))]
        if not versions:
            raise PreconditionRequired()
        # Any of several tags may match: the one the story is at, if it is among them.
        return article.version if article.version in versions else versions[0]
    body = request.data.get("version") if isinstance(request.data, dict) else None
    if body is None or isinstance(body, bool):
        raise PreconditionRequired()
    try:
        return int(body)
    except (TypeError, ValueError):
        raise PreconditionRequired() from None
