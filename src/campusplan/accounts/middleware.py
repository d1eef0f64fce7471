"""Two small middlewares of the login: the device cookie of the throttle, and the second
factor's gate."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

from campusplan.accounts import roles, throttle

OPEN = ("/accounts/second-factor/", "/accounts/logout/", "/i18n/", "/static/",
        "/accounts/login/")


class DeviceCookieMiddleware:
    """Sets the signed device cookie after a password login from a browser that had none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        value = getattr(request, "campusplan_new_device", "")
        if value:
            response.set_cookie(throttle.DEVICE_COOKIE, value,
                                max_age=throttle.DEVICE_DAYS * 86400, httponly=True,
                                secure=request.is_secure(), samesite="Lax")
        return response


class SecondFactorMiddleware:
    """A user bound to the second factor whose session has not passed it reaches only the
    second-factor pages and logout: a page redirects there, the API answers 403. After
    django_otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not user.is_verified()
                and not request.path.startswith(OPEN) and roles.requires_second_factor(user)):
            if request.path.startswith("/api/"):
                return JsonResponse({"error": "second_factor_required",
                                     "message": "需要动态口令验证 / second factor required"},
                                    status=403)
            return redirect(f"/accounts/second-factor/?{urlencode({'next': request.path})}")
        return self.get_response(request)
