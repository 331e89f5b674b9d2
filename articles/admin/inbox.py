"""The wire inbox: agency copy pasted or uploaded in the admin, taken in by the one
intake (as ``import_wire`` and ``POST /api/v1/wire/`` take it), and the wire drafts
and agency updates waiting for an editor."""

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles import editorial, intake, kinds, wire
from articles.admin.desk import desk_view, update_diff
from articles.admin.forms import PASTED, WireInboxForm
from articles.models import AlreadyHandled, Article, WireItem

# The inbox lists this many new drafts and waiting updates, the newest first;
# the wire log has the rest.
INBOX_ROWS = 50
UPDATE_ROWS = 20
REFUSED = "refused"


@dataclass(frozen=True)
class PieceResult:
    """What the intake did with one piece of copy, as the inbox reports it."""

    name: str  # the file's name, or PASTED
    outcome: str  # an IntakeResult outcome, or REFUSED
    message: str  # the intake's message, or why the copy was refused (WireError)
    article_id: int | None = None
    article: Article | None = None
    links: list = field(default_factory=list)

    @property
    def pasted(self):
        return self.name == PASTED


def take_in(pieces, *, by, strict):
    """Each piece through the intake, in its own transaction: a bad one stops no other."""
    results = []
    for name, read in pieces:
        try:
            taken = intake.take_in(read(), origin=f"inbox: {name}", by=by, strict=strict)
        except wire.WireError as error:
            results.append(PieceResult(name, REFUSED, str(error)))
        else:
            results.append(PieceResult(name, taken.outcome, taken.message, taken.article.pk))
    # The stories as they now stand, with their links, in one read for all of them.
    stories = Article.objects.with_links().in_bulk(
        [result.article_id for result in results if result.article_id]
    )
    for index, result in enumerate(results):
        if article := stories.get(result.article_id):
            results[index] = replace(result, article=article, links=links_of(article))
    return results


def links_of(article):
    """(kind, [(entity, its admin address)]) for each kind of entity the story is linked to.

    The links must be prefetched (``with_links``, ``with_article_links``).
    """
    linked = []
    for kind in kinds.LINKED:
        entities = list(getattr(article, kind.link_field).all())
        if entities:
            url_name = f"admin:articles_{kind.model._meta.model_name}_change"
            linked.append(
                (kind, [(entity, reverse(url_name, args=[entity.pk])) for entity in entities])
            )
    return linked


class WireInbox:
    """Mixed into ArticleAdmin: the inbox's page and its Take and Dismiss buttons.

    The inbox is for whoever may add stories, as the API's wire door is; taking or
    dismissing a draft is for whoever may edit it.
    """

    def get_urls(self):
        def view(function, *, post=False):
            return desk_view(self, function, post=post)

        info = "articles_article"
        return [
            path("inbox/", view(self.inbox), name=f"{info}_inbox"),
            path("inbox/<int:item_id>/take/", view(self.take, post=True), name=f"{info}_take"),
            path(
                "inbox/<int:item_id>/dismiss/",
                view(self.dismiss, post=True),
                name=f"{info}_dismiss",
            ),
            *super().get_urls(),
        ]

    def inbox(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = WireInboxForm(request.POST or None, request.FILES or None)
        results = []
        if form.is_valid():
            results = take_in(form.pieces(), by=request.user, strict=form.cleaned_data["strict"])
            form = WireInboxForm()  # what was sent is taken: the form is ready for more
        drafts = WireItem.objects.inbox().for_listing().with_article_links()[:INBOX_ROWS]
        updates = WireItem.objects.pending().for_updates()[:UPDATE_ROWS]
        return TemplateResponse(
            request,
            "admin/articles/article/inbox.html",
            self.desk_context(
                request,
                title="Wire inbox",
                form=form,
                results=results,
                drafts=[
                    (item, links_of(item.article), item.article.can_be_edited_by(request.user))
                    for item in drafts
                ],
                updates=[
                    (
                        item,
                        update_diff(item.article, item),
                        item.article.can_be_edited_by(request.user),
                    )
                    for item in updates
                ],
                rows_shown=INBOX_ROWS,
                time_zone=settings.TIME_ZONE,
            ),
        )

    def take(self, request, item_id):
        article = self.decide_on_draft(request, item_id, editorial.take_from_inbox)
        if article is None:
            return redirect("admin:articles_article_inbox")
        self.message_user(request, f"You took “{article}” from the wire inbox.")
        return self.back_to_form(article)

    def dismiss(self, request, item_id):
        article = self.decide_on_draft(request, item_id, editorial.dismiss_from_inbox)
        if article is not None:
            self.message_user(request, f"Dismissed “{article}”: it stays a draft.")
        return redirect("admin:articles_article_inbox")

    def decide_on_draft(self, request, item_id, decide):
        """The story ``decide`` took out of the inbox; None (and why) if someone was quicker."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        item = get_object_or_404(WireItem, pk=item_id)
        try:
            return decide(item, by=request.user)
        except AlreadyHandled as error:
            self.message_user(request, str(error), messages.WARNING)
            return None
