"""Whole public pages in the shared cache, and what makes them stale.

Every change to what readers can see (a published or scheduled story saved,
unpublished, corrected or deleted; an entity renamed: invalidation.py decides)
moves one generation number, and cached pages are keyed by it, so no reader
sees a page older than the last edit. A page is also never kept past the next
scheduled publication: the story due at 10:00 is on the home page at 10:00.

A page is keyed by its scheme, host, path and the query parameters it reads,
which its view declares: nothing else reaches the view, so a junk query
string is the same page from the same entry, not a new one.

A page may also depend on a part of the site that changes without any story
changing (the front's arrangement: ``scope="front"``): it is keyed by that
part's version too, which moves alone when that part changes, so arranging
the front makes the front stale and no other page. Such a part may also change
by itself at a known time (a pin that ends at 18:00): the view says when on its
response (``response.changes_at``), and the page is not kept past it.
"""

import functools
import hashlib
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from articles import versions

GENERATION_KEY = "pages:generation"
CHANGED_AT_KEY = "pages:changed-at"
CACHED_HEADERS = ("Content-Type", "Last-Modified", "Content-Language")
# Every page's navigation lists the sections: kept, so a page made afresh reads none.
NAVIGATION_KEY = "pages:navigation-sections"
# The scope of the front page: its arrangement (articles/models/front.py).
FRONT = "front"
# And every page's footer the site's own pages (About, Contact...), kept likewise.
FOOTER_KEY = "pages:footer-site-pages"


def generation():
    return versions.current(GENERATION_KEY)


class LastSeen:
    """The generation this process last saw: almost always still the current one."""

    generation = None
    scopes = {}  # {scope: its version}


def scope_key(scope):
    return f"pages:scope:{scope}"


def page_key(request, current, scoped=None):
    # The scheme too: behind a TLS proxy (SECURE_PROXY_SSL_HEADER) one address is
    # asked for over http:// and https://, and each page's absolute links say which.
    # The query as the view sees it (understood()). Hashed: an address may be long
    # (a search) and cache keys are bounded.
    address = f"{request.scheme}://{request.get_host()}{request.path}?{request.GET.urlencode()}"
    at = current if scoped is None else f"{current}.{scoped}"
    return f"pages:{at}:{hashlib.sha256(address.encode()).hexdigest()}"


def understood(query, parameters):
    """``query`` (a QueryDict) cut to ``parameters``, in their order: what a page reads."""
    pairs = [(name, value) for name in parameters for value in query.getlist(name)]
    return QueryDict(urlencode(pairs))


def lookup(request, scope=None):
    """(generation, key, stored page or None), in one cache round trip when the
    generation (and the version of the page's ``scope``, if it has one) has not
    moved since this process last looked."""
    guess = LastSeen.generation
    guessed_scope = LastSeen.scopes.get(scope)
    key = page_key(request, guess, guessed_scope)
    asked = [GENERATION_KEY, key] if scope is None else [GENERATION_KEY, scope_key(scope), key]
    found = cache.get_many(asked)
    current = found.get(GENERATION_KEY)
    scoped = found.get(scope_key(scope)) if scope is not None else None
    if current is not None and current == guess and scoped == guessed_scope:
        return current, key, found.get(key)
    LastSeen.generation = current = current or generation()
    if scope is not None:
        LastSeen.scopes[scope] = scoped = scoped or versions.current(scope_key(scope))
    key = page_key(request, current, scoped)
    return current, key, cache.get(key)


def _bump():
    versions.move(GENERATION_KEY)
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)


def last_change():
    """When the newsroom last changed (a story, an entity, a correction), as a timestamp.

    Every public page's Last-Modified: a list changes when a story leaves it,
    which no date on the stories still in it would show.
    """
    changed_at = cache.get(CHANGED_AT_KEY)
    if changed_at is None:
        cache.add(CHANGED_AT_KEY, time.time(), timeout=None)
        changed_at = cache.get(CHANGED_AT_KEY) or time.time()
    return changed_at


