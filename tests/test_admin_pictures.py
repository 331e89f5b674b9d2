"""The desk's pictures in the admin: the library, uploads, a picture's form and focal
point, deletion that says what loses the picture, the chooser on the article and entity
forms, and the body editor's picture search. Browser behaviour is in
tests/browser/test_admin_pictures.py."""

import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import history
from articles.admin.images import CHOICES_SHOWN
from articles.models import Image, Person, Rendition, Status
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
)
from tests.helpers import change_url
from tests.pictures import photo, upload, xmp_packet
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

LIBRARY = reverse("admin:articles_image_changelist")
UPLOAD = reverse("admin:articles_image_upload")
CHOICES = reverse("admin:articles_image_choices")
SMALL = (400, 300)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def image_url(image, action="change"):
    return reverse(f"admin:articles_image_{action}", args=[image.pk])


def jpeg(name, *, colour=(30, 90, 160), **options):
    return SimpleUploadedFile(name, photo(SMALL, colour=colour, **options), "image/jpeg")


def description_data(image, **changes):
    """What the picture's form posts for ``image`` as stored, with ``changes``."""
    image = Image.objects.get(pk=image.pk)
    data = {
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "copyright": image.copyright,
        "source": image.source_id or "",
        "place": image.place_id or "",
        "taken_at_0": "",
        "taken_at_1": "",
        "focal_x": image.focal_x,
        "focal_y": image.focal_y,
    }
    data.update(changes)
    return data


def rows_of(response):
    return response.context["cl"].result_list


class TestTheLibrary:
    @pytest.mark.parametrize("rows", [3, 30])
    def test_queries_are_fixed_whatever_the_pictures(
        self, editor, django_assert_max_num_queries, rows
    ):
        source = SourceFactory()
        for image in ImageFactory.create_batch(rows, source=source):
            ArticleFactory(lead_image=image)
        client = client_for(editor)
        with django_assert_max_num_queries(10):
            response = client.get(LIBRARY)
        assert response.status_code == 200
        assert len(rows_of(response)) == rows
        assert response.content.decode().count('class="picture-thumbnail"') == rows

    def test_each_row_has_its_thumbnail_use_and_whether_it_is_described(self, editor):
        shown = ImageFactory(caption="Ministers meet in Baku", credit="Jane Doe")
        bare = ImageFactory(alt_text="", caption="Undescribed")
        ArticleFactory(lead_image=shown)
        ArticleFactory(body=f'<figure data-image="{shown.pk}"><figcaption>x</figcaption></figure>')

        page = client_for(editor).get(LIBRARY).content.decode()

        thumb = Rendition.objects.get(image=shown, spec="w320", format="jpeg")
        assert (
            f'<img src="{thumb.url}" width="{thumb.width}" height="{thumb.height}" '
            f'alt="{shown.alt_text}" loading="lazy" class="picture-thumbnail">'
        ) in page
        assert "Ministers meet in Baku" in page
        assert "2 stories" in page
        assert "0 stories" in page
        row = re.search(r"<tr>.*?Undescribed.*?</tr>", page, re.S).group(0)
        assert 'alt="False"' in row  # the admin's boolean icon: no alt text
        assert bare.pk

    def test_a_narrow_picture_has_its_own_width_as_thumbnail(self, editor):
        ImageFactory(width=200, height=100)
        page = client_for(editor).get(LIBRARY).content.decode()
        assert re.search(r'<img src="[^"]*/w200\.jpeg" width="200" height="100"', page)

    @pytest.mark.parametrize(
        "term, expected",
        [
            ("Ganja", ["In Ganja"]),
            ("jane doe", ["In Ganja"]),
            ("Trend", ["From Trend"]),
            ("2026-05-01", ["Taken on the day"]),
            ("2026-02-30", []),  # a date's shape but no day: searched as words
            ("' OR 1=1 --", []),
            ("<script>", []),
        ],
    )
    def test_search_by_caption_credit_source_and_date(self, editor, term, expected):
        ImageFactory(caption="In Ganja", credit="Jane Doe")
        ImageFactory(caption="From Trend", credit="", source=SourceFactory(name="Trend"))
        ImageFactory(
            caption="Taken on the day",
            credit="",
            taken_at=timezone.make_aware(timezone.datetime(2026, 5, 1, 12)),
        )
        response = client_for(editor).get(LIBRARY, {"q": term})
        assert response.status_code == 200
        assert [image.caption for image in rows_of(response)] == expected
        assert "&lt;script&gt;" in response.content.decode() or term != "<script>"

    def test_filters_by_alt_text_source_and_format(self, editor):
        trend = SourceFactory(name="Trend")
        ImageFactory(alt_text="", caption="Bare")
        ImageFactory(caption="Trend's", source=trend, format="png")
        client = client_for(editor)

        def captions(**query):
            return sorted(image.caption for image in rows_of(client.get(LIBRARY, query)))

        assert captions(alt_text="missing") == ["Bare"]
        assert captions(alt_text="given") == ["Trend's"]
        assert captions(source=trend.pk) == ["Trend's"]
        assert captions(format="png") == ["Trend's"]
        assert client.get(LIBRARY, {"source": "x' OR 1"}).status_code == 200

    def test_the_library_links_to_the_upload_page_and_add_leads_there(self, reporter):
        client = client_for(reporter)
        page = client.get(LIBRARY).content.decode()
        assert f'href="{UPLOAD}"' in page
        response = client.get(reverse("admin:articles_image_add"))
        assert response.status_code == 302
        assert response["Location"] == UPLOAD

    def test_every_desk_page_links_the_upload_page_for_who_may_upload(self, reporter, db):
        header = client_for(reporter).get(reverse("admin:index")).text.split('id="user-tools"')[1]
        assert f'href="{UPLOAD}">Upload pictures</a>' in header.split("</div>")[0]
        reporter.groups.clear()
        reporter.user_permissions.add(Permission.objects.get(codename="view_source"))
        assert "Upload pictures" not in client_for(reporter).get(reverse("admin:index")).text

    def test_anonymous_visitors_are_sent_to_sign_in(self, client):
        for url in (LIBRARY, UPLOAD, CHOICES):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))


