from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Beyond this many matching stories the desk says "more than": counting
# millions of rows on every page load is what makes admins slow.
COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows, whatever the size of the table."""

    @cached_property
    def count(self):
        # Primary keys only: annotations (such as story counts) and ordering
        # cost work per row and change nothing about how many rows there are.
        rows = self.object_list.order_by().values("pk")
        return rows[: COUNT_CAP + 1].count()

    @property
    def count_is_capped(self):
        return self.count > COUNT_CAP
