"""The TOTP second factor (django-otp): enrolment and verification pages.

Whom it binds is `roles.requires_second_factor` (CAMPUSPLAN_REQUIRE_2FA); the middleware in
accounts/middleware.py sends such a user here after the password until this session is
verified. Enrolment shows the otpauth:// URI and its secret for an authenticator app; the
device counts only once a code from it is confirmed. Wrong codes slow down (django-otp's own
throttling doubles the wait after each failure) and are security events.
"""

from __future__ import annotations

import base64

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from campusplan.accounts import audit
from campusplan.accounts.choices import Outcome

ISSUER = "campusplan"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if ok and target else "/"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=ISSUER, confirmed=False)


def _code(request: HttpRequest) -> str:
    return "".join(ch for ch in request.POST.get("token", "") if ch.isdigit())[:8]


def _check(request: HttpRequest, device: TOTPDevice, kind: str) -> bool:
    allowed, _detail = device.verify_is_allowed()
    ok = bool(allowed) and device.verify_token(_code(request))
    audit.event(kind, Outcome.OK if ok else Outcome.FAILED, subject=request.user.get_username(),
                user=request.user)
    return ok


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"/accounts/second-factor/enrol/?next={_next(request)}")
    error = ""
    if request.method == "POST":
        if _check(request, device, "second_factor"):
            otp_login(request, device)
            return redirect(_next(request))
        error = _("动态口令不正确或已过期，请稍后再试。")
    return render(request, "accounts/second_factor.html",
                  {"error": error, "next": _next(request), "enrol": False},
                  status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    if confirmed_device(request.user) is not None:  # a new device only through the 安全管理员
        return redirect(f"/accounts/second-factor/?next={_next(request)}")
    device, error = _pending_device(request.user), ""
    if request.method == "POST":
        if _check(request, device, "second_factor_enrolled"):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next(request))
        error = _("动态口令不正确或已过期，请稍后再试。")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    response = render(request, "accounts/second_factor.html",
                      {"error": error, "next": _next(request), "enrol": True,
                       "uri": device.config_url, "secret": secret},
                      status=400 if error else 200)
    response["Cache-Control"] = "no-store"  # the page shows a secret
    return response
