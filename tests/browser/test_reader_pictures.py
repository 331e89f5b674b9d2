"""Pictures on the reader site in a real browser: accessible, and nothing moves as they load.

The renditions are real files (tests.pictures.upload), served by the app at /media/.
"""

import pytest

from articles import reader_html
from tests.browser.conftest import serious_violations
from tests.factories import ArticleFactory
from tests.pictures import photo, upload

# Every picture's box on the page: its width and height attributes, the box it was
# laid out in, and whether the file arrived (a broken image would also keep its box).
BOXES = """() => [...document.querySelectorAll('img')].map(img => {
  const box = img.getBoundingClientRect();
  return {
    src: img.currentSrc, width: img.getAttribute('width'), height: img.getAttribute('height'),
    shownWidth: box.width, shownHeight: box.height, loaded: img.complete && img.naturalWidth > 0,
  };
})"""
# The page's cumulative layout shift so far, as Chromium measures it.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


@pytest.fixture
def pictured(seed):
    """The seed newsroom with three pictured stories, one of them showing a second
    picture in its body."""
    stories = []
    for number, size in enumerate([(640, 360), (480, 360), (400, 400)]):
        lead = upload(photo(size), alt_text=f"A test picture, number {number}", credit="Newsroom")
        stories.append(ArticleFactory(public=True, lead_image=lead, headline=f"Pictured {number}"))
    inline = upload(photo((500, 300)), alt_text="The harbour", caption="The harbour at noon.")
    story = stories[0]
    story.body = f'<p>First.</p><figure data-image="{inline.pk}"></figure><p>Then.</p>'
    story.save()
    reader_html.render(story)
    return stories


def pages(pictured):
    return {"home": "/", "article": pictured[0].get_absolute_url()}


@pytest.mark.parametrize("name", ["home", "article"])
def test_no_serious_accessibility_violations(axe_page, pictured, name):
    axe_page.goto(pages(pictured)[name])
    serious = serious_violations(axe_page)
    assert not serious, "\n".join(serious)


@pytest.mark.parametrize("name", ["home", "article"])
@pytest.mark.parametrize("width", [360, 1280])
def test_pictures_keep_their_shape_and_nothing_shifts(new_context, pictured, name, width):
    context = new_context(viewport={"width": width, "height": 4000})
    page = context.new_page()
    page.goto(pages(pictured)[name])
    # Lazy pictures load after the page's load event: wait for every file to arrive. Polled
    # from here: wait_for_function's in-page polling is an eval, which the site's CSP refuses.
    for _ in range(100):
        if page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)"):
            break
        page.wait_for_timeout(100)

    boxes = page.evaluate(BOXES)

    # The home shows each picture twice: on the front (the lead, two top stories) and
    # in the latest list below it.
    assert len(boxes) == (2 if name == "article" else 6)
    for box in boxes:
        assert box["width"] and box["height"], box
        assert box["loaded"], box
        declared = int(box["width"]) / int(box["height"])
        assert box["shownHeight"] > 0
        assert abs(box["shownWidth"] / box["shownHeight"] - declared) < 0.02, box
        assert box["shownWidth"] <= width
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
