"""The admin site: only a 系统管理员 enters (accounts/admin.py says what they may do there)."""

from django.contrib import admin

from campusplan.accounts import roles


class CampusplanAdminSite(admin.AdminSite):
    site_header = "campusplan"

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and roles.has_role(user, roles.SYSTEM)
