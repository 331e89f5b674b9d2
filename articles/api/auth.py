"""The API's token endpoint: a username and password for the user's token.

Failed logins count towards the same lockout as the admin's: django-axes,
configured in settings.py, answered by newsroom/logins.py.
"""

from axes.helpers import get_cool_off
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, parsers, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.views import APIView

from articles.api.parsers import JSONParser
from articles.api.renderers import FastJSONRenderer

LOCKED_OUT = "Too many failed logins for this username from your address."


def lockout_seconds(request=None):
    return int(get_cool_off(request).total_seconds())


class LockedOut(exceptions.Throttled):
    default_detail = LOCKED_OUT
    default_code = "locked_out"
    extra_detail_singular = "Try again in {wait} second."
    extra_detail_plural = "Try again in {wait} seconds."


@extend_schema(
    # Forms are taken too (curl -d), but one schema under two media types makes
    # generated clients send the last: the document offers JSON alone.
    request={"application/json": AuthTokenSerializer},
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
    parser_classes = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
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
