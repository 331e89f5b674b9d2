"""Logins against brute force: the admin's and the API token endpoint's.

django-axes counts failed logins per username and client address
(settings.AXES_*); once LOGIN_FAILURE_LIMIT is reached, even the right password
is refused until LOGIN_LOCKOUT_MINUTES have passed since the last attempt.
Here is what a locked-out editor or API client is told, and how the client's
address is found behind the load balancer.
"""

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.http import JsonResponse
from django.shortcuts import render
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.views import APIView

from articles.api.errors import API_PREFIX, error_body
from articles.api.renderers import FastJSONRenderer

LOCKED_OUT = "Too many failed logins for this username from your address."


def client_ip(request):
    """The client's address: the socket's, or the one our outermost proxy saw.

    Each of the TRUSTED_PROXY_COUNT proxies appends the address it was reached
    from to X-Forwarded-For; anything to the left of that is the client's word.
    """
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_seconds(request=None):
    return int(get_cool_off(request).total_seconds())


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


class LockedOut(exceptions.Throttled):
    default_detail = LOCKED_OUT
    default_code = "locked_out"
    extra_detail_singular = "Try again in {wait} second."
    extra_detail_plural = "Try again in {wait} seconds."


@extend_schema(
    request=AuthTokenSerializer,
    responses={200: inline_serializer("AuthToken", {"token": serializers.CharField()})},
    description=(
        "Trade a username and password for the user's API token, sent as "
        "`Authorization: Token <key>`. After LOGIN_FAILURE_LIMIT wrong passwords for a "
        "username from one address, that pair is locked out (429, code `locked_out`)."
    ),
)
class ObtainTokenView(ObtainAuthToken):
    """POST /api/v1/auth/token/: {"username", "password"} → {"token"}."""

    authentication_classes = []  # the credentials are in the body: no session, no CSRF
    throttle_classes = APIView.throttle_classes  # the API's per-address limits, too
    renderer_classes = [FastJSONRenderer]

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            # django-axes marks the request it was handed: DRF's, not Django's,
            # so its middleware never sees the lockout and we answer it here.
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(wait=lockout_seconds(request)) from None
            raise
