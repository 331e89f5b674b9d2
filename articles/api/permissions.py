from rest_framework import permissions


class ArticlePermission(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads (the queryset decides what); writes need the model permissions,
    and an edit needs the right to edit that story (reporters: their own drafts)."""

    def has_object_permission(self, request, view, article):
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return request.user.has_perm("articles.delete_article")
        return article.can_be_edited_by(request.user)


class CanAddArticles(permissions.BasePermission):
    message = "Taking in wire copy needs the permission to add articles."

    def has_permission(self, request, view):
        return request.user.has_perm("articles.add_article")
