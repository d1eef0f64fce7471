"""The Django admin is for system administrators only (superusers): a staff account with model
permissions (e.g. `change_profile`) could otherwise give itself the city's scope. Account
management for districts and schools is the account pages (usecases.accounts). Every change
made here is in the audit trail too."""

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from campusplan.accounts import audit
from campusplan.accounts.models import AuditEntry, Profile


def _system_administrator(request) -> bool:
    user = request.user
    return user.is_active and user.is_superuser


admin.site.has_permission = _system_administrator


@receiver(post_save, sender=LogEntry, dispatch_uid="campusplan-admin-audit")
def _audit_admin_change(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created:
        return
    action = {1: "add", 2: "change", 3: "delete"}.get(instance.action_flag, "admin")
    audit.record(object_type=f"admin:{instance.content_type.model if instance.content_type_id else ''}",
                 object_key=str(instance.object_repr)[:200], field=action,
                 after=str(instance.object_id or ""), note=instance.get_change_message()[:300])


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "level", "district", "school", "read_only", "must_change_password")
    list_filter = ("level", "read_only")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "source", "object_type", "object_key", "field")
    list_filter = ("source", "object_type")

    def has_change_permission(self, request, obj=None):  # the trail is append-only
        return False

    def has_delete_permission(self, request, obj=None):
        return False
