"""Worker for `bench/run.py renditions`: the full rendition set of a 24-megapixel JPEG.

Newsroom's generation (``imaging.open_picture`` then ``imaging.render_set``, what an
upload runs before storing) timed over several runs, beside Wagtail's: the same file
through Wagtail's own ``Filter.run`` (Willow on Pillow, what ``get_rendition`` calls)
for each equivalent spec, in a throwaway venv that has Wagtail
(``python3 -m venv /tmp/wagtail-venv && /tmp/wagtail-venv/bin/pip install wagtail``;
``WAGTAIL_PYTHON`` names another interpreter). Both sides write nothing but bytes in
memory: storage is not what is measured.
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from PIL import Image, ImageDraw  # noqa: E402

from articles import imaging  # noqa: E402

SIZE = (6000, 4000)  # 24 megapixels, a current news camera's
RUNS = int(os.environ.get("BENCH_RENDITION_RUNS", "3"))
WAGTAIL_PYTHON = os.environ.get("WAGTAIL_PYTHON", "/tmp/wagtail-venv/bin/python")


def camera_jpeg(seed=24):
    """A 24-megapixel JPEG with a photograph's detail: gradients, hard edges and
    sensor-like noise, drawn from ``seed`` so every run encodes the same pixels."""
    rng = random.Random(seed)
    width, height = SIZE
    red = Image.linear_gradient("L").resize(SIZE)
    green = Image.radial_gradient("L").resize(SIZE)
    blue = Image.linear_gradient("L").rotate(90).resize(SIZE)
    picture = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(picture)
    for _ in range(600):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(20, 900), rng.randrange(20, 900)
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = rng.choice((draw.ellipse, draw.rectangle, draw.line))
        if shape is draw.line:
            draw.line((x, y, x + w, y + h), fill=colour, width=rng.randrange(1, 12))
        else:
            shape((x, y, x + w, y + h), fill=colour)
    noise = Image.frombytes("L", SIZE, rng.randbytes(width * height)).convert("RGB")
    picture = Image.blend(picture, noise, 0.1)
    path = Path(tempfile.mkstemp(prefix="camera-", suffix=".jpg")[1])
    picture.save(path, "JPEG", quality=90)
    return path


def newsroom_set(data):
    picture = imaging.open_picture(data, max_bytes=len(data), max_pixels=10**9)
    return imaging.render_set(picture, focal=(0.5, 0.5), credit="Newsroom", copyright="")


def one_at_a_time(data):
    """The first version's way, kept as the baseline: each rendition resized for each of
    its formats and encoded in turn, on one thread."""
    picture = imaging.open_picture(data, max_bytes=len(data), max_pixels=10**9)
    return [
        imaging.render(picture, spec, fmt, credit="Newsroom")
        for spec, formats in imaging.specs_for(picture.image.width)
        for fmt in formats
    ]


def timed(function, data):
    """(wall seconds, CPU seconds of every thread) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    function(data)
    return time.perf_counter() - wall, time.process_time() - cpu


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def main():
    path = camera_jpeg()
    data = path.read_bytes()
    try:
        renditions = newsroom_set(data)  # warm-up, and the count
        one_at_a_time(data)
        # Alternated, so a busy moment on a shared machine falls on both alike.
        now, before = [], []
        for _ in range(RUNS):
            now.append(timed(newsroom_set, data))
            before.append(timed(one_at_a_time, data))
        results = {
            "source": f"{SIZE[0]} × {SIZE[1]} JPEG, {len(data) / 1e6:.1f} MB",
            "renditions": len(renditions),
            "runs": RUNS,
            "newsroom_s": [round(wall, 2) for wall, _ in now],
            "newsroom_median_s": round(median(wall for wall, _ in now), 2),
            "newsroom_cpu_s": round(median(cpu for _, cpu in now), 2),
            "one_at_a_time_s": [round(wall, 2) for wall, _ in before],
            "one_at_a_time_median_s": round(median(wall for wall, _ in before), 2),
            "one_at_a_time_cpu_s": round(median(cpu for _, cpu in before), 2),
            "newsroom_bytes": sum(len(r.data) for r in renditions),
        }
        results.update(wagtail(path))
    finally:
        path.unlink()
    Path(sys.argv[1]).write_text(json.dumps(results))


def wagtail(path):
    """Wagtail's figures for the same file, or why there are none."""
    if not Path(WAGTAIL_PYTHON).exists():
        return {"wagtail": f"not measured: no {WAGTAIL_PYTHON} (see bench/README.md)"}
    specs = [(spec.name, _wagtail_filter(spec), fmts) for spec, fmts in _specs()]
    result = subprocess.run(
        [WAGTAIL_PYTHON, str(ROOT / "bench" / "willow_renditions.py"), str(path), str(RUNS)],
        input=json.dumps({"specs": specs, "quality": _qualities()}),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        return {"wagtail": f"not measured: {result.stderr.strip().splitlines()[-1]}"}
    return json.loads(result.stdout)


def _specs():
    return imaging.specs_for(min(SIZE[0], imaging.LARGEST))


def _wagtail_filter(spec):
    """Wagtail's filter for a Newsroom spec: a width, or a fill (a crop around the focal
    point, then a resize) to the same size."""
    if spec.ratio is None and spec.height is None:
        return f"width-{spec.width}"
    width, height = spec.size_for(*SIZE)
    return f"fill-{width}x{height}"


def _qualities():
    """Newsroom's encoder qualities, given to Wagtail so both make files of one kind."""
    return {fmt: options["quality"] for fmt, options in imaging.ENCODER_OPTIONS.items()}


if __name__ == "__main__":
    main()
