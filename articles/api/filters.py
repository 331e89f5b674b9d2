"""The article list's filters. A bad value, or a parameter that is not one of
these, is a 400 naming it: a misspelt filter silently ignored would return the
whole archive to a client that asked for a slice of it."""

from datetime import UTC, datetime, timedelta

import django_filters
from django import forms
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from articles import kinds, search
from articles.models import Place, Source, Status
from articles.models.articles import VIEW_ALL_PERMISSION

MAX_OFFSET = timedelta(hours=14)
# What AwareDateTimeField takes, for the schema: a zone no further than ±14:00.
MOMENT = {
    "type": "string",
    "format": "date-time",
    "pattern": r"([Zz]|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$",
}

# Parameters the list reads besides the filters: paging, format and the order.
PAGING_PARAMETERS = {"cursor", "page", "page_size", "format", "ordering"}


class AwareDateTimeField(forms.CharField):
    """ISO 8601 with a time zone; a date alone means its midnight in UTC."""

    default_error_messages = {
        "invalid": "Use ISO 8601 with a time zone, e.g. 2026-11-25T09:30:00Z.",
        "naive": "Give a time zone, e.g. 2026-11-25T09:30:00Z or +04:00.",
        "offset": "A time zone offset lies between -14:00 and +14:00.",
        "range": "That moment is out of range.",
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value.replace(" ", "+"))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if len(value.strip()) == 10:  # a date
            moment = moment.replace(tzinfo=UTC)
        if timezone.is_naive(moment):
            raise forms.ValidationError(self.error_messages["naive"], code="naive")
        # Real offsets lie within ±14 hours (PostgreSQL refuses beyond ±15:59),
        # and the moment must survive conversion to UTC.
        if abs(moment.utcoffset()) > MAX_OFFSET:
            raise forms.ValidationError(self.error_messages["offset"], code="offset")
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["range"], code="range") from None


@extend_schema_field(MOMENT)
class AwareDateTimeFilter(django_filters.Filter):
    field_class = AwareDateTimeField


@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more slugs; repeating the parameter means "any of these"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, to_field_name="slug", conjoined=False, **kwargs)


def entity_filters():
    """?person=, ?place=, ?source=, ?author=: one slug filter per entity kind (kinds.py)."""
    return {
        kind.name: SlugsFilter(
            queryset=kind.model.objects.all(),
            method="filter_about",
            help_text=(
                f"Stories {kind.preposition} the {kind.name} with this slug; "
                "repeat for any of several."
            ),
        )
        for kind in kinds.KINDS
    }


# A FilterSet whose declared filters are those; its metaclass collects them as
# it would from a class body.
EntityFilterSet = type(django_filters.FilterSet)(
    "EntityFilterSet", (django_filters.FilterSet,), entity_filters()
)


class KnownParameters:
    """A FilterSet that answers a parameter it does not know with a 400 naming it."""

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        unknown = set(self.data) - set(self.filters) - PAGING_PARAMETERS
        if unknown:
            known = ", ".join(sorted(set(self.filters) | PAGING_PARAMETERS))
            raise ValidationError(
                {name: [f"Not a parameter of this list; use one of: {known}."] for name in unknown}
            )


class ArticleFilter(KnownParameters, EntityFilterSet):
    published_after = AwareDateTimeFilter(
        field_name="published_at", lookup_expr="gte", help_text="ISO 8601 with a time zone."
    )
    published_before = AwareDateTimeFilter(
        field_name="published_at", lookup_expr="lt", help_text="ISO 8601 with a time zone."
    )
    updated_since = AwareDateTimeFilter(
        method="filter_updated_since",
        help_text=(
            "Articles changed at or after this moment (ISO 8601 with a time zone), including "
            "scheduled ones that went public since; for incremental sync, with "
            "ordering=updated_at and /api/v1/articles/removed/."
        ),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        method="filter_status",
        help_text="Only for clients that may read every status; repeat for any of several.",
    )
    search = django_filters.CharFilter(
        method="filter_search",
        help_text='Full text: words, "a phrase", -excluded, this OR that.',
    )

    def filter_about(self, queryset, name, entities):
        return queryset.about(*entities) if entities else queryset

    def filter_updated_since(self, queryset, name, moment):
        return queryset.changed_since(moment) if moment else queryset

    def filter_status(self, queryset, name, statuses):
        if not statuses:
            return queryset
        if not self.request.user.has_perm(VIEW_ALL_PERMISSION):
            raise ValidationError(
                {
                    "status": [
                        "Only clients that may read unpublished articles can filter by status."
                    ]
                }
            )
        return queryset.filter(status__in=statuses)

    def filter_search(self, queryset, name, text):
        if not text:
            return queryset
        return search.search(queryset, text)


class ArticleOrdering(OrderingFilter):
    """``?ordering=``: one of the orders an index serves, newest first by default.

    Always a single field with the id as tie-breaker, which is what the cursor
    pages by. By publication time, a story with none yet (a draft, for clients
    that see drafts) sorts by its creation time. Anything else is a 400 naming
    the parameter, not an order silently ignored.
    """

    ordering_fields = ["published_at", "updated_at", "headline"]
    SORT_KEYS = {"published_at": "published_or_created"}
    # What a cursor's position is for each sort key: that key's value in a row.
    POSITIONS = {
        "published_or_created": AwareDateTimeField(),
        "updated_at": AwareDateTimeField(),
        "headline": forms.CharField(strip=False),
        "search_rank": forms.FloatField(),
    }
    ordering_description = "published_at, updated_at or headline; prefix with - for descending."

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if not raw:
            if request.query_params.get("search"):
                return ("-search_rank", "-id")
            return ("-published_or_created", "-id")
        field = raw.strip().removeprefix("-")
        if field not in self.ordering_fields:
            choices = ", ".join(self.ordering_fields)
            raise ValidationError(
                {self.ordering_param: [f"Order by one of {choices}, with - for descending."]}
            )
        key = self.SORT_KEYS.get(field, field)
        return (f"-{key}", "-id") if raw.strip().startswith("-") else (key, "id")


class ImageFilter(KnownParameters, django_filters.FilterSet):
    source = SlugsFilter(
        queryset=Source.objects.all(),
        field_name="source__slug",
        help_text="Pictures supplied by the source with this slug; repeat for any of several.",
    )
    place = SlugsFilter(
        queryset=Place.objects.all(),
        field_name="place__slug",
        help_text="Pictures taken at the place with this slug; repeat for any of several.",
    )
    uploaded_since = AwareDateTimeFilter(
        field_name="uploaded_at", lookup_expr="gte", help_text="ISO 8601 with a time zone."
    )
    updated_since = AwareDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Pictures added or described again at or after this moment (ISO 8601).",
    )
    search = django_filters.CharFilter(
        method="filter_search", help_text="Words in the caption, alt text, credit or source."
    )

    def filter_search(self, queryset, name, text):
        return queryset.search(text) if text.strip() else queryset
