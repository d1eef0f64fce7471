"""Security events from Django's own signals: every login (whichever form or backend), every
failure and lockout, every logout, every change made in the admin."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from campusplan.accounts import audit
from campusplan.accounts.backends import OUTCOME_ATTR
from campusplan.accounts.choices import Outcome

ADMIN_ACTIONS = {1: "added", 2: "changed", 3: "deleted"}


def _backend(request) -> str:
    path = getattr(request, "path", "")
    return "admin" if path.startswith("/admin/") else path[:80]


@receiver(user_logged_in, dispatch_uid="campusplan-login")
def _logged_in(sender, request, user, **kwargs):
    audit.event("login", Outcome.OK, subject=user.get_username(), user=user,
                note=_backend(request))


@receiver(user_login_failed, dispatch_uid="campusplan-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    name = str(credentials.get("username", ""))[:150]
    outcome = getattr(request, OUTCOME_ATTR, "failed") if request is not None else "failed"
    if outcome == "locked":  # refused before any password check
        audit.event("login_refused", Outcome.DENIED, subject=name, name=name,
                    note=_backend(request))
        return
    audit.event("login", Outcome.FAILED, subject=name, name=name, note=_backend(request))
    if outcome == "lockout":
        audit.event("lockout", Outcome.DENIED, subject=name, name=name, note=_backend(request))


@receiver(user_logged_out, dispatch_uid="campusplan-logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.event("logout", Outcome.OK, subject=user.get_username(), user=user)


@receiver(post_save, sender=LogEntry, dispatch_uid="campusplan-admin-change")
def _admin_change(sender, instance: LogEntry, created: bool, **kwargs):
    if not created:
        return
    kind = instance.content_type.model if instance.content_type_id else ""
    audit.event("admin_change", Outcome.OK, subject=f"{kind}:{instance.object_id}",
                user=instance.user,
                note=str(instance.get_change_message())[:300],
                detail={"action": ADMIN_ACTIONS.get(instance.action_flag, ""),
                        "object": instance.object_repr[:200]})
