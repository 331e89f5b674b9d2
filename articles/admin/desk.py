"""The desk's own views around the change form: preview, presence, autosave,
corrections, history, recovery, link suggestions, the body editor's link search and
agency updates.

Each view reads the request, calls the model or module that holds the rule
(``Article``, ``Presence``, ``Autosave``, ``history``, ``linking``) or the action
(``editorial``), and answers; none decides anything itself.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from reversion.models import Version

from articles import diffs, editorial, history, kinds, linking, matching, text, wire
from articles.admin.forms import workflow_actions
from articles.models import Article, Autosave, EditConflict, Presence, WireItem, WireOutcome

# Form fields an autosave keeps: what an editor types, not what they pick.
AUTOSAVED_FIELDS = ("headline", "summary", "body", "byline", "slug")
AUTOSAVE_MAX_CHARACTERS = 1_200_000
# Choices the body editor's link dialog offers of each kind, and of stories.
LINK_TARGETS_PER_KIND = 10


class LinkTargetSearch(forms.Form):
    # No name or headline is longer (headlines are at most 300 characters); a null
    # character is refused, as PostgreSQL would refuse it in the query.
    term = forms.CharField(max_length=300, required=False)


def update_diff(article, item):
    """What an agency update would change in the story, word by word, as text: the one
    comparison the change form and the wire inbox show."""
    return diffs.word_diff(article.body_text, item.body_text)


def desk_view(model_admin, function, *, post=False):
    """``function`` as one of ``model_admin``'s own views: staff only, POST only if ``post``."""
    wrapped = require_POST(function) if post else function
    return model_admin.admin_site.admin_view(wrapped)


