from django import forms
from django.utils import timezone

from articles import history
from articles.models import Article, Status


class ArticleAdminForm(forms.ModelForm):
    """The change form: the story, its links, its status, and the version it was read at."""

    # The version the editor opened; a save on top of any other is refused.
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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
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
        if status and self.user is not None:
            try:
                self.instance.check_transition(status, by=self.user)
            except forms.ValidationError as error:
                self.add_error("status", error)
        # Publishing without a time publishes now; a future time schedules.
        if status == Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        if self.instance.pk:
            self.check_version(cleaned.get("opened_version"))
        return cleaned

    def check_version(self, version):
        """Refuse a save on top of a version other than the one the editor opened.

        The row is locked until the save commits, so between this check and
        Article.save_checked (which makes the same test in its UPDATE) nobody
        can slip in. The editor's typed text stays in the form, the form now
        carries the current version, and ``conflict`` says what changed.
        """
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .filter(pk=self.instance.pk)
            .first()
        )
        if current is None:
            raise forms.ValidationError("This story was deleted after you opened it.")
        if version == current.version:
            return
        who = current.updated_by.get_username() if current.updated_by else "Someone else"
        when = timezone.localtime(current.updated_at)
        base = next(
            (v for v in history.versions_of(current) if v.field_dict.get("version") == version),
            None,
        )
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
