"""Public pages. Thin: pick a QuerySet built on ``Article.objects.public()``, render.

Lists page without counting the table (``UncountedPage``): on an archive of a
million stories a COUNT(*) per page view is the slow part, and readers only
need newer and older.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from articles import front_page, kinds, pictures, reader_html, search, structured_data
from articles.models import Article, Correction, SitePage


@dataclass
class UncountedPage:
    """One page of rows, knowing only whether another page follows."""

    object_list: list
    number: int
    has_next: bool
    query: object  # the request's QueryDict, to keep filters in page links

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_previous() or self.has_next

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1

    def url_for(self, number):
        query = self.query.copy()
        query["page"] = number
        return f"?{query.urlencode()}"

    @property
    def previous_url(self):
        return self.url_for(self.number - 1)

    @property
    def next_url(self):
        return self.url_for(self.number + 1)


# ASCII digits, as many as a 64-bit number has: str.isdigit() takes "²", which int()
# refuses, and int() refuses a number of over 4,300 digits.
PAGE_NUMBER = re.compile(r"[0-9]{1,19}")
# OFFSET is a signed 64-bit integer on both databases: a page beyond it cannot exist.
MAX_OFFSET = 2**63 - 1


def canonical_url(request):
    """The page's own absolute address, with only the query parameters it reads
    (page_cache.cached_page passes it no others): ``?page=2`` stays, ``?utm=`` goes."""
    query = request.GET.urlencode()
    return request.build_absolute_uri(f"{request.path}?{query}" if query else request.path)


class UncountedListView(ListView):
    """A ListView whose pages cost the same at page 1 of 10 stories or of a million."""

    paginate_by = 20
    # The query parameters the page reads; no others reach it (page_cache.cached_page).
    query_parameters = ("page",)

    def paginate_queryset(self, queryset, page_size):
        raw = self.request.GET.get("page", "1")
        if not PAGE_NUMBER.fullmatch(raw) or int(raw) < 1:
            raise Http404("No such page.")
        number = int(raw)
        start = (number - 1) * page_size
        if start + page_size + 1 > MAX_OFFSET:
            raise Http404("No such page.")
        rows = list(queryset[start : start + page_size + 1])
        if not rows and number > 1:
            raise Http404("No such page.")
        page = UncountedPage(rows[:page_size], number, len(rows) > page_size, self.request.GET)
        return None, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        return super().get_context_data(canonical_url=canonical_url(self.request), **kwargs)


class HomeView(UncountedListView):
    """The front (articles/front_page.py) above the latest stories; later pages are the
    latest stories alone, older and older."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        # The first page's latest stories are read with the front's teasers, whose
        # authors and pictures the front reads once for all (front_page.assemble).
        if self.request.GET.get("page", "1") == "1":
            return Article.objects.public().for_front()
        return Article.objects.public().for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        if page.number == 1:
            context["front"] = front_page.assemble(beside=page.object_list)
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if "front" in context:  # kept by the page cache until a pin ends (page_cache)
            response.changes_at = context["front"].changes_at
        return response


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"
    query_parameters = ()

    def get_queryset(self):
        return Article.objects.public().for_detail()

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            return moved_or_missing(Article, kwargs["slug"], Article.objects.public())
        return self.render_to_response(self.get_context_data(object=self.object))

    # How many stories the "Related" list and each "More about" block show.
    RELATED = 5
    MORE_ABOUT = 3

    def get_context_data(self, **kwargs):
        article = self.object
        public = Article.objects.public()
        related = list(public.related_to(article).for_headlines()[: self.RELATED])
        shown = [article.pk, *(story.pk for story in related)]
        more_about = []
        for entity in (article.main_person(), article.main_place()):
            if entity is not None:
                others = public.about(entity).exclude(pk__in=shown).for_headlines()
                more_about.append((entity, list(others[: self.MORE_ABOUT])))
        # Named, not drawn: the card was drawn when the story was saved.
        card = (
            None
            if article.lead_image
            else pictures.share_card_address(article, site_name=settings.SITE_NAME)
        )
        return super().get_context_data(
            related=related,
            # [(the story's main person or place, its other latest stories)]
            more_about=[(entity, stories) for entity, stories in more_about if stories],
            canonical_url=self.request.build_absolute_uri(article.get_absolute_url()),
            jsonld=structured_data.news_article(article, self.request, card=card),
            breadcrumb_jsonld=structured_data.breadcrumbs(article, self.request),
            share_image=structured_data.share_image(article, self.request, card=card),
            **kwargs,
        )


def moved_or_missing(model, slug, visible):
    """301 to an object's new address after an editor changed its slug; else 404.

    Only for what the visitor may see: a draft renamed is the same 404 as a
    slug that never existed.
    """
    moved = model.renamed_from(slug)
    if moved is not None and visible.filter(pk=moved.pk).exists():
        return HttpResponsePermanentRedirect(moved.get_absolute_url())
    raise Http404("No such page.")


