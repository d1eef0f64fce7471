"""The pages of the 安全管理员 (the security policy: login locks, second-factor devices) and
the 审计管理员 (the audit trail, read only). Each role sees its own page and nothing else's;
everyone else gets 404, as for any object outside their scope."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from campusplan.accounts import audit, roles, throttle
from campusplan.accounts.choices import Outcome
from campusplan.accounts.models import AuditEntry, LoginCounter

PAGE = 200


def _only(request: HttpRequest, role: str) -> None:
    if not roles.has_role(request.user, role):
        raise Http404


@login_required
@require_http_methods(["GET"])
def audit_trail(request: HttpRequest) -> HttpResponse:
    _only(request, roles.AUDIT)
    kind = request.GET.get("kind", "")[:80]
    entries = AuditEntry.objects.all()
    if kind:
        entries = entries.filter(field=kind)
    kinds = (AuditEntry.objects.filter(object_type=audit.SECURITY).order_by("field")
             .values_list("field", flat=True).distinct())
    return render(request, "accounts/audit_trail.html", {
        "entries": entries.order_by("-id")[:PAGE], "kind": kind, "kinds": list(kinds),
        "page": PAGE})


@login_required
@require_http_methods(["GET"])
def security_policy(request: HttpRequest) -> HttpResponse:
    _only(request, roles.SECURITY)
    policy = [("LOGIN_MAX_FAILURES", settings.LOGIN_MAX_FAILURES),
              ("LOGIN_ADDRESS_MAX_FAILURES", settings.LOGIN_ADDRESS_MAX_FAILURES),
              ("LOGIN_ACCOUNT_MAX_FAILURES", settings.LOGIN_ACCOUNT_MAX_FAILURES),
              ("LOGIN_LOCK_SECONDS", settings.LOGIN_LOCK_SECONDS),
              ("CAMPUSPLAN_REQUIRE_2FA", settings.CAMPUSPLAN_REQUIRE_2FA),
              ("CAMPUSPLAN_AUDIT_RETENTION_DAYS", settings.CAMPUSPLAN_AUDIT_RETENTION_DAYS),
              ("SESSION_COOKIE_AGE", settings.SESSION_COOKIE_AGE)]
    devices = TOTPDevice.objects.select_related("user").order_by("user__username")
    return render(request, "accounts/security_policy.html", {
        "policy": policy, "locks": throttle.active_locks(), "devices": devices})


@login_required
@require_POST
def unlock(request: HttpRequest, lock_id: int) -> HttpResponse:
    _only(request, roles.SECURITY)
    lock = LoginCounter.objects.filter(pk=lock_id).first()
    if lock is None:
        raise Http404
    throttle.clear(lock.key)
    audit.event("login_unlocked", Outcome.OK, subject=lock.key)
    return redirect("accounts:security")


@login_required
@require_POST
def reset_second_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    """Remove a user's TOTP devices (a lost phone): they enrol again at their next sign-in.
    Never the security administrator's own."""
    _only(request, roles.SECURITY)
    user = get_user_model().objects.filter(pk=user_id).exclude(pk=request.user.pk).first()
    if user is None:
        raise Http404
    TOTPDevice.objects.filter(user=user).delete()
    audit.event("second_factor_reset", Outcome.OK, subject=user.get_username())
    return redirect("accounts:security")
