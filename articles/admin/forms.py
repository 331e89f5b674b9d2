import json

from django import forms
from django.conf import settings
from django.utils import timezone

from articles import history, kinds, merging, text
from articles.models import Article, Status


class ArticleAdminForm(forms.ModelForm):
    """The change form: the story, its links, its status, and the version it was read at."""

    # The version the editor opened; the editorial service refuses a save on
    # top of any other (EditConflict), and the form is shown again.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # After a colleague's save: what both changed, for the editor's choices.
    merge_state = forms.CharField(widget=forms.HiddenInput, required=False)
    # Published with the form's other changes by the "Publish correction" button.
    correction = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80, "id": "correction-text"}),
        label="Add a public correction: what was wrong, what is right.",
    )

    class Meta:
        model = Article
        fields = [
            "headline",
            "headline_needs_review",
            "slug",
            "summary",
            "body",
            "byline",
            "authors",
            "source",
            "dateline",
            "people",
            "places",
            "mentioned_sources",
            "status",
            "published_at",
        ]

    def __init__(
        self, *args, user=None, edit_conflict=None, show_merge=False, correcting=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.user = user
        self.edit_conflict = edit_conflict
        self.show_merge = show_merge
        self.correcting = correcting
        self.conflict = None
        self.merge_note = ""
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version
        if "published_at" in self.fields:
            offset = timezone.localtime().strftime("%z")
            self.fields["published_at"].help_text = (
                f"{Article._meta.get_field('published_at').help_text} Times are in the "
                f"newsroom's time zone, {settings.TIME_ZONE} (UTC{offset[:3]}:{offset[3:]})."
            )
        if user is not None and "status" in self.fields:
            allowed = self.instance.statuses_for(user)
            self.fields["status"].choices = [
                (value, label) for value, label in Status.choices if value in allowed
            ]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status != self.instance.stored_status:
            try:
                # The model's move: checked for this user's role, and a story
                # published without a time is published now.
                self.instance.move_to(status, by=self.user, at=cleaned.get("published_at"))
            except forms.ValidationError as error:
                self.add_error("status", error)
            else:
                cleaned["published_at"] = self.instance.published_at
        self.keep_the_stored_time(cleaned)
        self.clean_correction_with_the_edits(cleaned)
        if self.edit_conflict is not None:
            self.resolve_conflict(cleaned)
        elif cleaned.get("merge_state"):
            self.apply_choices(cleaned)
        return cleaned

    def keep_the_stored_time(self, cleaned):
        """The form shows times to the second: the same second is the stored time, unchanged.

        Otherwise every save of a published story would move its publication
        time by the fraction of a second the form dropped, and say so in history.
        """
        typed, stored = cleaned.get("published_at"), self.instance.published_at
        if typed and stored and typed == stored.replace(microsecond=0):
            cleaned["published_at"] = stored

    def clean_correction_with_the_edits(self, cleaned):
        """A correction is published only by its button, together with any other edits.

        Typed but sent with Save, it is neither published nor thrown away: the
        form comes back with it and says which button publishes it.
        """
        correction = cleaned.get("correction", "")
        if not self.correcting:
            if correction.strip():
                self.add_error(
                    "correction",
                    "Press “Publish correction” to publish this correction, or empty the box.",
                )
            return
        try:
            cleaned["correction"] = self.instance.check_correction(correction)
        except forms.ValidationError as error:
            self.add_error("correction", error)

    # After a colleague's save -------------------------------------------------------

    def resolve_conflict(self, cleaned):
        """Merge this save with the colleague's that came first, field by field.

        What only one of them changed is kept; if nothing was changed by both,
        the merged story is saved at once. A field both changed (the body:
        paragraphs both changed) comes back with the editor's text in the form
        and a choice between the two versions.
        """
        current = self.edit_conflict.current
        base = history.version_at(current, cleaned.get("opened_version"))
        who = current.updated_by.get_username() if current.updated_by else "Someone else"
        when = timezone.localtime(current.updated_at)
        self.conflict = {
            "who": who,
            "when": when,
            "version": current.version,
            "changes": history.compare(base, current)[0] if base else None,
        }
        if base is None:  # no record of what the editor started from: they decide
            return self.refuse_with_choices(cleaned, current, merging.Merge(conflicts=[]))
        names = [name for name in merged_fields() if name in self.fields]
        base_values, mine = revision_values(base, names), self.typed_values(cleaned, names)
        # The form shows times to the second: the same second as before is no change.
        started, typed = base_values.get("published_at"), mine.get("published_at")
        if started and typed and typed == started.replace(microsecond=0):
            mine["published_at"] = started
        merge = merging.merge_story(
            base=base_values,
            mine=mine,
            theirs=stored_values(current, names),
            sets=kinds.link_fields(),
            texts=("body",),
        )
        for name, value in merge.values.items():
            cleaned[name] = self.cleaned_value(name, value)
        cleaned["opened_version"] = current.version
        taken = ", ".join(history.label(name) for name in merge.taken_from_theirs)
        self.merge_note = f"{who} saved this story after you opened it; " + (
            f"their changes to the {taken} are kept with yours." if taken else "yours are kept."
        )
        if not merge.clean or self.show_merge:
            self.refuse_with_choices(cleaned, current, merge)

    def refuse_with_choices(self, cleaned, current, merge):
        """Show the merged story again, with a choice for each field both editors changed."""
        self.conflict["fields"] = [
            {
                "name": name,
                "label": history.label(name),
                "theirs": getattr(current, name),
            }
            for name in merge.conflicts
            if name != "body"
        ]
        self.conflict["hunks"] = merge.body_hunks
        self.data = self.data.copy()
        for name in merge.values:
            self.set_data(name, cleaned[name])
        self.data["opened_version"] = current.version
        self.data["merge_state"] = json.dumps(
            {
                "fields": [field["name"] for field in self.conflict["fields"]],
                "hunks": [{"mine": hunk.mine, "theirs": hunk.theirs} for hunk in merge.body_hunks],
            }
        )
        who, when = self.conflict["who"], self.conflict["when"]
        raise forms.ValidationError(
            f"{who} saved this story at {when:%H:%M:%S} on {when:%d %b %Y} after you opened it. "
            "Their changes are merged into the form below; where you both changed the same "
            "thing, choose which version to keep, then save.",
            code="conflict",
        )

    def apply_choices(self, cleaned):
        """The editor's choices for what both changed, sent with the merged form."""
        state = json.loads(cleaned.get("merge_state") or "{}")
        for name in state.get("fields", []):
            choice = self.data.get(f"choose_{name}")
            if choice not in ("mine", "theirs"):
                self.add_error(None, f"Choose which {history.label(name)} to keep.")
            elif choice == "theirs" and name in self.fields:
                cleaned[name] = getattr(self.instance, name)
        body = cleaned.get("body", "")
        for index, hunk in enumerate(state.get("hunks", [])):
            choice = self.data.get(f"choose_body_{index}")
            if choice not in ("mine", "theirs"):
                self.add_error(None, "Choose which version of each paragraph to keep.")
            elif choice == "theirs":
                # Where the editor left their own version in the box.
                body = text.normalize_line_endings(body).replace(hunk["mine"], hunk["theirs"], 1)
        cleaned["body"] = body

    def cleaned_value(self, name, value):
        """A merged value (ids for links and references) as the form would have cleaned it."""
        field = self.fields[name]
        if name in kinds.link_fields():
            return field.queryset.filter(pk__in=value)
        if isinstance(field, forms.ModelChoiceField):
            return None if value is None else field.queryset.filter(pk=value).first()
        return value

    def typed_values(self, cleaned, names):
        values = {}
        for name in names:
            value = cleaned.get(name)
            if name in kinds.link_fields():
                value = {entity.pk for entity in value or ()}
            elif hasattr(value, "pk"):
                value = value.pk
            elif isinstance(value, str):
                value = text.normalize_line_endings(value)
            values[name] = value
        return values

    def set_data(self, name, value):
        """Put a cleaned value back into the form's data, as its widget posts it."""
        field = self.fields[name]
        if name in kinds.link_fields():
            self.data.setlist(name, [str(entity.pk) for entity in value])
        elif isinstance(field.widget, forms.MultiWidget):
            local = timezone.localtime(value) if value else None
            for index, part in enumerate(field.widget.decompress(local)):
                self.data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(field, forms.BooleanField):
            if value:
                self.data[name] = "on"
            else:
                self.data.pop(name, None)
        else:
            self.data[name] = "" if value is None else str(getattr(value, "pk", value))


def merged_fields():
    """What a merge compares: everything the form edits about the story."""
    return [
        *("headline", "headline_needs_review", "summary", "body", "byline"),
        *("source", "dateline", "slug", "status", "published_at"),
        *kinds.link_fields(),
    ]


def stored_values(article, names):
    values = {}
    for name in names:
        if name in kinds.link_fields():
            values[name] = set(getattr(article, name).values_list("pk", flat=True))
        else:
            values[name] = getattr(article, article._meta.get_field(name).attname)
    return values


def revision_values(version, names):
    then = version.field_dict
    values = {}
    for name in names:
        attname = Article._meta.get_field(name).attname
        value = then.get(attname)
        values[name] = set(value or ()) if name in kinds.link_fields() else value
    return values