class TestUpload:
    def test_the_form_is_a_multiple_file_input_for_pictures(self, reporter):
        page = client_for(reporter).get(UPLOAD).content.decode()
        field = re.search(r'<input type="file"[^>]*>', page).group(0)
        assert 'name="files"' in field and "multiple" in field and 'accept="image/*"' in field
        assert "data-drop-zone" in page
        assert re.search(r'<script src="/static/desk/pictures\.js"[^>]* defer>', page)
        assert "<script>" not in page  # nothing inline: the Content-Security-Policy is strict

    def test_each_file_gets_its_result_at_once(self, reporter):
        held = upload(photo(SMALL, colour=(1, 2, 3)))
        response = client_for(reporter).post(
            UPLOAD,
            {
                "files": [
                    jpeg("new.jpg", xmp=xmp_packet(description="Talks in Baku", creator="Ann")),
                    SimpleUploadedFile("again.jpg", photo(SMALL, colour=(1, 2, 3))),
                    SimpleUploadedFile("notes.jpg", b"not a picture at all"),
                    SimpleUploadedFile("drawing.svg", b"<svg onload='alert(1)'/>"),
                ]
            },
        )

        assert response.status_code == 200
        results = response.context["results"]
        assert [(r.name, r.outcome) for r in results] == [
            ("new.jpg", "new"),
            ("again.jpg", "held"),
            ("notes.jpg", "refused"),
            ("drawing.svg", "refused"),
        ]
        new = Image.objects.get(original_name="new.jpg")
        assert new.caption == "Talks in Baku" and new.credit == "Ann"
        assert new.uploaded_by == response.wsgi_request.user
        assert results[1].image == held
        assert "not a picture" in results[2].message
        page = response.content.decode()
        assert f'href="{image_url(new)}"' in page
        assert "New picture" in page and "Already in the library" in page
        assert "Refused: This is not a picture" in page
        assert Image.objects.count() == 2  # the refused stored nothing

    @pytest.mark.parametrize(
        "name, shown",
        [
            ('"><script>.jpg', "&quot;&gt;&lt;script&gt;.jpg"),
            ("<img src=x onerror=alert(1)>.jpg", "&lt;img src=x onerror=alert(1)&gt;.jpg"),
            ("../../x.jpg", "x.jpg"),
            ("..\\..\\evil.jpg", "evil.jpg"),
        ],
    )
    def test_hostile_names_are_shown_escaped_and_never_become_paths(
        self, reporter, media_root, name, shown
    ):
        response = client_for(reporter).post(UPLOAD, {"files": [jpeg(name)]})

        page = response.content.decode()
        assert "<script>.jpg" not in page and "<img src=x" not in page
        cell = re.search(r'<td class="upload-name">(.*?)</td>', page).group(1)
        assert shown in cell
        image = Image.objects.get()
        assert image.file.name.startswith(
            f"originals/{image.content_hash[:2]}/{image.content_hash}"
        )
        assert "/" not in image.original_name and "\\" not in image.original_name
        stored = [path for path in media_root.rglob("*") if path.is_file()]
        assert stored and all(path.is_relative_to(media_root) for path in stored)
        assert not any("x.jpg" in path.name or "evil" in path.name for path in stored)

    def test_more_files_than_a_request_may_carry_are_refused_whole(self, reporter, settings):
        settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
        files = [jpeg(f"{n}.jpg", colour=(n, n, n)) for n in range(3)]
        response = client_for(reporter).post(UPLOAD, {"files": files})
        assert response.status_code == 400
        assert not Image.objects.exists()

    def test_nothing_chosen_is_a_clear_error(self, reporter):
        response = client_for(reporter).post(UPLOAD, {})
        assert response.status_code == 200
        assert "Choose pictures to upload" in response.content.decode()

    def test_a_file_over_the_limit_is_refused_with_its_size(self, reporter, settings):
        settings.IMAGE_MAX_BYTES = 1000
        response = client_for(reporter).post(UPLOAD, {"files": [jpeg("big.jpg")]})
        (result,) = response.context["results"]
        assert result.outcome == "refused" and "limit is 1,000" in result.message
        assert not Image.objects.exists()

    def test_who_may_not_add_pictures_may_not_upload(self, reporter):
        reporter.groups.clear()
        reporter.user_permissions.add(Permission.objects.get(codename="view_image"))
        response = client_for(reporter).post(UPLOAD, {"files": [jpeg("a.jpg")]})
        assert response.status_code == 403
        assert not Image.objects.exists()