def newsroom_changed():
    """Make every cached page stale: now, and again when the change commits."""
    _bump()
    transaction.on_commit(_bump)


def scope_changed(scope):
    """Make the pages of ``scope`` stale (and only those): now, and again on commit."""
    _move_scope(scope)
    transaction.on_commit(functools.partial(_move_scope, scope))


def _move_scope(scope):
    versions.move(scope_key(scope))
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)


def seconds_until_next_publication(current):
    from articles.models import Article

    key = f"pages:next-publication:{current}"
    due = cache.get(key)
    if due is None:
        next_at = (
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)[:1]
        )
        due = next_at[0].timestamp() if next_at else 0
        cache.set(key, due, settings.PAGE_CACHE_SECONDS)
    if not due:
        return None
    return max(0, int(due - datetime.now(UTC).timestamp()) + 1)


def cached_page(view, *, query=(), scope=None):
    """Serve a public page from the cache, and tell browsers to revalidate it.

    Public pages look the same to everyone, so the key is the address and the
    generation alone; responses carry no cookies and no per-visitor content.
    ``query`` names the query parameters the page reads (``page``, ``q``...):
    the view sees those alone, so every address that differs only in others
    (``/?utm=<random>``) is one page in one entry, which no junk can multiply.
    ``scope`` names a part of the site the page shows besides stories (its version
    is in the key); a response's ``changes_at`` (a datetime) is when it changes by itself.
    """

    @functools.wraps(view)
    def serve(request, *args, **kwargs):
        request.GET = understood(request.GET, query)
        if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
            return revalidate(dated(view(request, *args, **kwargs)))
        current, key, stored = lookup(request, scope)
        if stored is not None:
            content, status, headers = stored
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response.headers[name] = value
            return revalidate(response)
        response = dated(view(request, *args, **kwargs))
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if response.status_code == 200 and not response.cookies:
            timeout = settings.PAGE_CACHE_SECONDS
            due = seconds_until_next_publication(current)
            if due is not None:
                timeout = min(timeout, due)
            changes_at = getattr(response, "changes_at", None)
            if changes_at is not None:
                timeout = min(timeout, max(1, int(changes_at.timestamp() - time.time()) + 1))
            headers = {name: response[name] for name in CACHED_HEADERS if name in response}
            cache.set(key, (response.content, response.status_code, headers), timeout)
        return revalidate(response)

    return serve


def dated(response):
    if response.status_code == 200:
        response.headers["Last-Modified"] = http_date(last_change())
    return response


def revalidate(response):
    # Browsers and proxies may keep a copy but must ask again each time; the
    # ETag or Last-Modified makes the answer a cheap 304 when nothing changed.
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def navigation_sections():
    """The sections the site's navigation lists, as (name, address), in their order.

    Read once and kept until a section changes (invalidation.py): a page the
    page cache does not hold costs no query for them.
    """
    sections = cache.get(NAVIGATION_KEY)
    if sections is None:
        section_model = apps.get_model("articles", "Section")
        sections = [
            (section.name, section.get_absolute_url())
            for section in section_model.objects.for_navigation()
        ]
        cache.set(NAVIGATION_KEY, sections, timeout=None)
    return sections


def sections_changed():
    # Again after the commit: a page made meanwhile may have kept the old list.
    cache.delete(NAVIGATION_KEY)
    transaction.on_commit(functools.partial(cache.delete, NAVIGATION_KEY))


def footer_site_pages():
    """The site pages every page's footer links, as (title, address), in their order.

    Kept like the sections until a site page changes (invalidation.py).
    """
    site_pages = cache.get(FOOTER_KEY)
    if site_pages is None:
        site_page_model = apps.get_model("articles", "SitePage")
        site_pages = [
            (page.title, page.get_absolute_url()) for page in site_page_model.objects.for_footer()
        ]
        cache.set(FOOTER_KEY, site_pages, timeout=None)
    return site_pages


def site_pages_changed():
    cache.delete(FOOTER_KEY)
    transaction.on_commit(functools.partial(cache.delete, FOOTER_KEY))
    newsroom_changed()  # the footer is on every page, and the page itself is one
