from django.contrib.admin.apps import AdminConfig


class CampusplanAdminConfig(AdminConfig):
    """django.contrib.admin, its site restricted to the system administrator (admin.py)."""

    default_site = "campusplan.accounts.admin_site.CampusplanAdminSite"
