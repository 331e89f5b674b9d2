"""Logins against brute force: the admin's and the API token endpoint's.

django-axes counts failed logins per username and client address
(settings.AXES_*); once LOGIN_FAILURE_LIMIT is reached, even the right password
is refused until LOGIN_LOCKOUT_MINUTES have passed since the last attempt.
Here is what a locked-out editor or API client is told. The client's address
behind the load balancer is django-ipware's, configured in settings.py.
"""

from django.contrib import admin
from django.http import JsonResponse
from django.shortcuts import render

from articles.api.auth import LOCKED_OUT, lockout_seconds
from articles.api.errors import API_PREFIX, error_body


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a 429, as a page for the admin and in the API's error shape."""
    seconds = lockout_seconds(request)
    minutes = max(1, seconds // 60)
    message = f"{LOCKED_OUT} Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    if request.path.startswith(API_PREFIX):
        body = error_body(429, "locked_out", message, retry_after=seconds)
        response = JsonResponse(body, status=429)
    else:
        context = {
            **admin.site.each_context(request),
            "title": "Locked out",
            "message": message,
            "minutes": minutes,
        }
        response = render(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
