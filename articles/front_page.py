"""The front page as readers see it: the editors' arrangement, filled by publication time.

``FrontPage`` holds what editors pinned; this reads it against the public
stories at the moment of the request:

- the lead: the pinned lead while its pin holds and the story is public, else the
  newest public story;
- the top stories: the pins in force whose stories are public, in the editors' order,
  then the newest public stories not already shown, up to ``TOP_STORIES``;
- the section blocks: each section's newest public stories not shown above.

A fixed number of queries whatever the number of stories, pins or blocks.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Q, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.utils import timezone

from articles.models import Article, FrontBlock, FrontPage, FrontPin
from articles.models.front import BLOCK_STORIES, TOP_STORIES

FRONT = 1  # the one arrangement's key (FrontPage.current)


@dataclass
class Front:
    lead: Article | None = None
    top: list = field(default_factory=list)
    blocks: list = field(default_factory=list)  # [(section, [stories])]
    changes_at: datetime | None = None  # when the first pin in force ends

    @property
    def stories(self):
        """Every story the front shows, once, in the order it shows them."""
        shown = [self.lead] if self.lead else []
        return [*shown, *self.top, *(story for _, stories in self.blocks for story in stories)]


def assemble(now=None, *, beside=()):
    """The front as it stands at ``now``; ``beside`` are other teasers on its page (read
    with ``for_front``), whose authors and pictures are read with the front's."""
    now = now or timezone.now()
    arrangement = FrontPage.objects.filter(pk=FRONT).values("lead_id", "lead_until").first()
    lead_id, ends = None, []
    if arrangement and arrangement["lead_id"]:
        until = arrangement["lead_until"]
        if until is None or until > now:
            lead_id = arrangement["lead_id"]
            ends.append(until)
    pins = list(
        FrontPin.objects.filter(front_id=FRONT).shown(now).values_list("article_id", "until")
    )
    pinned = [pk for pk, _ in pins]
    ends += [until for _, until in pins]
    wanted = [pk for pk in [lead_id, *pinned] if pk is not None]
    public = Article.objects.public()
    newest = public.exclude(pk__in=wanted).newest_first().values("pk")[: TOP_STORIES + 1]
    found = {
        story.pk: story for story in public.for_front().filter(Q(pk__in=wanted) | Q(pk__in=newest))
    }
    # The pinned lead if public (a scheduled lead is not yet: the newest leads until then).
    lead = found.pop(lead_id, None)
    top = [found.pop(pk) for pk in pinned if pk in found]
    rest = sorted(found.values(), key=lambda story: (story.published_at, story.pk), reverse=True)
    if lead is None and rest:
        lead = rest.pop(0)
    top += rest[: max(0, TOP_STORIES - len(top))]
    # A pin in force ends by itself: the front changes then, with no edit.
    changes_at = min((end for end in ends if end is not None), default=None)
    front = Front(lead=lead, top=top[:TOP_STORIES], changes_at=changes_at)
    front.blocks = _blocks(now, exclude=[story.pk for story in front.stories])
    # Every list's authors and pictures in one query each, whatever the number of lists.
    prefetch_related_objects([*front.stories, *beside], *Article.objects.front_prefetches())
    return front


def _blocks(now, *, exclude):
    blocks = list(
        FrontBlock.objects.filter(front_id=FRONT)
        .select_related("section")
        .order_by("position", "id")
    )
    if not blocks:
        return []
    newest_in_section = Window(
        RowNumber(),
        partition_by=[F("section_id")],
        order_by=[F("published_at").desc(), F("id").desc()],
    )
    stories = (
        Article.objects.public()
        .filter(section__in=[block.section_id for block in blocks])
        .exclude(pk__in=exclude)
        .for_front()
        .annotate(rank=newest_in_section)
        .filter(rank__lte=BLOCK_STORIES)
    )
    by_section = {}
    for story in stories:
        by_section.setdefault(story.section_id, []).append(story)
    return [(block.section, by_section.get(block.section_id, [])) for block in blocks]