class TestThePictureForm:
    def test_it_shows_the_picker_crops_what_the_file_said_and_where_it_is_used(self, reporter):
        image = upload(
            photo(SMALL, xmp=xmp_packet(description="Talks &lt;b&gt;in Baku", City="Baku")),
            by=reporter,
        )
        story = ArticleFactory(headline="Talks <em>resume</em>", lead_image=image)

        response = client_for(reporter).get(image_url(image))

        assert response.status_code == 200
        page = response.content.decode()
        assert "data-focal-picker" in page and 'class="focal-marker" hidden' in page
        assert 'name="focal_x"' in page and 'name="focal_y"' in page
        for crop in ("16x9", "4x3", "1x1"):
            rendition = image.renditions.get(spec=f"{crop}-400", format="jpeg")
            assert f'src="{rendition.url}"' in page
        assert "Required to publish a story that shows this picture" in page
        assert "Talks &lt;b&gt;in Baku" in page  # what the file said, as text
        assert "<dt>city</dt><dd>Baku</dd>" in page
        assert f'<a href="{change_url(story)}">Talks &lt;em&gt;resume&lt;/em&gt;</a>' in page
        assert "1 story" in page

    def test_a_reporter_describes_a_picture_through_the_service(self, reporter):
        image = upload(photo(SMALL), by=reporter)
        place, source = PlaceFactory(), SourceFactory()
        crops_before = set(image.renditions.values_list("file", flat=True))

        response = client_for(reporter).post(
            image_url(image),
            description_data(
                image,
                alt_text="<script>alert(1)</script> A minister at a lectern",
                caption="The minister speaks.",
                credit="Ann Lee",
                source=source.pk,
                place=place.pk,
            ),
        )

        assert response.status_code == 302, response.context["adminform"].form.errors
        image.refresh_from_db()
        assert image.alt_text == "<script>alert(1)</script> A minister at a lectern"
        assert (image.caption, image.credit, image.source, image.place) == (
            "The minister speaks.",
            "Ann Lee",
            source,
            place,
        )
        # No focal point moved: the renditions are those made on upload.
        assert set(image.renditions.values_list("file", flat=True)) == crops_before
        page = client_for(reporter).get(image_url(image)).content.decode()
        assert "<script>alert(1)</script>" not in page

    def test_a_moved_focal_point_remakes_the_crops(self, reporter, media_root):
        image = upload(photo((600, 300)), by=reporter)
        before = dict(image.renditions.filter(format="jpeg").values_list("spec", "file"))

        response = client_for(reporter).post(
            image_url(image), description_data(image, focal_x="0.1", focal_y="0.9")
        )

        assert response.status_code == 302
        image.refresh_from_db()
        assert (image.focal_x, image.focal_y) == (0.1, 0.9)
        after = dict(image.renditions.filter(format="jpeg").values_list("spec", "file"))
        assert after["1x1-400"] != before["1x1-400"]  # cropped around the new point
        assert after["w320"] == before["w320"]  # a width rendition is not cropped
        assert not default_storage.exists(before["1x1-400"])  # the old crop is gone
        assert default_storage.exists(after["1x1-400"])

    @pytest.mark.parametrize("value", ["-0.1", "1.5", "abc", "", "1e309"])
    def test_a_focal_point_outside_the_picture_is_refused(self, reporter, value):
        image = ImageFactory()
        response = client_for(reporter).post(
            image_url(image), description_data(image, focal_x=value)
        )
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["focal_x"]
        image.refresh_from_db()
        assert image.focal_x == 0.5

    def test_too_long_an_alt_text_is_refused(self, reporter):
        image = ImageFactory()
        response = client_for(reporter).post(
            image_url(image), description_data(image, alt_text="x" * 301)
        )
        assert response.context["adminform"].form.errors["alt_text"]


