"""The site's error answers: under /api/ in the API's one JSON shape, elsewhere as pages.

Django calls these for errors no view handled (``handler404`` and friends in
newsroom/urls.py), and a database that stops answering is a 503 that says when
to come back, rather than a 500. The pages (templates/404.html, 500.html) are
the reader site's, with its header, navigation and search.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views import defaults

from articles.api.errors import API_PREFIX, error_body
from articles.context_processors import site


def _is_api(request):
    return request.path.startswith(API_PREFIX)


def not_found(request, exception=None):
    if _is_api(request):
        body = error_body(404, "not_found", f"Nothing at {request.path}.")
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)


# The database refused or dropped the connection (down, restarting, failing
# over, or too busy): a passing fault, so a 503 that says when to come back.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def database_unavailable(request):
    """The 503 page or API error; rendered without a request, so without a query."""
    if _is_api(request):
        message = "The database is not answering; try again in a few seconds."
        body = error_body(503, "unavailable", message, retry_after=RETRY_AFTER_SECONDS)
        response = JsonResponse(body, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    # Django calls this handler while the exception is being handled.
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    if _is_api(request):
        body = error_body(500, "server_error", "Something went wrong on our side; it is logged.")
        return JsonResponse(body, status=500)
    # With the site's settings, not the request's context processors: what
    # failed may be the database, so the page may need nothing of it (not even
    # the navigation's sections or the footer's pages, which a cold cache would read
    # from it).
    context = {**site(request), "navigation_sections": (), "footer_site_pages": ()}
    return HttpResponseServerError(loader.render_to_string("500.html", context))


def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body(400, "bad_request", "The request is malformed."), status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        body = error_body(403, "permission_denied", "You may not do that.")
        return JsonResponse(body, status=403)
    return defaults.permission_denied(request, exception)
