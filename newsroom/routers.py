"""Reads from the replica for anonymous readers, everything else on the primary.

Installed only when DATABASE_REPLICA_URL is set (settings.py). A replica lags
the primary by a moment: harmless for a reader's page, wrong for an editor who
has just saved. So only a request that can write nothing and sees only public
content reads from it: a GET, HEAD or OPTIONS from a visitor who is not signed in and
sends no API credentials. The middleware decides once per request and the
router follows; outside a request (commands, the shell) everything uses the
primary.
"""

from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# A context variable, not a global: each thread (and each asyncio task) has its own.
_reads_from_replica = ContextVar("reads_from_replica", default=False)


def is_public_read(request):
    """A request that writes nothing and can see nothing but what is public."""
    return (
        request.method in READ_METHODS
        # A token is checked by the API view, after this: any credentials count.
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.user.is_authenticated
    )


class ReplicaReadsMiddleware:
    """Marks the request's reads for the replica; after AuthenticationMiddleware.

    Telling a signed-in user from a visitor reads the session and the user, on
    the primary, before the mark is set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        mark = _reads_from_replica.set(is_public_read(request))
        try:
            return self.get_response(request)
        finally:
            _reads_from_replica.reset(mark)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reads_from_replica.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # two copies of one database

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
