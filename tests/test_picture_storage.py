"""Pictures go through Django's storage API, whichever storage it is: a storage other than
the file system (InMemoryStorage here, standing for S3) holds every file, and the
settings configure django-storages' S3 backend from the MEDIA_* variables."""

import json
import os
import subprocess
import sys

import pytest
from django.core.files.storage import InMemoryStorage, default_storage

from articles import imaging, pictures
from tests.factories import ArticleFactory
from tests.helpers import ROOT
from tests.pictures import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_storage(settings):
    memory = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    settings.STORAGES = {**settings.STORAGES, "default": memory}
    # default_storage is a lazy object that setting_changed resets: the new one now.
    assert isinstance(default_storage, InMemoryStorage)
    return default_storage


def test_an_upload_stores_every_file_in_the_configured_storage(memory_storage, media_root, client):
    image, _ = pictures.upload(photo((400, 300)), by=None, name="photo.jpg")

    assert memory_storage.exists(image.file.name)
    renditions = list(image.renditions.all())
    assert len(renditions) == sum(len(formats) for _, formats in imaging.specs_for(400))
    for rendition in renditions:
        assert memory_storage.exists(rendition.file.name)
        assert memory_storage.size(rendition.file.name) == rendition.byte_size
        assert rendition.url == f"/media/{rendition.file.name}"
        response = client.get(rendition.url)  # the media view reads the same storage
        assert response.status_code == 200
    assert not any(path.is_file() for path in media_root.rglob("*")), "nothing on disk"


def test_a_share_card_is_stored_there_too(memory_storage, media_root):
    url, _, _ = pictures.share_card(ArticleFactory(), site_name="Newsroom")

    name = url.removeprefix("/media/")
    assert name.startswith("cards/") and memory_storage.exists(name)
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_a_regenerated_set_replaces_the_old_files_there(memory_storage):
    image, _ = pictures.upload(photo((400, 300)), by=None)
    before = set(image.renditions.values_list("file", flat=True))

    pictures.set_focal_point(image, 0.1, 0.9, by=None)

    after = set(image.renditions.values_list("file", flat=True))
    assert all(memory_storage.exists(name) for name in after)
    assert not any(memory_storage.exists(name) for name in before - after)


def settings_in_subprocess(**env):
    """newsroom.settings imported afresh with ``env``: (returncode, STORAGES or stderr)."""
    code = (
        "import json, newsroom.settings as s; "
        "print(json.dumps({'default': s.STORAGES['default'], 'url': s.MEDIA_URL}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        return result.returncode, result.stderr
    return 0, json.loads(result.stdout)


S3_ENV = {
    "MEDIA_STORAGE": "s3",
    "MEDIA_BUCKET": "newsroom-media",
    "MEDIA_ENDPOINT_URL": "http://127.0.0.1:9000",
    "MEDIA_REGION": "eu-central-1",
    "MEDIA_ACCESS_KEY_ID": "key-id",
    "MEDIA_SECRET_ACCESS_KEY": "secret",
    "MEDIA_CUSTOM_DOMAIN": "media.example.org",
    "MEDIA_URL": "https://media.example.org/",
}


def test_s3_settings_configure_django_storages():
    code, configured = settings_in_subprocess(**S3_ENV)

    assert code == 0, configured
    default = configured["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "newsroom-media",
        "endpoint_url": "http://127.0.0.1:9000",
        "region_name": "eu-central-1",
        "access_key": "key-id",
        "secret_key": "secret",
        "custom_domain": "media.example.org",
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        "file_overwrite": False,
        "querystring_auth": False,
        "default_acl": None,
    }
    assert configured["url"] == "https://media.example.org/"


def test_the_s3_options_are_ones_django_storages_takes():
    from storages.backends.s3 import S3Storage

    _, configured = settings_in_subprocess(**S3_ENV)

    # S3Storage refuses an option it does not know; making one opens no connection.
    storage = S3Storage(**configured["default"]["OPTIONS"])
    assert storage.bucket_name == "newsroom-media"
    assert storage.url("renditions/ab/x.jpg") == "https://media.example.org/renditions/ab/x.jpg"


def test_s3_without_a_bucket_fails_clearly():
    code, error = settings_in_subprocess(MEDIA_STORAGE="s3")

    assert code != 0
    assert "MEDIA_STORAGE=s3 needs MEDIA_BUCKET" in error


@pytest.mark.parametrize("value", ["S3", "gcs", "", "filesystem "])
def test_an_unknown_media_storage_fails_clearly(value):
    code, error = settings_in_subprocess(MEDIA_STORAGE=value)

    assert code != 0
    assert "MEDIA_STORAGE is filesystem or s3" in error


def test_the_default_is_the_file_system():
    code, configured = settings_in_subprocess()

    assert code == 0
    assert configured["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert configured["url"] == "/media/"
