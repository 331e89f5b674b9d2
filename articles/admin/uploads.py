"""Pictures into the library from the desk: several files at once, each through the one
way a picture comes in (``pictures.read`` and ``pictures.upload``), each with its result."""

from dataclasses import dataclass, replace

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from articles import pictures
from articles.models import Image

NEW, HELD, REFUSED = "new", "held", "refused"


class PictureFilesInput(forms.FileInput):
    allow_multiple_selected = True


class PictureFilesField(forms.Field):
    """Several files, kept as they came: each is judged by its content on upload, so a
    file that is not a picture is a refusal among the results, not an error of the form."""

    widget = PictureFilesInput(attrs={"accept": "image/*"})

    def to_python(self, value):
        return list(value or [])


class UploadForm(forms.Form):
    files = PictureFilesField(
        label="Pictures",
        required=False,
        help_text=(
            f"JPEG, PNG, WebP, AVIF or GIF, several at once, each up to "
            f"{settings.IMAGE_MAX_BYTES // (1024 * 1024)} MB. A picture already in the "
            "library is not stored twice."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise ValidationError("Choose pictures to upload, or drop them here.", code="empty")
        return files


@dataclass(frozen=True)
class UploadResult:
    """What became of one file: a new picture, one already held, or refused and why."""

    name: str  # as sent: shown (escaped), never used as a path
    outcome: str  # NEW, HELD or REFUSED
    message: str = ""
    image_id: int | None = None
    image: Image | None = None


def upload_each(files, *, by):
    """Each file into the library on its own: a refused one stops no other."""
    results = []
    for file in files:
        try:
            image, created = pictures.upload(pictures.read(file), by=by, name=file.name)
        except pictures.Refused as refusal:
            results.append(UploadResult(file.name, REFUSED, str(refusal)))
        else:
            results.append(UploadResult(file.name, NEW if created else HELD, image_id=image.pk))
    # The pictures with their previews, in one read for all of them.
    held = Image.objects.with_thumbnail().in_bulk([r.image_id for r in results if r.image_id])
    return [replace(result, image=held.get(result.image_id)) for result in results]
