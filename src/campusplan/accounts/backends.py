"""The password backend of every login form (ours, the admin's, any other that calls
`authenticate(request, username=…, password=…)`): Django's, behind the throttle."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from campusplan.accounts import audit, throttle

# what the attempt came to, read by the login view and the audit receivers
OUTCOME_ATTR = "campusplan_login"


class ThrottledModelBackend(ModelBackend):
    """Reserves the attempt on the throttle's counters before the password is checked; a full
    counter refuses without checking it (PermissionDenied stops every other backend too)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if request is None:  # not over HTTP (the test client's login, a shell): no address
            return super().authenticate(request, username=username, password=password)
        device = throttle.device_of(request, username)
        attempt = throttle.begin(username, audit.address_of(request), device)
        if attempt is None:
            setattr(request, OUTCOME_ATTR, "locked")
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password)
        if user is None:
            attempt.failed()
            setattr(request, OUTCOME_ATTR, "lockout" if attempt.locked_now else "failed")
        else:
            attempt.succeeded()
            setattr(request, OUTCOME_ATTR, "ok")
            if not device:
                request.campusplan_new_device = throttle.new_device_cookie(username)
        return user