class TestDeleting:
    def test_the_confirmation_says_which_stories_and_entities_lose_the_picture(self, editor):
        image = ImageFactory()
        lead = ArticleFactory(headline="With it as lead", lead_image=image)
        inline = ArticleFactory(
            headline="<b>With it</b> in the body",
            body=f'<figure data-image="{image.pk}"><figcaption>x</figcaption></figure>',
        )
        ArticleFactory(headline="Without it")
        person = PersonFactory(name="Ann Portrait", image=image)

        page = client_for(editor).get(image_url(image, "delete")).content.decode()

        section = re.search(r'<section[^>]*id="picture-losing".*?</section>', page, re.S).group(0)
        assert "This picture is in use" in section
        assert f'<a href="{change_url(lead)}">With it as lead</a>' in section
        assert (
            f'<a href="{change_url(inline)}">&lt;b&gt;With it&lt;/b&gt; in the body</a>' in section
        )
        assert "Without it" not in section
        assert reverse("admin:articles_person_change", args=[person.pk]) in section
        assert "Yes, I’m sure" in page

    def test_an_unused_picture_has_no_warning(self, editor):
        page = client_for(editor).get(image_url(ImageFactory(), "delete")).content.decode()
        assert "picture-losing" not in page

    def test_deleting_removes_the_picture_its_files_and_the_stories_lose_it(
        self, editor, django_capture_on_commit_callbacks
    ):
        image = upload(photo(SMALL))
        names = [image.file.name, *image.renditions.values_list("file", flat=True)]
        story = ArticleFactory(lead_image=image)
        person = PersonFactory(image=image)
        assert all(default_storage.exists(name) for name in names)

        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(editor).post(image_url(image, "delete"), {"post": "yes"})

        assert response.status_code == 302
        assert not Image.objects.exists() and not Rendition.objects.exists()
        assert not any(default_storage.exists(name) for name in names)
        story.refresh_from_db()
        assert story.lead_image is None and not story.images.exists()
        assert Person.objects.get(pk=person.pk).image is None

    def test_the_bulk_action_confirms_with_the_stories_first(
        self, editor, django_capture_on_commit_callbacks
    ):
        first, second, unused = ImageFactory(), ImageFactory(), ImageFactory()
        ArticleFactory(headline="Shows the first", lead_image=first)
        ArticleFactory(headline="Shows the second", lead_image=second)
        client = client_for(editor)
        chosen = {"action": "delete_selected", "_selected_action": [first.pk, second.pk]}

        response = client.post(LIBRARY, chosen)

        page = response.content.decode()
        assert response.status_code == 200
        section = re.search(r'<section[^>]*id="picture-losing".*?</section>', page, re.S).group(0)
        assert "These pictures are in use" in section
        assert "Shows the first" in section and "Shows the second" in section
        assert Image.objects.count() == 3  # nothing deleted before the editor confirms

        with django_capture_on_commit_callbacks(execute=True):
            client.post(LIBRARY, {**chosen, "post": "yes"})
        assert list(Image.objects.all()) == [unused]

    def test_a_reporter_may_not_delete(self, reporter):
        image = ImageFactory()
        client = client_for(reporter)
        assert client.get(image_url(image, "delete")).status_code == 403
        assert client.post(image_url(image, "delete"), {"post": "yes"}).status_code == 403
        response = client.post(
            LIBRARY, {"action": "delete_selected", "_selected_action": [image.pk], "post": "yes"}
        )
        assert Image.objects.filter(pk=image.pk).exists()
        assert response.status_code in (200, 302)


