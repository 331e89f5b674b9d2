"""How API clients authenticate besides tokens (DRF's TokenAuthentication).

Its own module: DRF imports the authentication classes while defining APIView,
so this one imports nothing that imports DRF's views.
"""

from rest_framework.authentication import SessionAuthentication


class AdminSessionAuthentication(SessionAuthentication):
    """The admin's session, its CSRF token checked as Django checks a form's.

    DRF checks the token against ``request.POST`` of its own request, which
    parses the body with the view's parsers: for the wire desk, which takes
    copy raw and has none, every session write was a 415. Django's own request
    parses only a form body as a form, so the token comes from the form or,
    for JSON and anything else, from X-CSRFToken.
    """

    def enforce_csrf(self, request):
        super().enforce_csrf(request._request)
