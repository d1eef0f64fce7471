"""The admin: the system administrator's tool (accounts and business profiles), nobody else's.

`CampusplanAdminSite.has_permission` admits only a 系统管理员; the model admins grant what the
role allows, whatever Django permissions say, and nothing of the security policy (2FA devices,
login counters) or of the audit trail, which belong to the other two administrators. Every
change made here is a security event (accounts/signals.py, from the admin's LogEntry).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from campusplan.accounts import roles
from campusplan.accounts.models import Profile


class SystemAdministrator:
    """What the system administrator may do here, instead of Django's model permissions."""

    def has_module_permission(self, request):
        return roles.has_role(request.user, roles.SYSTEM)

    def has_view_permission(self, request, obj=None):
        return roles.has_role(request.user, roles.SYSTEM)

    def has_add_permission(self, request):
        return roles.has_role(request.user, roles.SYSTEM)

    def has_change_permission(self, request, obj=None):
        return roles.has_role(request.user, roles.SYSTEM)

    def has_delete_permission(self, request, obj=None):
        return roles.has_role(request.user, roles.SYSTEM)


class AccountAdmin(SystemAdministrator, UserAdmin):
    """Accounts without the super-user switches: no field here makes anyone an administrator."""

    fieldsets = ((None, {"fields": ("username", "password")}),
                 ("", {"fields": ("first_name", "last_name", "email", "is_active")}),
                 ("", {"fields": ("last_login", "date_joined")}))
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "is_active", "last_login")
    list_filter = ("is_active",)

    def has_change_permission(self, request, obj=None):  # not their own account
        return super().has_change_permission(request, obj) and (
            obj is None or obj.pk != request.user.pk)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.pk != request.user.pk)


class ProfileAdmin(SystemAdministrator, admin.ModelAdmin):
    list_display = ("user", "level", "district", "school", "read_only", "must_change_password")
    list_filter = ("level", "read_only")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or roles.profile_refusal(request.user, obj.user) is None)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        by = request.user

        class Guarded(form):
            def clean(self):
                data = super().clean()
                refusal = roles.profile_refusal(by, data.get("user"))
                if refusal is not None:
                    raise ValidationError(str(refusal.zh))
                return data

        return Guarded


# admin.site is a CampusplanAdminSite (apps.CampusplanAdminConfig); Django's own User and Group
# admins, registered before this module runs, give way to the guarded ones (no groups: roles
# are not permissions anyone can edit)
for model in (get_user_model(), Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
admin.site.register(get_user_model(), AccountAdmin)
admin.site.register(Profile, ProfileAdmin)
