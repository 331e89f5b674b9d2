"""Wagtail's side of `bench/run.py renditions`, run by an interpreter that has Wagtail.

`python willow_renditions.py PICTURE RUNS`, with the specs on standard input as JSON
({"specs": [[name, wagtail_filter, [formats]]], "quality": {format: quality}}). Each
rendition goes through Wagtail's own ``Filter.run``, as ``Image.get_rendition`` does:
open the original, orient, crop, resize, encode. Prints its figures as JSON.
"""

import io
import json
import sys
import time
from pathlib import Path

import django
from django.conf import settings

picture, runs = Path(sys.argv[1]), int(sys.argv[2])
request = json.load(sys.stdin)
settings.configure(
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "taggit",
        "wagtail",
        "wagtail.images",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    MEDIA_ROOT=str(picture.parent),
    STATIC_URL="/static/",
    WAGTAILIMAGES_JPEG_QUALITY=request["quality"]["jpeg"],
    WAGTAILIMAGES_WEBP_QUALITY=request["quality"]["webp"],
    WAGTAILIMAGES_AVIF_QUALITY=request["quality"]["avif"],
    USE_TZ=True,
)
django.setup()

from wagtail.images.models import Filter, Image  # noqa: E402

FORMAT = {"jpeg": "jpeg", "webp": "webp", "avif": "avif"}


def rendition_set():
    image = Image(title="bench", file=picture.name, width=6000, height=4000, collection_id=1)
    made = 0
    for _name, spec, formats in request["specs"]:
        for fmt in formats:
            output = io.BytesIO()
            Filter(spec=f"{spec}|format-{FORMAT[fmt]}").run(image, output)
            made += len(output.getvalue())
    return made


rendition_set()  # warm-up, as on Newsroom's side
times, cpu = [], []
for _ in range(runs):
    start, start_cpu = time.perf_counter(), time.process_time()
    total = rendition_set()
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
cpu.sort()
import wagtail  # noqa: E402
import willow  # noqa: E402

json.dump(
    {
        "wagtail_version": f"Wagtail {wagtail.__version__}, Willow {willow.__version__}",
        "wagtail_s": [round(t, 2) for t in times],
        "wagtail_median_s": round(sorted(times)[len(times) // 2], 2),
        "wagtail_cpu_s": round(cpu[len(cpu) // 2], 2),
        "wagtail_bytes": total,
    },
    sys.stdout,
)
