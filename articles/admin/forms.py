from django import forms
from django.utils import timezone

from articles import history
from articles.models import Article, Status


class ArticleAdminForm(forms.ModelForm):
    """The change form: the story, its links, its status, and the version it was read at."""

    # The version the editor opened; the editorial service refuses a save on
    # top of any other (EditConflict), and the form is shown again.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "headline",
            "headline_needs_review",
            "slug",
            "summary",
            "body",
            "byline",
            "source",
            "dateline",
            "people",
            "places",
            "mentioned_sources",
            "status",
            "published_at",
        ]

    def __init__(self, *args, user=None, edit_conflict=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.edit_conflict = edit_conflict
        self.conflict = None
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version
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
        if self.edit_conflict is not None:
            self.show_conflict(self.edit_conflict.current, cleaned.get("opened_version"))
        return cleaned

    def show_conflict(self, current, opened_version):
        """Refuse this save after a colleague's: keep the typed text, say what they changed.

        The form now carries the current version, so saving again is a
        decision made with the colleague's changes in view.
        """
        who = current.updated_by.get_username() if current.updated_by else "Someone else"
        when = timezone.localtime(current.updated_at)
        base = history.version_at(current, opened_version)
        self.conflict = {
            "who": who,
            "when": when,
            "version": current.version,
            "changes": history.compare(base, current)[0] if base else None,
        }
        self.data = self.data.copy()
        self.data["opened_version"] = current.version
        raise forms.ValidationError(
            f"{who} saved this story at {when:%H:%M:%S} on {when:%d %b %Y} after you opened it. "
            "Your text is still in the form below; see what changed, then save again to "
            "keep your version.",
            code="conflict",
        )
