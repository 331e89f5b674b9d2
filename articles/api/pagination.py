from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

MAX_PAGE_SIZE = 100


class CheckedPageSize:
    """page_size must be a whole number; above the maximum it is the maximum."""

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({self.page_size_query_param: ["Give a whole number from 1."]})
        return min(int(raw), self.max_page_size)


class ArticleCursorPagination(CheckedPageSize, CursorPagination):
    """Opaque cursors: stable while stories are being published, and no COUNT of the table.

    ``page_size`` up to 100 (default 20). The order follows ``ordering``
    (validated by the filters); by publication time, a story with none yet
    (a draft, for clients that see drafts) sorts by its creation time.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    SORT_KEYS = {"published_at": "published_or_created"}

    def get_ordering(self, request, queryset, view):
        requested = request.query_params.get("ordering")
        if requested:
            descending = requested.startswith("-")
            field = requested.lstrip("-")
            key = self.SORT_KEYS.get(field, field)
            return (f"-{key}", "-id") if descending else (key, "id")
        if request.query_params.get("search"):
            return ("-search_rank", "-id")
        return ("-published_or_created", "-id")


class EntityPagination(CheckedPageSize, PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
