from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    """Django's admin, as the newsroom's desk: its site is articles.admin_site.DeskSite."""

    default_site = "articles.admin_site.DeskSite"