class DeskViews:
    """Mixed into ArticleAdmin: the URLs and views of the editors' desk."""

    change_form_template = "admin/articles/article/change_form.html"

    def get_urls(self):
        def view(function, *, post=False):
            return desk_view(self, function, post=post)

        info = "articles_article"
        return [
            # Not behind admin_view: anonymous visitors get the public 404,
            # not a login page that would confirm the story exists.
            path("<int:article_id>/preview/", self.preview, name=f"{info}_preview"),
            path(
                "<int:article_id>/presence/",
                view(self.presence, post=True),
                name=f"{info}_presence",
            ),
            path(
                "<int:article_id>/presence/leave/",
                view(self.presence_leave, post=True),
                name=f"{info}_presence_leave",
            ),
            path("add/autosave/", view(self.autosave, post=True), name=f"{info}_autosave_new"),
            path(
                "<int:article_id>/autosave/",
                view(self.autosave, post=True),
                name=f"{info}_autosave",
            ),
            path(
                "add/autosave/discard/",
                view(self.autosave_discard, post=True),
                name=f"{info}_autosave_discard_new",
            ),
            path(
                "<int:article_id>/autosave/discard/",
                view(self.autosave_discard, post=True),
                name=f"{info}_autosave_discard",
            ),
            path(
                "<int:article_id>/corrections/add/",
                view(self.add_correction, post=True),
                name=f"{info}_add_correction",
            ),
            path(
                "<int:article_id>/history/<int:version_id>/",
                view(self.compare_revision),
                name=f"{info}_compare",
            ),
            path(
                "<int:article_id>/history/<int:version_id>/restore/",
                view(self.restore_revision, post=True),
                name=f"{info}_restore",
            ),
            path("deleted/", view(self.deleted_list), name=f"{info}_deleted"),
            path(
                "deleted/<int:version_id>/recover/",
                view(self.recover_deleted, post=True),
                name=f"{info}_recover",
            ),
            path(
                "<int:article_id>/link/<str:kind>/<int:entity_id>/",
                view(self.accept_link, post=True),
                name=f"{info}_accept_link",
            ),
            path("link-targets/", view(self.link_targets), name=f"{info}_link_targets"),
            path(
                "<int:article_id>/unlink/<str:kind>/<int:entity_id>/",
                view(self.reject_link, post=True),
                name=f"{info}_reject_link",
            ),
            path(
                "<int:article_id>/create/<str:kind>/",
                view(self.create_and_link, post=True),
                name=f"{info}_create_and_link",
            ),
            path(
                "wire/<int:item_id>/<str:decision>/",
                view(self.decide_update, post=True),
                name=f"{info}_decide_update",
            ),
            *super().get_urls(),
        ]

    # Helpers -----------------------------------------------------------------

    def editable_article(self, request, article_id):
        article = get_object_or_404(Article, pk=article_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def viewable_article(self, request, article_id):
        article = get_object_or_404(Article, pk=article_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def back_to_form(self, article):
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    def back_to_next_or_form(self, request, article):
        """Back where the button was (the wire inbox sends ``next``), or to the form."""
        following = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            following, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(following)
        return self.back_to_form(article)

    def desk_context(self, request, **context):
        return {**self.admin_site.each_context(request), "opts": self.opts, **context}

    # The change form -----------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.change_form_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_form_context(self, request, article):
        autosave = Autosave.pending_for(user=request.user, article=article)
        context = {
            "workflow_actions": workflow_actions(article or Article(), request.user),
            "desk": {
                "presence_url": article
                and reverse("admin:articles_article_presence", args=[article.pk]),
                "leave_url": article
                and reverse("admin:articles_article_presence_leave", args=[article.pk]),
                "autosave_url": reverse("admin:articles_article_autosave", args=[article.pk])
                if article
                else reverse("admin:articles_article_autosave_new"),
                "discard_url": reverse("admin:articles_article_autosave_discard", args=[article.pk])
                if article
                else reverse("admin:articles_article_autosave_discard_new"),
                "heartbeat_seconds": settings.PRESENCE_HEARTBEAT_SECONDS,
                "headline_limit": wire.HEADLINE_MAX_LENGTH,
                "autosave_seconds": settings.AUTOSAVE_SECONDS,
                "autosaved_fields": AUTOSAVED_FIELDS,
                "autosave": autosave
                and {
                    "fields": autosave.fields,
                    "saved_at": timezone.localtime(autosave.saved_at).strftime("%H:%M:%S"),
                },
            },
        }
        if article is not None:
            context.update(
                links_review=self.links_review(article),
                pending_updates=[
                    (item, update_diff(article, item))
                    for item in article.wire_items.pending().select_related("source")
                ],
                corrections=list(article.corrections.select_related("created_by")),
                can_correct=article.stored_status == "published"
                and request.user.has_perm("articles.add_correction"),
                present=[
                    presence.user.get_username()
                    for presence in Presence.objects.current()
                    .filter(article=article)
                    .exclude(user=request.user)
                    .select_related("user")
                ],
            )
        return context

    def links_review(self, article):
        """The body with every mention the gazetteer finds marked, and what each links to.

        For each entity the text names: linked, mentioned but not linked, or
        removed by an editor (a rejection linking remembers); and capitalised
        names it does not know, to create and link in one click.
        """
        gazetteer = linking.gazetteer()
        current = linking.current_links(article)
        # Paragraphs are matched alone: the story's links and what the whole text
        # names stand for the rest of it, so an ambiguous name is marked where it is.
        whole = gazetteer.entities_in(article.linkable_text, linking.story_context(article))
        linked = {(name, pk) for name, (ids, _rejected) in current.items() for pk in ids}
        context = linking.story_context(article, linked=linked | whole)
        paragraphs = [
            (paragraph, gazetteer.find_mentions(paragraph, context))
            for paragraph in text.paragraphs(article.body_text)
        ]
        refs = {(m.kind, m.id) for _, mentions in paragraphs for m in mentions}
        refs |= gazetteer.entities_in(
            "\n\n".join(part for part in (article.headline, article.summary) if part), context
        )
        entities = {}
        for name, (linked, rejected) in current.items():
            ids = {pk for kind, pk in refs if kind == name}
            for entity in kinds.BY_NAME[name].model.objects.filter(pk__in=ids).order_by("name"):
                state = (
                    "linked"
                    if entity.pk in linked
                    else "rejected"
                    if entity.pk in rejected
                    else "unlinked"
                )
                entities[(name, entity.pk)] = {"kind": name, "entity": entity, "state": state}
        highlighted = [_marked(paragraph, mentions, entities) for paragraph, mentions in paragraphs]
        every_mention = gazetteer.find_mentions(article.linkable_text, context)
        return {
            "paragraphs": highlighted,
            "entities": list(entities.values()),
            "unlinked": [found for found in entities.values() if found["state"] != "linked"],
            "names": matching.unknown_names(article.linkable_text, every_mention),
            "kinds": kinds.LINKED_FROM_TEXT,
        }

    # Preview -------------------------------------------------------------------

    def preview(self, request, article_id):
        """The story as readers would see it, whatever its status."""
        if not (request.user.is_active and request.user.is_staff):
            raise Http404
        article = get_object_or_404(Article.objects.for_detail(), pk=article_id)
        if not self.has_view_or_change_permission(request, article):
            raise Http404
        response = TemplateResponse(
            request, "articles/article_detail.html", {"article": article, "preview": True}
        )
        add_never_cache_headers(response)
        return response

    # Presence ------------------------------------------------------------------

    def presence(self, request, article_id):
        article = self.viewable_article(request, article_id)
        others = Presence.beat(article, request.user)
        return JsonResponse(
            {
                "others": [
                    {
                        "name": presence.user.get_username(),
                        "seen_at": presence.seen_at.isoformat(),
                    }
                    for presence in others
                ],
                "version": Article.objects.filter(pk=article.pk).values_list("version", flat=True)[
                    0
                ],
            }
        )

    def presence_leave(self, request, article_id):
        Presence.leave(get_object_or_404(Article, pk=article_id), request.user)
        return JsonResponse({"left": True})

    # Autosave --------------------------------------------------------------------

    def autosave(self, request, article_id=None):
        article = self.editable_article(request, article_id) if article_id else None
        if article is None and not self.has_add_permission(request):
            raise PermissionDenied
        fields = {name: request.POST.get(name, "") for name in AUTOSAVED_FIELDS}
        if sum(len(value) for value in fields.values()) > AUTOSAVE_MAX_CHARACTERS:
            return JsonResponse({"error": "Too long to autosave."}, status=413)
        version = request.POST.get("version", "")
        autosave = Autosave.keep(
            user=request.user,
            article=article,
            fields=fields,
            base_version=int(version) if version.isdigit() else None,
        )
        return JsonResponse(
            {"saved_at": timezone.localtime(autosave.saved_at).strftime("%H:%M:%S")}
        )

    def autosave_discard(self, request, article_id=None):
        article = get_object_or_404(Article, pk=article_id) if article_id else None
        Autosave.discard(user=request.user, article=article)
        return JsonResponse({"discarded": True})

    # Corrections -------------------------------------------------------------------

    def add_correction(self, request, article_id):
        article = get_object_or_404(Article, pk=article_id)
        if not request.user.has_perm(editorial.CORRECT_PERMISSION):
            raise PermissionDenied
        try:
            editorial.correct(article, request.POST.get("text", ""), by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, "Correction published.", messages.SUCCESS)
        return self.back_to_form(article)

    # History -------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        article = self.viewable_article(request, object_id)
        return TemplateResponse(
            request,
            "admin/articles/article/history.html",
            self.desk_context(
                request,
                title=f"History: {article}",
                original=article,
                rows=history.timeline(article),
            ),
        )

    def revision(self, article, version_id):
        return get_object_or_404(
            Version.objects.get_for_object(article).select_related("revision__user"),
            pk=version_id,
        )

    def compare_revision(self, request, article_id, version_id):
        article = self.viewable_article(request, article_id)
        version = self.revision(article, version_id)
        texts, links = history.compare(version, article)
        return TemplateResponse(
            request,
            "admin/articles/article/compare.html",
            self.desk_context(
                request,
                title=f"Compare: {article}",
                original=article,
                version=version,
                texts=texts,
                links=links,
                can_restore=self.has_change_permission(request, article),
            ),
        )

    def restore_revision(self, request, article_id, version_id):
        article = self.editable_article(request, article_id)
        version = self.revision(article, version_id)
        expected = request.POST.get("version", "")
        try:
            editorial.restore(
                article,
                version,
                by=request.user,
                expected_version=int(expected) if expected.isdigit() else -1,
            )
        except EditConflict as conflict:
            self.message_user(
                request, f"{conflict} Compare again before restoring.", messages.ERROR
            )
            return redirect(
                reverse("admin:articles_article_compare", args=[article.pk, version.pk])
            )
        self.message_user(request, "Revision restored as a new revision.", messages.SUCCESS)
        return self.back_to_form(article)

    def deleted_list(self, request):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/articles/article/deleted.html",
            self.desk_context(
                request, title="Deleted articles", versions=history.deleted_articles()[:200]
            ),
        )

    def recover_deleted(self, request, version_id):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        version = get_object_or_404(history.deleted_articles(), pk=version_id)
        article = editorial.recover(version, by=request.user)
        self.message_user(request, "Article recovered as a draft.", messages.SUCCESS)
        return self.back_to_form(article)

    # Links and agency updates ------------------------------------------------------

    def accept_link(self, request, article_id, kind, entity_id):
        """Link one suggested entity; a link an editor had removed is un-rejected."""
        article = self.editable_article(request, article_id)
        if kind not in kinds.BY_NAME:
            raise Http404
        entity = get_object_or_404(kinds.BY_NAME[kind].model, pk=entity_id)
        try:
            editorial.accept_link(
                article, entity, by=request.user, expected_version=article.version
            )
        except EditConflict as conflict:
            self.message_user(request, str(conflict), messages.ERROR)
        else:
            self.message_user(request, f"Linked {entity.name}.", messages.SUCCESS)
        return self.back_to_form(article)

    def reject_link(self, request, article_id, kind, entity_id):
        """Unlink one entity the text names; linking will not put it back."""
        article = self.editable_article(request, article_id)
        if kind not in kinds.BY_NAME:
            raise Http404
        entity = get_object_or_404(kinds.BY_NAME[kind].model, pk=entity_id)
        try:
            editorial.reject_link(
                article, entity, by=request.user, expected_version=article.version
            )
        except EditConflict as conflict:
            self.message_user(request, str(conflict), messages.ERROR)
        else:
            self.message_user(request, f"Unlinked {entity.name}.", messages.SUCCESS)
        return self.back_to_form(article)

    def create_and_link(self, request, article_id, kind):
        """Make an entity of a name the text uses and link the story to it, in one click."""
        article = self.editable_article(request, article_id)
        found = kinds.BY_NAME.get(kind)
        if found is None or not found.linked_from_text:
            raise Http404
        if not request.user.has_perm(f"articles.add_{found.model_name.lower()}"):
            raise PermissionDenied
        name = " ".join(request.POST.get("name", "").split())[:200]
        existing = found.model.objects.filter(name__iexact=name).first() if name else None
        entity = existing or found.model(name=name)
        try:
            with transaction.atomic():
                if existing is None:
                    entity.full_clean(exclude=["slug"])
                    entity.save()
                editorial.accept_link(
                    article, entity, by=request.user, expected_version=article.version
                )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        except EditConflict as conflict:
            self.message_user(request, str(conflict), messages.ERROR)
        else:
            made = "Linked" if existing else f"Created the {found.name} and linked"
            self.message_user(request, f"{made} {entity.name}.", messages.SUCCESS)
        return self.back_to_form(article)

    def link_targets(self, request):
        """People, places, sources and stories named like ``?term=``, for the body
        editor's link dialog: what the user may read of each, one query per kind."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        search = LinkTargetSearch(request.GET)
        if not search.is_valid():
            return JsonResponse({"errors": search.errors}, status=400)
        term = search.cleaned_data["term"]
        if not term:
            return JsonResponse({"results": []})
        choices = [
            (kind.name, entity, entity.name)
            for kind in kinds.KINDS
            if self.admin_site.get_model_admin(kind.model).has_view_permission(request)
            for entity in kind.model.objects.link_choices(term)[:LINK_TARGETS_PER_KIND]
        ]
        stories = Article.objects.visible_to(request.user).link_choices(term)
        choices += [
            (Article._meta.model_name, story, story.headline)
            for story in stories[:LINK_TARGETS_PER_KIND]
        ]
        return JsonResponse(
            {
                "results": [
                    {
                        "kind": kind,
                        "id": target.pk,
                        "name": name,
                        "label": target._meta.verbose_name,
                        "url": target.get_absolute_url(),
                    }
                    for kind, target, name in choices
                ]
            }
        )

    def decide_update(self, request, item_id, decision):
        item = get_object_or_404(WireItem, pk=item_id, outcome=WireOutcome.PENDING)
        article = self.editable_article(request, item.article_id)
        if decision == "ignore":
            editorial.ignore_update(item, by=request.user)
            self.message_user(request, "Agency update ignored.", messages.SUCCESS)
        elif decision == "accept":
            try:
                editorial.accept_update(item, by=request.user)
            except EditConflict as conflict:
                self.message_user(request, str(conflict), messages.ERROR)
            else:
                self.message_user(request, "Agency update accepted.", messages.SUCCESS)
        else:
            raise Http404
        return self.back_to_next_or_form(request, article)


def _marked(paragraph, mentions, entities):
    """A paragraph as pieces of text, each mention with the entity it names."""
    pieces, position = [], 0
    for mention in mentions:
        found = entities.get((mention.kind, mention.id))
        if found is None:
            continue
        pieces.append({"text": paragraph[position : mention.start]})
        pieces.append({"text": paragraph[mention.start : mention.end], "mention": found})
        position = mention.end
    pieces.append({"text": paragraph[position:]})
    return pieces
