from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

from articles.api.filters import ArticleOrdering

MAX_PAGE_SIZE = 100


class CheckedPageSize:
    """page_size must be a whole number; above the maximum it is the maximum."""

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError({self.page_size_query_param: ["Give a whole number from 1."]})
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
                parameter["description"] = (
                    f"Results per page, from 1 to {self.max_page_size} (default {self.page_size}); "
                    f"more is served as {self.max_page_size}."
                )
        return parameters


class ArticleCursorPagination(CheckedPageSize, CursorPagination):
    """Opaque cursors: stable while stories are being published, and no COUNT of the table.

    ``page_size`` up to 100 (default 20). The order is the view's ordering
    filter's (filters.ArticleOrdering), which the cursor reads as designed.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_cursor_message = "Not a cursor of this list: follow the next or previous link."

    def decode_cursor(self, request):
        """The cursor, with its position checked against the order it pages by.

        A cursor is the client's to send back, so a crafted one (a position that
        is not a moment, a rank or a headline) is a 400 naming it, never a value
        the database refuses.
        """
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise self.invalid_cursor() from None
        if cursor is None or cursor.position is None:
            return cursor
        field = ArticleOrdering.POSITIONS[self.ordering[0].removeprefix("-")]
        try:
            position = field.clean(cursor.position)
        except DjangoValidationError:
            raise self.invalid_cursor() from None
        # As the cursor's own links write it: str() of the key's value.
        return cursor._replace(position=str(position))

    def invalid_cursor(self):
        return ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})


class EntityPagination(CheckedPageSize, PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ImagePagination(CheckedPageSize, PageNumberPagination):
    """Pages of pictures: each carries every rendition's address, so pages are smaller."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