class TestTheChooser:
    def test_the_article_form_chooses_the_lead_picture_with_a_preview(self, editor):
        image = ImageFactory(alt_text="A <crowd> in the square", credit="Jane Doe")
        story = ArticleFactory(lead_image=image)

        page = client_for(editor).get(change_url(story)).content.decode()

        select = re.search(r'<select name="lead_image"[^>]*>', page).group(0)
        assert "admin-autocomplete" in select
        assert 'data-field-name="lead_image"' in select
        preview = re.search(r'<div class="picture-preview".*?</div>', page, re.S).group(0)
        thumb = Rendition.objects.get(image=image, spec="w320", format="jpeg")
        assert f'src="{thumb.url}"' in preview
        assert 'alt="A &lt;crowd&gt; in the square"' in preview
        assert f'data-choices-url="{CHOICES}"' in preview
        assert "/static/desk/pictures.js" in page

    def test_choosing_a_lead_picture_saves_it_and_counts_the_use(self, editor):
        image = ImageFactory()
        story = ArticleFactory()

        response = client_for(editor).post(change_url(story), form_data(story, lead_image=image.pk))

        assert response.status_code == 302
        story.refresh_from_db()
        assert story.lead_image == image
        assert list(story.images.all()) == [image]
        assert "lead picture" in history.versions_of(story).first().revision.comment

    def test_publishing_with_an_undescribed_lead_picture_is_a_form_error(self, editor):
        bare = ImageFactory(alt_text="")
        story = ArticleFactory()

        response = client_for(editor).post(
            change_url(story), form_data(story, lead_image=bare.pk, _workflow="publish")
        )

        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert "has no alt text" in " ".join(errors["lead_image"])
        page = response.content.decode()
        assert "has no alt text" in page
        story.refresh_from_db()
        assert story.status == Status.DRAFT and story.lead_image is None

    def test_publishing_with_an_undescribed_body_picture_is_a_form_error(self, editor):
        bare = ImageFactory(alt_text="")
        story = ArticleFactory()

        body = f'<p>Text.</p>\n<figure data-image="{bare.pk}">\n</figure>'
        response = client_for(editor).post(
            change_url(story), form_data(story, body=body, _workflow="publish")
        )

        assert response.status_code == 200
        assert "has no alt text" in " ".join(response.context["adminform"].form.errors["body"])

    @pytest.mark.parametrize("model", ["person", "place", "source", "author"])
    def test_every_entity_chooses_its_picture_with_a_preview(self, editor, model):
        page = client_for(editor).get(reverse(f"admin:articles_{model}_add")).content.decode()
        select = re.search(r'<select name="image"[^>]*>', page).group(0)
        assert "admin-autocomplete" in select
        assert 'class="picture-preview"' in page

    def test_the_autocomplete_searches_the_library(self, editor):
        ImageFactory(alt_text="A lectern", caption="The minister speaks", credit="Ann Lee")
        ImageFactory(alt_text="A field", caption="Harvest", credit="Bob")
        client = client_for(editor)

        def labels(term):
            response = client.get(
                reverse("admin:autocomplete"),
                {
                    "term": term,
                    "app_label": "articles",
                    "model_name": "article",
                    "field_name": "lead_image",
                },
            )
            assert response.status_code == 200
            return [result["text"] for result in response.json()["results"]]

        assert labels("lectern") == ["The minister speaks"]
        assert labels("ann lee") == ["The minister speaks"]
        assert labels("harvest") == ["Harvest"]


