"""The admin site itself: the desk's name, and its home page, the desk dashboard.

Outside ``articles/admin/``: Django builds the default site from this class
when a module first registers a model on it, and importing a module inside
that package would register the articles' admins on a site still being built.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from articles.editorial import ADD_PERMISSION
from articles.models import Article, Status, WireItem
from articles.models.articles import VIEW_ALL_PERMISSION

# Each list on the dashboard shows this many stories and links to all of them.
DASHBOARD_ROWS = 10
# "Published lately": what went public in the last day.
RECENT = timedelta(hours=24)


class DeskSite(admin.AdminSite):
    """The admin, named after the newsroom (SITE_NAME), with the dashboard as its home."""

    index_title = "Dashboard"
    index_template = "admin/dashboard.html"

    # Read on every page, so a SITE_NAME set for a test or a deployment shows at once.
    @property
    def site_header(self):
        return f"{settings.SITE_NAME} desk"

    site_title = site_header

    def index(self, request, extra_context=None):
        context = {**dashboard(request.user), **(extra_context or {})}
        return super().index(request, extra_context=context)


def dashboard(user):
    """The dashboard's lists that ``user`` may read: each one query of at most
    DASHBOARD_ROWS rows, and the address of the whole list."""
    context = {"time_zone": settings.TIME_ZONE, "rows_shown": DASHBOARD_ROWS}
    if user.has_perm(VIEW_ALL_PERMISSION):
        stories = Article.objects.for_desk()
        since = timezone.now() - RECENT

        def first(queryset):
            return list(queryset[:DASHBOARD_ROWS])

        context["stories"] = {
            "my_drafts": first(stories.drafts_by(user)),
            "in_review": first(stories.in_review()),
            "scheduled": first(stories.scheduled().soonest_first()),
            "published": first(stories.published_since(since)),
            "flagged": first(stories.headline_flagged()),
        }
        context["all_of"] = {
            "my_drafts": changelist(status=Status.DRAFT, written_by="me"),
            "in_review": changelist(status=Status.REVIEW),
            "scheduled": changelist(status="scheduled"),
            "published": changelist(
                status=Status.PUBLISHED, published_at__gte=since.isoformat(timespec="seconds")
            ),
            "flagged": changelist(headline_needs_review__exact=1),
        }
    if user.has_perm(ADD_PERMISSION):
        context["inbox"] = list(WireItem.objects.inbox().for_listing()[:DASHBOARD_ROWS])
    return context


def changelist(**filters):
    return f"{reverse('admin:articles_article_changelist')}?{urlencode(filters)}"