class EntityDetailView(UncountedListView):
    """An entity's facts and its public articles, newest first (one view per kind)."""

    context_object_name = "articles"
    kind = None

    def get(self, request, *args, **kwargs):
        entities = self.kind.model.objects.for_page()
        self.entity = entities.filter(slug=kwargs["slug"]).first()
        if self.entity is None:
            return moved_or_missing(self.kind.model, kwargs["slug"], entities)
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        return [self.kind.template_name]

    def get_queryset(self):
        return Article.objects.public().about(self.entity).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            entity=self.entity,
            kind=self.kind,
            feed_url=reverse(self.kind.feed_url_name, args=[self.entity.slug]),
            atom_feed_url=reverse(self.kind.atom_feed_url_name, args=[self.entity.slug]),
            **kwargs,
        )


class EntityIndexView(UncountedListView):
    """Every entity of a kind in its model's order (alphabetical; sections as in the
    navigation), with its number of public stories."""

    paginate_by = 100
    context_object_name = "entities"
    template_name = "articles/entity_index.html"
    kind = None

    def get_queryset(self):
        entities = self.kind.model.objects.in_the_news().with_story_counts()
        return entities.order_by(*self.kind.model._meta.ordering)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.kind.title, **kwargs)


class SearchView(UncountedListView):
    """Full-text search of public stories (articles/search.py), filterable by entity."""

    template_name = "articles/search.html"
    context_object_name = "articles"
    query_parameters = ("q", "page", *(kind.name for kind in kinds.KINDS))

    def get_queryset(self):
        self.query = self.request.GET.get("q", "")
        self.filters = {}
        articles = Article.objects.public().for_listing()
        # ?person=<slug>, ?place=<slug>, ?source=<slug>: one parameter per kind.
        for kind in kinds.KINDS:
            slug = self.request.GET.get(kind.name)
            if slug:
                entity = kind.model.objects.with_slug(slug).first()
                if entity is None:
                    return Article.objects.none()
                self.filters[kind.name] = entity
                articles = articles.about(entity)
        return search.search(articles, self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        return {
            **context,
            "query": self.query,
            "parsed": search.parse_query(self.query),
            "filters": self.filters,
            # search.snippets escapes the text and adds only <mark> around matches.
            "snippets": {
                pk: mark_safe(html)
                for pk, html in (
                    search.snippets(page.object_list, self.query) if page else {}
                ).items()
            },
        }


class CorrectionListView(UncountedListView):
    """The latest public corrections across the site."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = 50

    def get_queryset(self):
        return Correction.objects.public().latest_first()


class SitePageView(DetailView):
    """One of the site's own pages (About, Contact...), at its top-level address."""

    template_name = "articles/site_page.html"
    context_object_name = "page"
    query_parameters = ()

    def get_queryset(self):
        return SitePage.objects.public()

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            return moved_or_missing(SitePage, kwargs["slug"], SitePage.objects.public())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        # reader_html.site_page's output went through rendering.sanitise: the format only.
        body_html = mark_safe(reader_html.site_page(self.object))
        return super().get_context_data(
            body_html=body_html, canonical_url=canonical_url(self.request), **kwargs
        )


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    news = request.build_absolute_uri(reverse("news-sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {sitemap}",
        f"Sitemap: {news}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy", said in the body
        return JsonResponse({"status": "unavailable", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "site": settings.SITE_NAME})


# What readers may fetch from the media storage: renditions and share cards, exactly as
# articles/pictures.py names them. Their names are content-hashed (a changed picture gets
# a new name), so a year's cache is safe and the name is the ETag. The originals stay
# private: they keep the file's own metadata (GPS, camera serials). Only hex digits, spec
# names and one extension can match: no "..", no backslash, no absolute path.
PUBLIC_MEDIA = re.compile(
    r"renditions/[0-9a-f]{2}/(?P<image>[0-9a-f]{64})/[a-z0-9]+(?:-[0-9]+)?\."
    r"(?P<digest>[0-9a-f]{12})\.(?P<ext>avif|webp|jpg)"
    r"|cards/[0-9a-f]{2}/(?P<card>[0-9a-f]{20})\.(?P<card_ext>jpg)",
    re.ASCII,
)
MEDIA_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpg": "image/jpeg"}
IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def media(request, name):
    """A rendition or share card from the media storage, when the app serves MEDIA_URL
    itself (``make run``; in production the web server or the storage's CDN does)."""
    match = PUBLIC_MEDIA.fullmatch(name)
    if match is None:
        raise Http404("No such picture.")
    etag = f'"{match["digest"] or match["card"]}"'
    try:
        file = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such picture.") from None
    if etag in request.headers.get("If-None-Match", ""):
        file.close()
        response = HttpResponse(status=304)
    else:
        content_type = MEDIA_TYPES[match["ext"] or match["card_ext"]]
        response = FileResponse(file, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = IMMUTABLE
    # Never read as anything but the picture it says it is, whatever serves it.
    response["X-Content-Type-Options"] = "nosniff"
    return response
