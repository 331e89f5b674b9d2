import json
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import bodies, history, intake, kinds, merging, text, wire
from articles.admin.widgets import BodyEditor
from articles.models import Article, Status
from articles.models.articles import PUBLISH_PERMISSION


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
            "lead_image",
            "section",
            "authors",
            "source",
            "dateline",
            "people",
            "places",
            "mentioned_sources",
            "status",
            "published_at",
            "flag",
        ]
        widgets = {"body": BodyEditor()}

    def __init__(
        self,
        *args,
        user=None,
        edit_conflict=None,
        show_merge=False,
        correcting=False,
        action=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.user = user
        self.action = WORKFLOW.get(action)
        if self.action is not None and self.is_bound:
            # The button says where the story goes; the form's status follows it.
            self.data = self.data.copy()
            self.data["status"] = self.action.status
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
        if "status" in self.fields:
            # Moved by the workflow's buttons (workflow_actions), not chosen from a list;
            # a move the user may not make is refused in clean(), with the reason.
            self.fields["status"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        self.clean_the_action(cleaned)
        status = cleaned.get("status")
        if status and status != self.instance.stored_status:
            try:
                # The model's move: checked for this user's role, and a story
                # published without a time is published now.
                self.instance.move_to(status, by=self.user, at=cleaned.get("published_at"))
            except forms.ValidationError as error:
                self.add_error(None, error)  # the status is the buttons', not a visible field
            else:
                cleaned["published_at"] = self.instance.published_at
        self.keep_the_stored_time(cleaned)
        self.clean_correction_with_the_edits(cleaned)
        if self.edit_conflict is not None:
            self.resolve_conflict(cleaned)
        elif cleaned.get("merge_state"):
            self.apply_choices(cleaned)
        return cleaned

    def clean_the_action(self, cleaned):
        """Publish now is now, whatever time the form holds; Schedule needs a time to come."""
        if self.action is None:
            return
        if self.action.name == "publish":
            cleaned["published_at"] = timezone.now()
        elif self.action.name == "schedule":
            when = cleaned.get("published_at")
            if when is None or when <= timezone.now():
                self.add_error(
                    "published_at",
                    "To schedule the story, give the time it goes public: a time to come.",
                )

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
        # Shown as the words each wrote; the state keeps the HTML to put back.
        self.conflict["hunks"] = [
            {"mine": bodies.to_text(hunk.mine), "theirs": bodies.to_text(hunk.theirs)}
            for hunk in merge.body_hunks
        ]
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
                body = bodies.clean(body).replace(hunk["mine"], hunk["theirs"], 1)
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
            elif name == "body":
                value = bodies.clean(value or "")  # compared in the form it is stored in
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


@dataclass(frozen=True)
class Action:
    """A workflow button: where it moves the story, and what it says."""

    name: str
    label: str
    status: str


WORKFLOW = {
    action.name: action
    for action in (
        Action("submit", "Submit for review", Status.REVIEW),
        Action("publish", "Publish now", Status.PUBLISHED),
        Action("schedule", "Schedule", Status.PUBLISHED),
        Action("unpublish", "Unpublish", Status.DRAFT),
        Action("to_draft", "Return to draft", Status.DRAFT),
        Action("archive", "Archive", Status.ARCHIVED),
    )
}


def workflow_actions(article, user):
    """The buttons ``user`` may press on ``article``: the moves the model allows them."""
    if article.pk and not article.can_be_edited_by(user):
        return []
    current = article.stored_status
    allowed = set(article.statuses_for(user)) - {current}
    names = []
    if Status.REVIEW in allowed:
        names.append("submit")
    # A scheduled story can be published now or moved to another time.
    rescheduling = article.is_scheduled and user.has_perm(PUBLISH_PERMISSION)
    if Status.PUBLISHED in allowed or rescheduling:
        names += ["publish", "schedule"]
    if Status.DRAFT in allowed:
        names.append("unpublish" if current == Status.PUBLISHED else "to_draft")
    if Status.ARCHIVED in allowed:
        names.append("archive")
    return [WORKFLOW[name] for name in names]


def merged_fields():
    """What a merge compares: everything the form edits about the story."""
    return [
        *("headline", "headline_needs_review", "summary", "body", "byline"),
        *("source", "dateline", "slug", "status", "published_at", "lead_image"),
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
        if name in kinds.link_fields():
            value = set(value or ())
        elif name == "body":
            value = bodies.clean(value or "")  # a revision from before the format is text
        values[name] = value
    return values


# The name the inbox gives copy pasted into it ("inbox: pasted" in the wire log).
PASTED = "pasted"


class WireFilesInput(forms.FileInput):
    allow_multiple_selected = True


class WireFilesField(forms.Field):
    """Several files at once, kept as they came: the intake judges each one, so an
    empty or binary file is a refusal among the results, not an error of the form."""

    widget = WireFilesInput

    def to_python(self, value):
        return list(value or [])


class WireInboxForm(forms.Form):
    """The wire inbox: one piece of copy pasted, files chosen, or both at once."""

    # A plain Field, not a CharField: what was pasted reaches the intake as it
    # came (a NUL byte included), and the intake says why it refuses it.
    copy = forms.Field(
        required=False,
        label="Paste copy",
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        help_text="One piece of agency copy: plain text (a “By <agency>” line, then "
        "paragraphs separated by blank lines), ninjs JSON or NITF XML.",
    )
    files = WireFilesField(
        required=False,
        label="Or choose files",
        help_text=f"Several at once; each up to {wire.MAX_WIRE_BYTES:,} bytes, "
        "its format read from its content.",
    )
    strict = forms.BooleanField(
        required=False, label="Refuse copy whose byline names no known source"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # labels read as prompts: "Paste copy"
        super().__init__(*args, **kwargs)

    def clean(self):
        if not self.pasted() and not self.cleaned_data.get("files"):
            raise ValidationError("Paste copy or choose files to take in.", code="empty")
        return self.cleaned_data

    def pasted(self):
        return (self.cleaned_data.get("copy") or "").strip() != ""

    def pieces(self):
        """(name, read) for each piece of copy, the paste first; ``read`` gives its
        bytes or raises WireError (a file over the limit, before it is read)."""
        if self.pasted():
            yield PASTED, lambda: self.cleaned_data["copy"]
        for upload in self.cleaned_data["files"]:
            yield upload.name, lambda upload=upload: intake.read_upload(upload)
