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

    ``page_size`` up to 100 (default 20). The order is the view's ordering
    filter's (filters.ArticleOrdering), which the cursor reads as designed.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class EntityPagination(CheckedPageSize, PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
