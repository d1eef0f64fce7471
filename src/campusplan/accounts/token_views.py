"""The user's own API tokens: list, create (the secret is shown once, in that response) and
revoke. Everything goes through accounts/tokens.py, so the audit trail records it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campusplan.accounts.tokens import (
    TokenLimit,
    active_limit,
    token_create,
    token_list,
    token_revoke,
)


def _page(request: HttpRequest, secret: str = "", created=None, status: int = 200,
          error: str = ""):
    context = {"tokens": token_list(user=request.user), "secret": secret, "created": created,
               "error": error}
    response = render(request, "accounts/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the page may hold a secret
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        if not name or len(name) > 100:
            return _page(request, status=400)
        try:
            token, secret = token_create(user=request.user, name=name)
        except TokenLimit:
            return _page(request, status=409, error=_(
                "每个账户最多 %(n)d 个有效令牌：请先吊销不再使用的令牌。") % {"n": active_limit()})
        return _page(request, secret=secret, created=token, status=201)
    return _page(request)


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = token_list(user=request.user).filter(pk=token_id).first()
    if token is None:  # someone else's token is as good as none
        raise Http404
    token_revoke(token=token)
    return redirect("accounts:tokens")