class TestChoices:
    def test_a_search_gives_what_the_dialog_and_the_chooser_show(self, reporter):
        source = SourceFactory(name="Trend")
        image = ImageFactory(caption="Talks in Baku", credit="Jane Doe", source=source)
        ImageFactory(caption="Harvest", credit="Bob")

        response = client_for(reporter).get(CHOICES, {"term": "baku"})

        thumb = Rendition.objects.get(image=image, spec="w320", format="jpeg")
        assert response.json() == {
            "results": [
                {
                    "id": image.pk,
                    "label": "Talks in Baku",
                    "alt_text": image.alt_text,
                    "credit_line": "Jane Doe / Trend",
                    "caption": "Talks in Baku — Jane Doe / Trend",
                    "thumbnail": {"url": thumb.url, "width": thumb.width, "height": thumb.height},
                    "url": image_url(image),
                }
            ]
        }

    def test_one_picture_by_id_and_the_newest_without_a_term(self, reporter):
        images = ImageFactory.create_batch(CHOICES_SHOWN + 2)
        client = client_for(reporter)
        assert [r["id"] for r in client.get(CHOICES, {"id": images[0].pk}).json()["results"]] == [
            images[0].pk
        ]
        newest = client.get(CHOICES).json()["results"]
        assert len(newest) == CHOICES_SHOWN
        assert newest[0]["id"] == images[-1].pk

    @pytest.mark.parametrize("rows", [3, 30])
    def test_queries_are_fixed(self, reporter, django_assert_max_num_queries, rows):
        ImageFactory.create_batch(rows, source=SourceFactory())
        client = client_for(reporter)
        with django_assert_max_num_queries(6):
            response = client.get(CHOICES, {"term": "crowd"})
        assert len(response.json()["results"]) == min(rows, CHOICES_SHOWN)

    @pytest.mark.parametrize(
        "query", [{"id": "x"}, {"id": "-1"}, {"term": "x" * 301}, {"term": "a\x00b"}]
    )
    def test_bad_input_is_a_400_with_the_reason(self, reporter, query):
        response = client_for(reporter).get(CHOICES, query)
        assert response.status_code == 400
        assert response.json()["errors"]

    def test_hostile_text_comes_back_as_json_text(self, reporter):
        ImageFactory(caption='"><script>alert(1)</script>', credit="")
        response = client_for(reporter).get(CHOICES, {"term": "script"})
        assert response["Content-Type"] == "application/json"
        assert response.json()["results"][0]["caption"] == '"><script>alert(1)</script>'

    def test_the_body_editor_knows_where_to_search(self, reporter):
        page = client_for(reporter).get(reverse("admin:articles_article_add")).content.decode()
        textarea = re.search(r'<textarea name="body"[^>]*>', page).group(0)
        assert f'data-picture-choices="{html.escape(CHOICES)}"' in textarea

    def test_who_may_not_view_pictures_gets_a_403(self, roles):
        from tests.factories import UserFactory

        stranger = UserFactory(is_staff=True)
        assert client_for(stranger).get(CHOICES).status_code == 403
