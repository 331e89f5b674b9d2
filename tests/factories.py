"""Small factory_boy factories for the newsroom's models."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles import imaging
from articles.models import (
    Article,
    Author,
    Image,
    Person,
    Place,
    PlaceKind,
    Rendition,
    Section,
    SitePage,
    Source,
    SourceKind,
    Status,
    WireItem,
    WireOutcome,
)

PASSWORD = "correct horse battery staple"  # every factory user's


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.test")
    password = factory.django.Password(PASSWORD)


def staff(username, role):
    """A desk user in one of the roles the migrations create (Editor, Reporter)."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = SourceKind.AGENCY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person Number{n}")
    title = "Spokesperson"


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Writer Number{n}")
    title = "Staff writer"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(lambda n: n)


class SitePageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SitePage

    title = factory.Sequence(lambda n: f"Site page {n}")
    body = "<p>What the newsroom says about itself.</p>"
    footer_position = factory.Sequence(lambda n: n)
    published = True


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Place {n}")
    kind = PlaceKind.CITY


class ImageFactory(factory.django.DjangoModelFactory):
    """A library picture as rows only: its renditions named, no files stored (pages and
    the API need their addresses, not their pixels). ``tests.pictures.upload`` stores a
    real one."""

    class Meta:
        model = Image
        skip_postgeneration_save = True

    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    file = factory.LazyAttribute(lambda o: f"originals/{o.content_hash[:2]}/{o.content_hash}.jpeg")
    format = "jpeg"
    width = 3000
    height = 2000
    byte_size = 1_500_000
    alt_text = factory.Sequence(lambda n: f"A crowd in the square, picture {n}")
    caption = "Residents gather in the central square."
    credit = "Jane Doe"
    copyright = "© Agency"

    @factory.post_generation
    def renditions(self, create, extracted, **kwargs):
        if not create:
            return
        rows = []
        for spec, formats in imaging.specs_for(min(self.width, imaging.LARGEST)):
            width, height = spec.size_for(self.width, self.height)
            for fmt in formats:
                name = f"renditions/{self.content_hash[:2]}/{self.content_hash}/{spec.name}.{fmt}"
                rows.append(
                    Rendition(
                        image=self,
                        spec=spec.name,
                        format=fmt,
                        width=width,
                        height=height,
                        byte_size=10_000,
                        file=name,
                    )
                )
        Rendition.objects.bulk_create(rows)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft by default; ``public=True`` makes it published an hour ago."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    class Params:
        public = factory.Trait(
            status=Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
        )

    headline = factory.Sequence(lambda n: f"Story number {n} from the wire")
    summary = "What happened, in a sentence."
    body = "First paragraph of the story.\n\nSecond paragraph of the story."
    byline = "By Agency"
    source = factory.SubFactory(SourceFactory)
    status = Status.DRAFT

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.set(extracted)

    @factory.post_generation
    def people(self, create, extracted, **kwargs):
        if create and extracted:
            self.people.set(extracted)

    @factory.post_generation
    def places(self, create, extracted, **kwargs):
        if create and extracted:
            self.places.set(extracted)

    @factory.post_generation
    def pictures(self, create, extracted, **kwargs):
        # What the editorial service keeps: the pictures the story shows.
        if create and (self.lead_image_id or "<figure" in self.body):
            self.show_pictures()


class WireItemFactory(factory.django.DjangoModelFactory):
    """Copy the wire desk logged as a new draft, for lists of many (the intake makes real ones)."""

    class Meta:
        model = WireItem

    article = factory.SubFactory(ArticleFactory, original_text=factory.SelfAttribute("..text"))
    source = factory.SelfAttribute("article.source")
    format = "text"
    headline = factory.SelfAttribute("article.headline")
    text = factory.Sequence(lambda n: f"By Agency\n\nCopy number {n} as the agency sent it.")
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    origin = "inbox: pasted"
    outcome = WireOutcome.CREATED
