"""Public pages. Thin: pick a QuerySet built on ``Article.objects.public()``, render."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from articles.models import Article, Correction, Person, Place, Source


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.public().for_listing()


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.public().for_detail().prefetch_related("corrections")


class EntityDetailView(ListView):
    """An entity's facts and its public articles, newest first."""

    paginate_by = 20
    context_object_name = "articles"
    entity_model = None

    def get_queryset(self):
        self.entity = get_object_or_404(self.entity_model, slug=self.kwargs["slug"])
        return self.entity.articles.public().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(entity=self.entity, **kwargs)


class PersonDetailView(EntityDetailView):
    entity_model = Person
    template_name = "articles/person_detail.html"


class PlaceDetailView(EntityDetailView):
    entity_model = Place
    template_name = "articles/place_detail.html"


class SourceDetailView(EntityDetailView):
    entity_model = Source
    template_name = "articles/source_detail.html"


class CorrectionListView(ListView):
    """The latest public corrections across the site."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = 50

    def get_queryset(self):
        return Correction.objects.public().latest_first()
