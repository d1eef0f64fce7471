from django.contrib import admin

from campusplan.accounts.models import AuditEntry, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "level", "district", "school", "read_only")
    list_filter = ("level", "read_only")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "source", "object_type", "object_key", "field")
    list_filter = ("source", "object_type")

    def has_change_permission(self, request, obj=None):  # the trail is append-only
        return False

    def has_delete_permission(self, request, obj=None):
        return False
