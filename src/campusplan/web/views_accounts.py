"""Account pages: the accounts a manager runs (create one, one per school in bulk with a sheet of
initial passwords, reset, deactivate), the user's own password, and the notifications. Each
action is one call of usecases.accounts / usecases.notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campusplan.accounts.choices import Level
from campusplan.accounts.models import Notification
from campusplan.accounts.notices import text as notice_text
from campusplan.accounts.scope import profile_of, visible_districts
from campusplan.usecases import accounts, notifications
from campusplan.usecases.accounts import AccountError
from campusplan.web.http import actor, lang

SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _users_page(request: HttpRequest, status: int = 200, **context) -> HttpResponse:
    users = accounts.managed_users(actor=actor(request))
    levels = [lv for lv in Level if accounts.RANK[lv] <= accounts.RANK[
        Level(profile_of(request.user).level)]] if profile_of(request.user) else list(Level)
    return render(request, "web/accounts/users.html", {
        "nav": "users", "users": users[:500], "total": users.count(), "levels": levels,
        "districts": visible_districts(request.user)} | context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def users(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _users_page(request)
    p = request.POST
    try:
        issued = accounts.create_user(
            actor=actor(request), username=p.get("username", ""), level=p.get("level", ""),
            district=p.get("district", ""), school=p.get("school", ""),
            read_only=p.get("read_only") == "1", email=p.get("email", ""))
    except AccountError as exc:
        return _users_page(request, 422, error=exc.text(lang()))
    return _users_page(request, issued=[issued])


@login_required
@require_POST
def school_accounts(request: HttpRequest) -> HttpResponse:
    """One account per school of the district without one: the sheet of initial passwords."""
    district = request.POST.get("district", "")
    issued = accounts.school_accounts(actor=actor(request), district=district)
    if not issued:
        messages.info(request, _("每所学校都已有账号，未新建。"))
        return redirect("web:users")
    response = HttpResponse(accounts.accounts_sheet(issued, lang()), content_type=SHEET)
    response["Content-Disposition"] = f'attachment; filename="accounts-{district}.xlsx"'
    return response


@login_required
@require_POST
def user_reset(request: HttpRequest, username: str) -> HttpResponse:
    issued = accounts.reset_password(actor=actor(request), username=username)
    return _users_page(request, issued=[issued])


@login_required
@require_POST
def user_active(request: HttpRequest, username: str) -> HttpResponse:
    try:
        accounts.set_active(actor=actor(request), username=username,
                            active=request.POST.get("active") == "1")
    except AccountError as exc:
        return _users_page(request, 422, error=exc.text(lang()))
    return redirect("web:users")


@login_required
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    """The user's own password; the page an initial or reset password leads to."""
    context = {"forced": getattr(profile_of(request.user), "must_change_password", False)}
    if request.method == "POST":
        new = request.POST.get("new_password", "")
        if new != request.POST.get("new_password2", ""):
            return render(request, "web/accounts/password.html",
                          context | {"error": _("两次输入的新密码不一致")}, status=422)
        try:
            accounts.change_password(actor=actor(request),
                                     old=request.POST.get("old_password", ""), new=new)
        except AccountError as exc:
            return render(request, "web/accounts/password.html",
                          context | {"error": exc.text(lang())}, status=422)
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。"))
        return redirect("web:home")
    return render(request, "web/accounts/password.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        notifications.mark_read(actor=actor(request))
        return redirect("web:notifications")
    rows = Notification.objects.filter(user=request.user)[:200]
    items = [{"n": n, "text": notice_text(n.kind, n.params)} for n in rows]
    return render(request, "web/accounts/notifications.html",
                  {"nav": "notifications", "items": items})


@login_required
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accounts/_bell.html",
                  {"unread": notifications.unread_count(user=request.user)})
